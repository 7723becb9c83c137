"""Demo data for the annual report: Northdale's report for its latest full year, with the
foreword and priorities written, ready for review."""

from __future__ import annotations

from safeboard.core import tenancy
from safeboard.core.demo import DemoContext
from safeboard.core.periods import Period, current_financial_year
from safeboard.core.tables import TableRow
from safeboard.performance import services as performance_services
from safeboard.performance.models import Indicator
from safeboard.performance.validation import validate_values
from safeboard.planning import selectors as planning_selectors
from safeboard.planning.models import Plan

from . import services

FOREWORD = """\
This is my report on how well children in Northdale were kept safe in {year}, and on how well
the partnership's agencies worked together to do it.

The board met [[attendance.meetings]] times. Agencies filled [[attendance.overall_rate]] of
their places ([[attendance.overall_rate:{previous}]] the year before), against our standard of
[[attendance.target]]. I have written to every agency whose attendance fell below it.

[[population.children]] children and young people live in Northdale. Every figure in this
report is computed from the partnership's records, and each one links to its source.

Margaret Hughes, Independent Chair
"""

PRIORITIES = """\
In the coming year the partnership will concentrate on three priorities:

- **Neglect**: embed the graded care profile in every agency and audit its use.
- **Exploitation and children missing**: make sure every child who goes missing is offered a
  return home interview within 72 hours.
- **The voice of the child**: show in every audit how children's views changed what we did.

Progress against each will be reported to the board every quarter through the multi-agency
dataset and the business plan.
"""


def _measures(ctx: DemoContext, year: Period) -> None:
    """The business unit's own indicators give values of what Safeboard computes: PB1.1 board
    attendance, PB1.2 plan actions completed within timescale. They are linked to those
    measures, and the year's PB1.2 figure is the plan's (the report refuses two values of one
    measure)."""
    links = {"PB1.1": "board_attendance", "PB1.2": "plan_completed_in_time"}
    found = {i.code: i for i in Indicator.objects.filter(code__in=links)}
    for code, measure in links.items():
        if code in found:
            found[code].measure = measure
            found[code].save(update_fields=["measure"])
    plan = Plan.objects.filter(
        first_year__lte=year.start.year, last_year__gte=year.start.year
    ).first()
    if "PB1.2" not in found or plan is None:
        return
    completion = next(
        (y for y in planning_selectors.plan_indicators(plan, year.end).years if y.period == year),
        None,
    )
    if completion is None or completion.percent is None:
        return
    row = TableRow(
        2,
        {
            "indicator": "PB1.2",
            "period": year.label,
            "value": f"{completion.percent:.1f}",
            "numerator": str(completion.in_time),
            "denominator": str(completion.due),
        },
    )
    clean, problems = validate_values([row], performance_services.value_rules(ctx.partnership))
    if not problems:
        performance_services.save_values(
            ctx.partnership,
            clean,
            user=ctx.users["admin"],
            released=True,
            reason="The year's figure from the business plan's records",
        )


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnership
    year = current_financial_year(ctx.today).previous()
    with tenancy.partnership_scope(partnership):
        _measures(ctx, year)
        report = services.create_report(
            partnership=partnership, year=year.start.year, by=ctx.users["admin"]
        )
        texts = {
            "foreword": FOREWORD.format(year=year.label, previous=year.previous().label),
            "priorities": PRIORITIES,
        }
        for section in report.sections.filter(key__in=texts):
            services.save_text(section, title=section.title, text=texts[section.key])
    ctx.extra["report"] = report
