"""Demo data for the annual report: Northdale's report for its latest full year, with the
foreword and priorities written, ready for review."""

from __future__ import annotations

from safeboard.core import tenancy
from safeboard.core.demo import DemoContext
from safeboard.core.periods import current_financial_year

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


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnership
    year = current_financial_year(ctx.today).previous()
    with tenancy.partnership_scope(partnership):
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
