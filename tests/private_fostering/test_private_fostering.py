"""Private fostering: the visits' clocks (first within 7 working days of the notification,
then at most 6 weeks apart in the first year and 12 weeks after), overdue visits, the annual
figures and their files, who sees what, and that every read is logged."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from safeboard.core import tenancy
from safeboard.core.clocks import clocks_of
from safeboard.core.errors import ServiceError
from safeboard.core.periods import FinancialYear
from safeboard.private_fostering import selectors, services
from safeboard.private_fostering.models import Arrangement, EndReason

from .conftest import arrangement

pytestmark = pytest.mark.django_db


def test_visit_clocks_first_in_7_working_days_then_6_then_12_weeks(
    alpha: Any, one: Arrangement
) -> None:
    with tenancy.partnership_scope(alpha):
        first = services.pending_visit(one)
        assert first is not None
        # 7 working days after Friday 7 April 2017, past Good Friday and Easter Monday.
        assert first.due == date(2017, 4, 20)
        assert [c.kind for c in clocks_of(first)] == ["private_fostering.first_visit"]  # type: ignore[attr-defined]
        services.record_visit(one, visited=date(2017, 4, 21), seen_alone=True)
        second = services.pending_visit(one)
        assert second is not None and second.due == date(2017, 6, 2)  # 6 weeks
        services.record_visit(one, visited=date(2017, 6, 1), seen_alone=False)
        third = services.pending_visit(one)
        assert third is not None and third.due == date(2017, 7, 13)
        # After the first year (from 3 April 2018): 12 weeks.
        services.record_visit(one, visited=date(2018, 4, 3), seen_alone=True)
        later = services.pending_visit(one)
        assert later is not None and later.due == date(2018, 6, 26)
        assert clocks_of(later)[0].kind == "private_fostering.later_visit"  # type: ignore[attr-defined]
        visits = {v.number: v for v in one.visits.all()}
        assert visits[1].on_time is False and visits[2].on_time is True
        assert visits[3].on_time is False
        with pytest.raises(ServiceError):
            services.record_visit(one, visited=date(2018, 3, 1), seen_alone=True)


def test_overdue_visits_and_ending_stops_the_clock(alpha: Any, one: Arrangement) -> None:
    with tenancy.partnership_scope(alpha):
        assert [v.arrangement for v in selectors.overdue_visits(date(2017, 4, 21))] == [one]
        assert not selectors.overdue_visits(date(2017, 4, 20)).exists()
        services.end_arrangement(one, ended=date(2017, 4, 12), reason=EndReason.RETURNED_HOME)
        assert not selectors.overdue_visits(date(2017, 5, 1)).exists()
        assert services.pending_visit(one) is None


def test_annual_figures_and_files(alpha: Any, tmp_path: Path) -> None:
    a = arrangement(alpha, "A", date(2016, 5, 2), start=date(2016, 4, 20))  # notified after
    b = arrangement(alpha, "B", date(2016, 6, 1), start=date(2016, 6, 6), source="parent")
    arrangement(alpha, "C", date(2017, 5, 1))  # the next year
    with tenancy.partnership_scope(alpha):
        services.record_visit(a, visited=date(2016, 5, 5), seen_alone=True)  # on time
        services.record_visit(b, visited=date(2016, 6, 20), seen_alone=False)  # late
        services.record_visit(a, visited=date(2016, 6, 10), seen_alone=True)  # within 6 weeks
        services.end_arrangement(b, ended=date(2017, 1, 10), reason=EndReason.AGE)
        f = selectors.year_figures(FinancialYear(2016), date(2017, 6, 1))
    assert f.notifications == 2 and f.before_start == 1 and f.from_agencies == 1
    assert f.at_31_march == 1
    assert (f.first_visits.number, f.first_visits.of) == (1, 2)
    # A's second visit on time; A's third (due 22 July 2016) and B's second (due 1 August
    # 2016, before B ended) never made: missed.
    assert (f.later_visits.number, f.later_visits.of) == (1, 3)
    call_command(
        "private-fostering",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path),
        "--date",
        "2017-06-01",
        stdout=io.StringIO(),
    )

    def read(name: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO((tmp_path / name).read_bytes().decode("utf-8-sig"))))

    by_source = read("notifications-by-source.csv")
    assert by_source[0] == ["Source", "Number"] and by_source[-1] == ["Total", "2"]
    assert ["Parent", "1"] in by_source and ["School or college", "1"] in by_source
    figures = read("figures.csv")
    assert ["First visits within 7 working days", "1", "2", "50"] in figures
    assert ["Arrangements at 31 March", "1", "", ""] in figures
    years = read("years.csv")
    assert years[0][0] == "Year" and years[-1][:3] == ["2016-17", "2", "1"]
    call_command(
        "private-fostering",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path / "p"),
        "--public",
        "--date",
        "2017-06-01",
        stdout=io.StringIO(),
    )
    public = list(
        csv.reader(io.StringIO((tmp_path / "p" / "figures.csv").read_bytes().decode("utf-8-sig")))
    )
    assert ["First visits within 7 working days", "c", "c", "c"] in public


def test_import_checks_every_row_first(alpha: Any, tmp_path: Path) -> None:
    data = tmp_path / "pf.csv"
    data.write_text(
        "reference,notified,source,start,child_age,ended,end_reason,visits\n"
        "I-1,2016-05-02,school,2016-05-01,12,,,2016-05-06 alone;2016-06-10\n"
        "I-2,2016-07-01,martian,,,,,\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("private-fostering", "import", "--partnership", "alpha", str(data), stderr=err)
    assert "Row 3: ‘martian’ is not a source" in err.getvalue()
    with tenancy.partnership_scope(alpha):
        assert not Arrangement.objects.exists()
    data.write_text(data.read_text().replace("martian", "parent"))
    out = io.StringIO()
    call_command("private-fostering", "import", "--partnership", "alpha", str(data), stdout=out)
    assert "Imported 2 arrangements: 2 new, 0 changed, with 2 visits." in out.getvalue()
    with tenancy.partnership_scope(alpha):
        a = Arrangement.objects.get(reference="I-1")
        assert [(v.visited, v.seen_alone) for v in a.visits.all()][:2] == [
            (date(2016, 5, 6), True),
            (date(2016, 6, 10), False),
        ]


def test_who_sees_what_and_every_read_logged(
    one: Arrangement, visitors: dict[str, Client], pia: Any
) -> None:
    as_pia, as_alice, as_bob, as_charlie = visitors.values()

    def url(name: str, *args: Any) -> str:
        return reverse(f"private_fostering:{name}", args=["alpha", *args])

    for name, args in (("index", ()), ("detail", (one.pk,)), ("export", ()), ("overdue", ())):
        assert as_pia.get(url(name, *args)).status_code == 200
        assert as_alice.get(url(name, *args)).status_code == 403
        assert as_bob.get(url(name, *args)).status_code == 403
        assert as_charlie.get(url(name, *args)).status_code == 404
    api = f"/api/v1/partnerships/alpha/private-fostering/{one.pk}"
    assert as_pia.get(api).status_code == 200
    assert as_alice.get(api).status_code == 404
    assert as_charlie.get(api).status_code == 404
    assert as_bob.get(url("figures") + "?year=2017-18").context["public"]
    assert not as_pia.get(url("figures") + "?year=2017-18").context["public"]

    def logged(detail: str) -> int:
        return LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS,
            actor=pia,
            object_pk=str(one.pk),
            content_type=ContentType.objects.get_for_model(Arrangement),
            additional_data__detail=detail,
        ).count()

    # The index; the detail and the API; the export (read to its end in the loop above).
    assert logged("listed") == 1 and logged("read") == 2 and logged("exported") == 1
    as_pia.get("/api/v1/partnerships/alpha/private-fostering")
    assert logged("listed") == 2
