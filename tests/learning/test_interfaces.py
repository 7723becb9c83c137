"""Case reviews through the API and the command line: the same permissions as the pages,
the import that checks every row before writing anything, and the clocks listing."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from safeboard.core import tenancy
from safeboard.learning import services
from safeboard.learning.models import CaseReview, Kind

from .conftest import days_ago

pytestmark = pytest.mark.django_db
API = "/api/v1/partnerships/alpha"


def test_the_api_opens_case_records_to_the_officer_only(
    as_carol: Client, as_alice: Client, alpha: Any, review: Any, police: Any
) -> None:
    listing = as_carol.get(f"{API}/reviews").json()
    assert [r["reference"] for r in listing] == ["CR-1"]
    clocks = {c["clock"]: c for c in listing[0]["clocks"]}
    assert clocks["notification"]["due"] == "2025-12-30"
    assert clocks["notification"]["state"] == "met"
    assert as_alice.get(f"{API}/reviews").json() == []
    assert as_alice.get(f"{API}/reviews/{review.pk}").status_code == 404
    assert as_alice.get(f"{API}/reviews/clocks").status_code == 404
    created = as_carol.post(
        f"{API}/reviews",
        json.dumps(
            {
                "reference": "CR-2",
                "child": "Child M",
                "incident_known": days_ago(2).isoformat(),
                "known_to": [police.pk],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["clocks"][0]["clock"] == "notification"
    refused = as_alice.post(
        f"{API}/reviews",
        json.dumps({"reference": "CR-3", "child": "Child L", "kind": "practice"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    named = as_carol.post(
        f"{API}/reviews",
        json.dumps({"reference": "CR-4", "child": "Jane", "kind": "practice"}),
        content_type="application/json",
    )
    assert named.status_code == 400 and "pseudonym" in named.json()["detail"]


def test_a_published_review_through_the_api(
    as_carol: Client, as_bob: Client, alpha: Any, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        practice = services.create_review(
            partnership=alpha, reference="PR-1", child="Child G", kind=Kind.PRACTICE
        )
    held = as_carol.post(
        f"{API}/reviews/{practice.pk}/processes",
        json.dumps({"kind": "inquest"}),
        content_type="application/json",
    )
    assert held.status_code == 201
    body = json.dumps({"on": days_ago(1).isoformat()})
    refused = as_carol.post(
        f"{API}/reviews/{practice.pk}/publish", body, content_type="application/json"
    )
    assert refused.status_code == 400 and "inquest" in refused.json()["detail"]
    as_carol.post(
        f"{API}/processes/{held.json()['id']}/conclude", body, content_type="application/json"
    )
    published = as_carol.post(
        f"{API}/reviews/{practice.pk}/publish", body, content_type="application/json"
    )
    assert published.status_code == 200
    seen = as_bob.get(f"{API}/reviews/{practice.pk}").json()
    assert seen["child"] == "Child G"
    assert "incident_known" not in seen and "reference" not in seen


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_import_checks_every_row_and_writes_nothing_if_any_is_wrong(
    alpha: Any, police: Any, tmp_path: Path, capsys: Any
) -> None:
    bad = _write(
        tmp_path,
        "reference,child,kind,incident_known,notified,known_to\n"
        "CR-10,Child A,rapid review,2026-01-05,2026-01-07,POL\n"
        "CR-11,Jane Smith,rapid_review,2026-01-05,2026-01-07,\n"
        "CR-12,Child C,weekly chat,2026-01-05,Jan-26,Nobody\n"
        "CR-10,Child D,practice,,,\n"
        "CR-13,Child E,rapid_review,2026-01-09,2026-01-08,\n",
    )
    with pytest.raises(CommandError, match="problems: nothing was imported"):
        call_command("reviews", "import", "--partnership", "alpha", str(bad))
    out = capsys.readouterr().out
    assert "Row 3: Name the child by a pseudonym" in out
    assert "Row 4: ‘weekly chat’ is not one of" in out and "(column kind)" in out
    assert "Row 4: ‘Jan-26’ is not a day" in out
    assert "Row 4: ‘Nobody’ is not an agency" in out
    assert "Row 5: CR-10 is also on row 2" in out
    assert "Row 6: The Panel cannot have been notified before the incident was known" in out
    with tenancy.partnership_scope(alpha):
        assert not CaseReview.objects.exists()


def test_the_import_writes_every_row_in_one_go(
    alpha: Any, police: Any, tmp_path: Path, capsys: Any
) -> None:
    good = _write(
        tmp_path,
        "Reference,Child,Kind,Incident known,Notified,Harm,Age group,Rapid review held,Outcome,"
        "Decided,Published\n"
        "CR-20,Child A,rapid_review,2026-01-05,2026-01-07,death,under 1,2026-01-20,lcspr,"
        "2026-01-21,\n"
        "SCR-1,Child B,scr,,,,,,,,2016-05-01\n",
    )
    call_command("reviews", "import", "--partnership", "alpha", str(good), "--dry-run")
    assert "would be imported" in capsys.readouterr().out
    with tenancy.partnership_scope(alpha):
        assert not CaseReview.objects.exists()
    call_command("reviews", "import", "--partnership", "alpha", str(good))
    assert "Imported 2 cases." in capsys.readouterr().out
    with tenancy.partnership_scope(alpha):
        a = CaseReview.objects.get(reference="CR-20")
        assert a.kind == Kind.LCSPR and a.age_band == "under_1"
        assert CaseReview.objects.get(reference="SCR-1").published_on == date(2016, 5, 1)
    call_command("reviews", "clocks", "--partnership", "alpha", "--date", "2026-01-22")
    lines = json.loads(capsys.readouterr().out)
    assert {tuple(sorted(line)) for line in lines} == {
        ("clock", "done", "due", "review", "starts", "state", "working_days_left")
    }
    by_clock = {line["clock"]: line for line in lines}
    assert by_clock["notification"] == {
        "review": "CR-20",
        "clock": "notification",
        "starts": "2026-01-05",
        "due": "2026-01-12",
        "done": "2026-01-07",
        "state": "met",
        "working_days_left": None,
    }
    assert by_clock["rapid_review"]["state"] == "met"
    # 6 months from the decision on 21 January 2026; 126 working days from 22 January.
    assert by_clock["publication"]["due"] == "2026-07-21"
    assert by_clock["publication"]["state"] == "open"
    assert by_clock["publication"]["working_days_left"] > 100
    call_command("reviews", "clocks", "--partnership", "alpha", "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["review", "clock", "starts", "due", "done", "state", "working_days_left"]
    assert len(rows) == 4


def test_a_case_recorded_through_the_api_is_logged_as_handed_out(
    as_carol: Client, alpha: Any
) -> None:
    """The API answers a new case with the whole record: that read is in the access log, as
    every other the API hands out."""
    from auditlog.models import LogEntry

    created = as_carol.post(
        f"{API}/reviews",
        json.dumps({"reference": "CR-7", "child": "Child P", "kind": "practice"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        object_pk=str(created.json()["id"]),
        object_repr__contains="CR-7",
    ).exists()
