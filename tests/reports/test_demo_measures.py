"""The demo's indicators of measures Safeboard computes are linked to them (issue 10): PB1.1
to board attendance, PB1.2 to business plan actions completed within timescale. The demo's
figures agree with the records; a different figure typed for the year blocks approval, end
to end."""

from __future__ import annotations

import pytest

from safeboard.core import demo, tenancy
from safeboard.core.errors import ServiceError
from safeboard.core.periods import parse_period
from safeboard.core.tables import TableRow
from safeboard.performance import services as performance
from safeboard.performance.models import Indicator, Value
from safeboard.reporting import registry
from safeboard.reports import checks, services


@pytest.mark.django_db
def test_the_demo_links_its_indicators_to_the_measures_and_a_second_value_blocks_approval() -> None:
    ctx = demo.load()
    report = ctx.extra["report"]
    with tenancy.partnership_scope(ctx.partnership):
        codes = dict(
            Indicator.objects.filter(code__startswith="PB1.").values_list("code", "measure")
        )
        assert codes == {"PB1.1": "board_attendance", "PB1.2": "plan_completed_in_time"}
        # Their values are the measures' values, computed from the records.
        for value in Value.objects.filter(indicator__code__startswith="PB1.", current=True):
            computed = registry.measure_value(
                value.indicator.measure,
                ctx.partnership,
                parse_period(value.period),
                as_at=ctx.today,
            )
            assert computed is not None
            assert value.value == pytest.approx(computed, abs=0.05), value.period
        board = services.document(report)
        year = board.figures["indicator:PB1.2:value"]
        assert year.measure == "plan_completed_in_time"
        assert round(year.value) == round(board.figures["plan.completed_in_time"].value)
        assert not any("two values" in p.message for p in board.problems)
        assert checks.blocking(board.problems) == []

        # The business unit corrects PB1.2 for the year to a figure of its own.
        typed = Value.objects.get(indicator__code="PB1.2", period=report_year(report), current=True)
        performance.correct_value(
            typed,
            TableRow(1, {"indicator": "PB1.2", "period": typed.period, "value": "96.5"}),
            reason="As the subgroup reported it",
            user=ctx.users["admin"],
        )
        _, found = services.problems(report)
        blocking = [p.message for p in checks.blocking(found)]
        assert any(
            m.startswith("Business plan actions completed within timescale has two values")
            and "96.5" in m
            for m in blocking
        ), blocking
        services.submit_for_review(report)
        with pytest.raises(ServiceError, match="cannot be approved"):
            services.approve(report, by=ctx.users["chair"])


def report_year(report: object) -> str:
    from safeboard.core.periods import FinancialYear

    return FinancialYear(report.year).label  # type: ignore[attr-defined]
