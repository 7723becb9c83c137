"""Private fostering's published figures cannot be worked back to a small count: not from the
by-source total less the other sources, not from "notifications from partner agencies" (a sum
of some sources) less the published ones, not from an Of less its Number or from a
percentage, and not from the report's sources."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.private_fostering import selectors
from safeboard.private_fostering.models import Arrangement, Source, Visit
from safeboard.reporting.document import Table
from safeboard.reports import services as reports

pytestmark = pytest.mark.django_db
YEAR = FinancialYear(2016)
TODAY = date(2017, 6, 1)


def notifications(p: Any, source: str, n: int, *, after_start: bool = False) -> list[Any]:
    """`n` notifications from `source` in 2016-17 (made after the arrangement began when
    `after_start`); only what the figures count, without the visits' clocks."""
    made = []
    with tenancy.partnership_scope(p):
        for i in range(n):
            notified = date(2016, 5, 2) + timedelta(days=i)
            made.append(
                Arrangement.objects.create(
                    partnership=p,
                    reference=f"{source}-{i}",
                    notified=notified,
                    source=source,
                    start=notified - timedelta(days=3) if after_start else notified,
                )
            )
    return made


def published(p: Any, name: str) -> list[list[Any]]:
    with tenancy.partnership_scope(p):
        return selectors.files(YEAR, TODAY, public=True)[name][1]


def row(rows: list[list[Any]], label: str) -> list[Any]:
    return next(r for r in rows if r[0] == label)


def test_a_suppressed_source_is_not_the_agencies_subtotal_less_the_others(alpha: Any) -> None:
    """Police 3 is `c`, and Parent 6 with it (the total is published); "Notifications from
    partner agencies" is Police and School: 10 beside School 7 would give Police = 3."""
    for source, n in ((Source.POLICE, 3), (Source.SCHOOL, 7), (Source.PARENT, 6), ("other", 9)):
        notifications(alpha, source, n)
    by_source = published(alpha, selectors.NOTIFICATIONS_BY_SOURCE)
    figures = published(alpha, selectors.FIGURES)
    assert row(by_source, "Police")[1] == "c"
    school = row(by_source, "School or college")[1]
    agencies = row(figures, "Notifications from partner agencies")[1]
    assert "c" in (school, agencies), f"Police = {agencies} - {school}"


def test_a_small_count_notified_late_is_not_the_of_less_the_number(alpha: Any) -> None:
    """Eight notified, seven before the arrangement began: "7 of 8 (88%)" says one was
    notified after it had begun."""
    notifications(alpha, Source.SCHOOL, 7)
    notifications(alpha, Source.HEALTH, 1, after_start=True)
    figures = published(alpha, selectors.FIGURES)
    assert row(figures, "Notified before the arrangement began") == [
        "Notified before the arrangement began",
        "c",
        8,
        "c",
    ]


def visits(p: Any, on_time: int, late: int) -> None:
    """First visits due in 2016-17: `on_time` made on the day they were due, `late` a week
    after."""
    made = notifications(p, Source.SCHOOL, on_time + late)
    with tenancy.partnership_scope(p):
        for i, a in enumerate(made):
            due = a.notified + timedelta(days=9)
            Visit.objects.create(
                partnership=p,
                arrangement=a,
                number=1,
                due=due,
                visited=due if i < on_time else due + timedelta(days=7),
            )


def test_a_small_count_of_late_visits_is_not_the_of_less_the_number(alpha: Any) -> None:
    visits(alpha, on_time=9, late=1)
    figures = published(alpha, selectors.FIGURES)
    assert row(figures, "First visits within 7 working days") == [
        "First visits within 7 working days",
        "c",
        10,
        "c",
    ]
    years = published(alpha, selectors.YEARS)
    assert row(years, "2016-17")[3] == "c"  # 90% of the 10 first visits in the figures


def test_the_public_report_hides_a_small_count_of_late_visits_and_its_sources(
    alpha: Any, alice: Any
) -> None:
    visits(alpha, on_time=9, late=1)
    with tenancy.partnership_scope(alpha):
        report = reports.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        board = reports.document(report)
        public = reports.document(report, "public")
    assert board.figures["private_fostering.first_visits"].text == "90%"
    first = public.figures["private_fostering.first_visits"]
    assert first.text == "c"
    assert "9 of 10" not in first.source and "1 of" not in first.source
    section = next(s for s in public.sections if s.key == "private_fostering.year")
    years = next(b for b in section.blocks if isinstance(b, Table) and "years" in b.caption)
    assert [c.text for c in years.rows[-1]][3] == "c"


def test_the_public_report_sources_give_no_small_count(alpha: Any, alice: Any) -> None:
    """Three of four first visits on time: the figure is `c`, and so is its source's
    "3 of 4 visits"."""
    visits(alpha, on_time=3, late=1)
    with tenancy.partnership_scope(alpha):
        report = reports.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        public = reports.document(report, "public")
    first = public.figures["private_fostering.first_visits"]
    assert first.text == "c"
    assert "3 of 4" not in first.source
