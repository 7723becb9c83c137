"""The import updates an arrangement already in the register (as the allegations import does)
and says so; ending an arrangement keeps the clocks of visits already missed (stopped, missed)
and drops only those not yet due, so the year's figures stay true."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.clocks import ClockState, clocks_of
from safeboard.core.periods import FinancialYear
from safeboard.private_fostering import selectors, services
from safeboard.private_fostering.models import Arrangement, EndReason

pytestmark = pytest.mark.django_db

HEADER = "reference,notified,source,start,child_age,ended,end_reason,visits\n"


def test_a_reference_already_there_is_updated_and_the_summary_says_so(alpha: Any) -> None:
    first = HEADER + "U-1,2016-05-02,school,2016-05-01,12,,,2016-05-06 alone\n"
    with tenancy.partnership_scope(alpha):
        assert services.import_arrangements(alpha, first.encode(), "pf.csv").ok
        again = (
            HEADER + "U-1,2016-05-02,health,2016-05-01,13,2016-07-01,returned_home,"
            "2016-05-06 alone;2016-06-10\n"
            "U-2,2016-06-01,parent,,,,,\n"
        )
        dry = services.import_arrangements(alpha, again.encode(), "pf.csv", dry_run=True)
        assert dry.lines() == [
            "Would import 2 arrangements: 1 new, 1 changed (already in the register), "
            "with 1 visits."
        ]
        assert Arrangement.objects.count() == 1
        report = services.import_arrangements(alpha, again.encode(), "pf.csv")
        assert (report.created, report.updated, report.added) == (1, 1, 1)
        a = Arrangement.objects.get(reference="U-1")
        assert (a.source, a.child_age, a.ended, a.end_reason) == (
            "health",
            13,
            date(2016, 7, 1),
            EndReason.RETURNED_HOME,
        )
        assert [v.visited for v in a.visits.all() if v.visited] == [
            date(2016, 5, 6),
            date(2016, 6, 10),
        ]
        # A file that leaves out a visit already recorded is a problem naming row and field.
        bad = HEADER + "U-1,2016-05-02,health,2016-05-01,13,2016-07-01,returned_home,\n"
        report = services.import_arrangements(alpha, bad.encode(), "pf.csv")
        assert [(p.row, p.column) for p in report.problems] == [(2, "visits")]
        assert "an import adds visits" in str(report.problems[0])


def test_ending_keeps_the_missed_visits_clock_and_drops_the_next(alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        a = services.save_arrangement(
            Arrangement(
                reference="E-1",
                notified=date(2016, 4, 4),
                source="school",
                start=date(2016, 4, 4),
            ),
            alpha,
        )
        services.record_visit(a, visited=date(2016, 4, 8), seen_alone=True)
        missed = services.pending_visit(a)
        assert missed is not None and missed.due == date(2016, 5, 20)  # 6 weeks
        # Ended on 1 July, six weeks after the visit fell due: it was missed.
        services.end_arrangement(a, ended=date(2016, 7, 1), reason=EndReason.RETURNED_HOME)
        (clock,) = clocks_of(missed)
        assert clock.done == date(2016, 7, 1)  # type: ignore[attr-defined]
        assert clock.state(date(2017, 1, 1)) == ClockState.MISSED  # type: ignore[attr-defined]
        assert "not made" in clock.label  # type: ignore[attr-defined]
        # Nothing runs and nothing is overdue any more; the year's figures still count it.
        assert not selectors.overdue_visits(date(2016, 7, 2)).exists()
        figures = selectors.year_figures(FinancialYear(2016), date(2017, 4, 1))
        assert (figures.later_visits.number, figures.later_visits.of) == (0, 1)
        assert (figures.first_visits.number, figures.first_visits.of) == (1, 1)


def test_a_visit_not_yet_due_at_the_end_is_dropped_and_an_end_taken_back_runs_again(
    alpha: Any,
) -> None:
    with tenancy.partnership_scope(alpha):
        a = services.save_arrangement(
            Arrangement(reference="E-2", notified=date(2016, 4, 4), source="school"), alpha
        )
        services.record_visit(a, visited=date(2016, 4, 8), seen_alone=True)
        services.end_arrangement(a, ended=date(2016, 5, 20), reason=EndReason.RETURNED_HOME)
        assert services.pending_visit(a) is None  # due on the day it ended: not missed
        figures = selectors.year_figures(FinancialYear(2016), date(2017, 4, 1))
        assert figures.later_visits.of == 0
        a.ended, a.end_reason = None, ""
        services.save_arrangement(a, alpha)
        again = services.pending_visit(a)
        assert again is not None and again.due == date(2016, 5, 20)
        assert clocks_of(again)[0].done is None  # type: ignore[attr-defined]
        with pytest.raises(services.ServiceError, match="no visit after it"):
            services.end_arrangement(a, ended=date(2016, 5, 1), reason=EndReason.OTHER)
            services.record_visit(a, visited=date(2016, 5, 2), seen_alone=False)
