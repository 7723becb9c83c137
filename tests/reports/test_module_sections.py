"""The performance and planning modules' sections of the annual report, on the demo
partnership: their figures are the modules' own figures, and the checks pass."""

from __future__ import annotations

import pytest

from safeboard.core import demo, tenancy
from safeboard.core.periods import FinancialYear
from safeboard.performance import selectors as performance
from safeboard.planning import selectors as planning
from safeboard.planning.models import Plan
from safeboard.reporting.document import Chart, Table
from safeboard.reports import checks, services


@pytest.mark.django_db
def test_the_demo_report_draws_on_every_module() -> None:
    ctx = demo.load()
    report = ctx.extra["report"]
    with tenancy.partnership_scope(ctx.partnership):
        board = services.document(report)
        public = services.document(report, "public")
        year = FinancialYear(report.year)
        card = performance.scorecard(ctx.partnership, year)
        plan = Plan.objects.get(first_year__lte=report.year, last_year__gte=report.year)
        completion = next(
            y
            for y in planning.plan_indicators(plan, min(report.as_at, year.end)).years
            if y.period == year
        )
    keys = [s.key for s in board.sections]
    for key in (
        "performance.scorecard",
        "performance.movers",
        "performance.exceptions",
        "performance.profiles",
        "planning.plan",
        "planning.risks",
        "planning.challenges",
    ):
        assert key in keys
    assert checks.blocking(board.problems) == []
    # The scorecard table shows the scorecard's figures.
    scorecard_table = next(
        b
        for s in board.sections
        if s.key == "performance.scorecard"
        for b in s.blocks
        if isinstance(b, Table)
    )
    shown = {row[0].text.split(" ", 1)[0]: row[2].text for row in scorecard_table.rows}
    assert shown == {row.indicator.code: row.display for row in card.rows}
    # The plan's completion in time is the planning module's indicator.
    figure = board.figures["plan.completed_in_time"]
    assert figure.value == pytest.approx(completion.percent)
    assert f"of {completion.due} actions" in figure.source
    # Every indicator with values has its chart; well over thirty in all.
    charts = [b for s in board.sections for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) >= 30
    assert all(c.description and not c.description.endswith("table below.") for c in charts)
    # The risks are for the board only.
    assert "planning.risks" not in [s.key for s in public.sections]
    suppressed = [f for f in public.figures.values() if f.suppressed]
    assert suppressed and all(f.text == "c" and f.people for f in suppressed)
    # Counts of meetings, agencies, actions and indicators are published as they are.
    for key in ("attendance.meetings", "agencies.count", "plan.overdue"):
        assert public.figures[key].text == board.figures[key].text
    # The ratings counted are those the edition publishes: a suppressed figure's rating is not
    # (in the demo, 35 of 39 children: the 4 others are a small count).
    with tenancy.partnership_scope(ctx.partnership):
        public_card = performance.scorecard(ctx.partnership, year, public=True)
    public_red = sum(1 for row in public_card.rows if row.rag == "R")
    assert public.figures["performance.red"].value == public_red
    assert board.figures["performance.red"].value == sum(1 for row in card.rows if row.rag == "R")
