from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from .. import factories as f
from ..conftest import consume


@pytest.mark.django_db
def test_the_trail_shows_who_changed_what_before_and_after(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    as_alice.post(
        f"/p/alpha/agencies/{police.pk}/edit/",
        {
            "name": "Alpha Constabulary",
            "short_name": "POL",
            "sector": "police",
            "status": "safeguarding_partner",
        },
    )
    body = as_alice.get("/p/alpha/audit/?text=Constabulary").content.decode()
    assert "alice" in body and "Alpha Police" in body and "Alpha Constabulary" in body
    assert "Update" in body


@pytest.mark.django_db
def test_each_partnership_sees_only_its_own_trail(
    as_charlie: Client, alpha: Any, beta: Any
) -> None:
    f.agency(alpha, "SECRET", "Alpha secret unit")
    f.agency(beta, "BETA1", "Beta agency")
    body = as_charlie.get("/p/beta/audit/").content.decode()
    assert "Beta agency" in body and "Alpha secret unit" not in body


@pytest.mark.django_db
def test_filters_combine(as_alice: Client, alpha: Any) -> None:
    f.agency(alpha, "ONE", "First agency")
    f.person(alpha, "Someone")
    body = as_alice.get("/p/alpha/audit/?model=partnership.person&action=create").content.decode()
    assert "Someone" in body and "First agency" not in body
    body = as_alice.get("/p/alpha/audit/?date_from=2000-01-01&date_to=2000-12-31").content.decode()
    assert "No entries match" in body


@pytest.mark.django_db
def test_the_csv_export_has_one_row_per_changed_field(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    as_alice.post(
        f"/p/alpha/agencies/{police.pk}/edit/",
        {"name": "Renamed", "short_name": "PO2", "sector": "police", "status": "other"},
    )
    response = as_alice.get("/p/alpha/audit/export.csv?action=update")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    changed = {(r["record_type"], r["field"], r["before"], r["after"]) for r in rows}
    assert ("agency", "name", "Alpha Police", "Renamed") in changed
    assert ("agency", "short_name", "POL", "PO2") in changed
    assert all(r["actor"] == "alice" for r in rows)


@pytest.mark.django_db
def test_the_access_log_lists_reads_of_restricted_records_only(
    as_alice: Client, alpha: Any
) -> None:
    from datetime import date

    from django.core.files.base import ContentFile

    from safeboard.core import tenancy
    from safeboard.partnership import services
    from safeboard.partnership.models import Paper

    meeting = f.meeting(f.group(alpha), date(2025, 1, 1))
    with tenancy.partnership_scope(alpha):
        paper = Paper(
            partnership=alpha, meeting=meeting, title="Child Q review", sensitivity="restricted"
        )
        paper.file.save("q.txt", ContentFile(b"x"), save=False)
        services.save(paper, alpha)
    consume(as_alice.get(f"/p/alpha/papers/{paper.pk}/"))
    body = as_alice.get("/p/alpha/audit/access/").content.decode()
    assert "Child Q review" in body and "Access" in body and "1 entry" in body
    rows = list(
        csv.DictReader(
            io.StringIO(as_alice.get("/p/alpha/audit/access/export.csv").content.decode())
        )
    )
    # The download, then the access log page that showed its title (a listing is a read).
    assert [(r["action"], r["record"], r["actor"], r["detail"]) for r in rows] == [
        ("access", "Child Q review", "alice", "listed"),
        ("access", "Child Q review", "alice", "downloaded"),
    ]
