"""The contacts import at speed: a few queries whatever the number of rows (no query per row),
every row checked first, a reference already in the register updated (and the summary says
so), repeats flagged across the file and told to the LADO once, the audit trail written."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeboard.allegations import services
from safeboard.allegations.models import Allegation, TermList
from safeboard.core import tenancy
from safeboard.core.clocks import clocks_of
from safeboard.partnership.models import Notification

pytestmark = pytest.mark.django_db

HEADER = "reference,kind,received,known,referrer,employer,category,restraint,outcomes,concluded\n"


def rows(n: int, prefix: str = "R") -> bytes:
    lines = [HEADER]
    for i in range(n):
        received = date(2016, 4, 4) + timedelta(days=i % 300)
        kind = "consultation" if i % 3 == 0 else "allegation"
        lines.append(
            f"{prefix}-{i},{kind},{received},{received - timedelta(days=1)},Police,"
            f"School staff,Physical,no,Substantiated;Dismissal,{received + timedelta(days=20)}\n"
        )
    return "".join(lines).encode()


def queries(alpha: Any, data: bytes) -> int:
    with tenancy.partnership_scope(alpha), CaptureQueriesContext(connection) as captured:
        report = services.import_allegations(alpha, data, "a.csv")
    assert report.ok, report.lines()
    return len(captured)


def test_no_query_per_row(alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        services.ensure_default_terms(alpha)
    few = queries(alpha, rows(10, "F"))
    many = queries(alpha, rows(150, "M"))
    # Only the batches of the bulk writes grow (SQLite writes a few dozen rows a query).
    assert many - few < 30, (few, many)
    with tenancy.partnership_scope(alpha):
        a = Allegation.objects.get(reference="M-1")
        assert {o.name for o in a.outcomes.all()} == {"Substantiated", "Dismissal"}
        assert {c.kind: c.done for c in clocks_of(a)} == {  # type: ignore[attr-defined]
            "allegations.referral": a.received,
            "allegations.conclusion_1m": a.concluded,
            "allegations.conclusion_3m": a.concluded,
            "allegations.conclusion_12m": a.concluded,
        }
        assert clocks_of(Allegation.objects.get(reference="M-0")) == []  # a consultation


def test_a_reference_already_there_is_updated_and_the_summary_says_so(alpha: Any) -> None:
    data = rows(3)
    with tenancy.partnership_scope(alpha):
        assert services.import_allegations(alpha, data, "a.csv").created == 3
        changed = data.replace(b"Substantiated;Dismissal", b"Unfounded").replace(b"R-2,", b"N-2,")
        dry = services.import_allegations(alpha, changed, "a.csv", dry_run=True)
        assert dry.lines() == ["Would import 3 rows: 1 new, 2 changed (already in the register)."]
        assert not Allegation.objects.filter(reference="N-2").exists()
        report = services.import_allegations(alpha, changed, "a.csv")
        assert (report.created, report.updated) == (1, 2)
        a = Allegation.objects.get(reference="R-1")
        assert [o.name for o in a.outcomes.all()] == ["Unfounded"]
        assert Allegation.objects.count() == 4


def test_problems_name_row_field_and_problem_and_nothing_is_written(alpha: Any) -> None:
    data = (
        HEADER + "B-1,allegation,2016-04-04,2016-04-09,Police,School staff,Physical,no,,\n"
        "B-2,allegation,2016-13-01,,Police,Nowhere,Physical,maybe,,\n"
    ).encode()
    with tenancy.partnership_scope(alpha):
        report = services.import_allegations(alpha, data, "a.csv")
        found = {(p.row, p.column): p.message for p in report.problems}
        assert found[(2, "")] == "The referrer cannot have known after the LADO received it"
        assert found[(3, "received")] == "‘2016-13-01’ is not a date (received): write YYYY-MM-DD"
        assert "(employer)" in found[(3, "employer")]
        assert found[(3, "restraint")] == "‘maybe’ is not yes or no (restraint)"
        assert not Allegation.objects.exists()


def test_repeats_flagged_across_a_batch_and_told_to_the_lado(
    alpha: Any, lara: Any, terms: Any
) -> None:
    def new(reference: str, received: date, adult: str, setting: str) -> Allegation:
        return Allegation(
            reference=reference,
            received=received,
            referrer=terms[(TermList.REFERRER, "Police")],
            employer_type=terms[(TermList.EMPLOYER, "School staff")],
            category=terms[(TermList.CATEGORY, "Physical")],
            adult_name=adult,
            employer_name=setting,
        )

    with tenancy.partnership_scope(alpha):
        batch = [
            (new("P-1", date(2016, 4, 4), "Pat Smith", "Oak School"), []),
            (new("P-2", date(2016, 5, 4), "PAT  smith", "Elm Nursery"), []),
            (new("P-3", date(2016, 6, 4), "Jo Bloggs", "oak school"), []),
        ]
        assert services.save_contacts(alpha, batch, imported=True) == (3, 0)
        flags = {
            a.reference: (a.repeat_subject, a.repeat_setting) for a in Allegation.objects.all()
        }
        assert flags == {"P-1": (False, False), "P-2": (True, False), "P-3": (False, True)}
        told = Notification.objects.get(event="allegations.repeat")
        assert told.user == lara and told.register == "allegations"
        assert "Pat" not in told.text and "2 allegations" not in told.text  # the register's text
        assert told.url.endswith("?flagged=1&open=1")
        # One saved on the page: told with a link to it, once.
        later = new("P-4", date(2016, 7, 4), "Jo Bloggs", "Ash Academy")
        later.offence = True
        services.save_allegation(later, alpha)
        assert later.repeat_subject
        services.save_allegation(later, alpha)
        latest = Notification.objects.filter(event="allegations.repeat").order_by("pk")
        assert latest.count() == 2 and latest.last().url == later.get_absolute_url()  # type: ignore[union-attr]


def test_the_audit_trail_has_each_imported_contact(alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        services.import_allegations(alpha, rows(4), "a.csv")
        ids = set(Allegation.objects.values_list("pk", flat=True))
        created = LogEntry.objects.filter(
            action=LogEntry.Action.CREATE, content_type__model="allegation"
        )
        assert {e.object_id for e in created} == ids
        services.import_allegations(alpha, rows(4).replace(b",no,", b",yes,"), "a.csv")
        updated = LogEntry.objects.filter(
            action=LogEntry.Action.UPDATE, content_type__model="allegation"
        )
        assert updated.count() == 4
        assert all("restraint" in e.changes for e in updated)


def test_an_import_on_the_page_is_in_the_trail_as_its_importer(as_lara: Any, lara: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("a.csv", rows(2), content_type="text/csv")
    response = as_lara.post(reverse("allegations:import", args=["alpha"]), {"file": upload})
    assert response.status_code == 302
    entries = LogEntry.objects.filter(
        action=LogEntry.Action.CREATE, content_type__model="allegation"
    )
    assert entries.count() == 2 and {e.actor for e in entries} == {lara}


def test_an_earlier_contact_added_later_makes_the_later_one_a_repeat(
    alpha: Any, lara: Any, terms: Any
) -> None:
    from .conftest import contact

    later = contact(alpha, terms, "L-2", date(2016, 9, 1), adult="Pat Smith")
    assert not later.repeat_subject
    earlier = contact(alpha, terms, "L-1", date(2016, 5, 1), adult="pat smith", concluded=None)
    with tenancy.partnership_scope(alpha):
        later.refresh_from_db()
        earlier.refresh_from_db()
        assert later.repeat_subject and not earlier.repeat_subject
        told = Notification.objects.get(event="allegations.repeat")
        assert told.url == later.get_absolute_url()
        trail = LogEntry.objects.filter(
            action=LogEntry.Action.UPDATE, object_id=later.pk, content_type__model="allegation"
        )
        assert any("repeat_subject" in e.changes for e in trail)
        # The earlier one renamed: the later one is no longer a repeat.
        earlier.adult_name = "Jo Bloggs"
        services.save_allegation(earlier, alpha)
        later.refresh_from_db()
        assert not later.repeat_subject
