"""Private fostering's part of the annual report: notifications in the year and who made
them, arrangements at 31 March, the statutory visits' timeliness, the table over years (kept
after the national collection stopped in 2016), and whether notifications from partner
agencies followed the awareness activity. Counts of children: suppressed when small in the
public edition."""

from __future__ import annotations

from safeboard.core import disclosure, words
from safeboard.core.periods import Period
from safeboard.reporting import figures, registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Block, Cell, Document, Figure, Paragraph, Table

from . import selectors

SECTION = "private_fostering.year"


def _figures(ctx: ReportContext, year: Period | None = None) -> selectors.YearFigures:
    year = year or ctx.year
    return ctx.memo(f"pf-{year.label}", lambda: selectors.year_figures(year, ctx.as_at))


@registry.figure("private_fostering.notifications", "Private fostering notifications in the year")
def notifications(ctx: ReportContext, *args: str) -> Figure:
    f = _figures(ctx)
    return figures.count(
        "private_fostering.notifications",
        f"Private fostering notifications, {ctx.year.label}",
        f.notifications,
        f"Private fostering register: notifications received in {ctx.year.label}",
    )


@registry.figure("private_fostering.at_31_march", "Privately fostered children at 31 March")
def at_31_march(ctx: ReportContext, *args: str) -> Figure:
    f = _figures(ctx)
    return figures.count(
        "private_fostering.at_31_march",
        f"Privately fostered children at {ctx.year.end:%d %B %Y}",
        f.at_31_march,
        f"Private fostering register: arrangements open on {ctx.year.end:%d %B %Y}",
    )


def _share(ctx: ReportContext, key: str, share: selectors.Share) -> Figure:
    # In the public edition the source's counts follow the figure's rule (`c` when either
    # side of the share is small).
    number, of = disclosure.share_counts(share.number, share.of, public=ctx.public)
    return figures.percent(
        key,
        f"{share.label}, {ctx.year.label}",
        100 * share.number / share.of if share.of else None,
        # The noun agrees with the count shown: plural when it is suppressed (`c`).
        f"Private fostering register, statutory clocks: {number} of {of} "
        f"{words.noun(int(share.of) if of != disclosure.SUPPRESSED else 2, 'visit')} "
        f"due in {ctx.year.label}",
        basis=share.number,
        of=share.of,
    )


@registry.figure("private_fostering.first_visits", "First visits within 7 working days")
def first_visits(ctx: ReportContext, *args: str) -> Figure:
    return _share(ctx, "private_fostering.first_visits", _figures(ctx).first_visits)


@registry.figure("private_fostering.later_visits", "Later visits within 6 (12) weeks")
def later_visits(ctx: ReportContext, *args: str) -> Figure:
    return _share(ctx, "private_fostering.later_visits", _figures(ctx).later_visits)


@registry.section(SECTION, "Private fostering", order=720, part="private_fostering")
def section(ctx: ReportContext, doc: Document) -> list[Block]:
    f = _figures(ctx)
    for resolver in (notifications, at_31_march, first_visits, later_visits):
        doc.add_figure(resolver(ctx), SECTION)
    previous = _figures(ctx, ctx.year.previous())
    if f.activities:
        compared_word = (
            "more"
            if f.from_agencies > previous.from_agencies
            else "no more"
            if f.from_agencies == previous.from_agencies
            else "fewer"
        )
        awareness = (
            f"The service held {words.plural(f.activities, 'awareness activity')} in the "
            f"year; partner agencies made {compared_word} notifications than the year before."
        )
    else:
        awareness = "No awareness activity was recorded in the year."

    def agree(key: str) -> int:
        return figures.agreeing(doc.figures.get(key), public=ctx.public)

    def counted(key: str, noun: str, plural: str | None = None) -> str:
        return figures.counted(doc.figures.get(key), key, noun, plural, public=ctx.public)

    blocks: list[Block] = [
        Paragraph(
            f"In {ctx.year.label} the local authority received "
            f"{counted('private_fostering.notifications', 'notification')} of private "
            "fostering arrangements, and "
            f"{counted('private_fostering.at_31_march', 'child', 'children')} "
            f"{words.noun(agree('private_fostering.at_31_march'), 'was', 'were')} privately "
            "fostered at the end of the year. "
            "[[private_fostering.first_visits]] of first visits were made within seven working "
            "days of the notification, and [[private_fostering.later_visits]] of later visits "
            f"within the interval the regulations set. {awareness}"
        ),
        Table(
            f"Notifications by who made them, {ctx.year.label}",
            ["Source", "Number"],
            [[Cell(label), Cell.count(n)] for label, n in f.by_source]
            + [[Cell("Total"), Cell.count(f.notifications)]],
            total_row=True,
            counts=True,
        ),
    ]
    rows: list[list[Cell]] = []
    for y in selectors.years_up_to(ctx.year, ctx.as_at):
        cells: list[Cell] = [
            Cell(y.year.label),
            Cell.count(y.notifications),
            Cell.count(y.at_31_march),
        ]
        for share in (y.first_visits, y.later_visits):
            hidden = ctx.public and disclosure.share_hidden(share.number, share.of)
            cells.append(Cell.percent(share.percent, hidden=hidden))
        rows.append(cells)
    blocks.append(
        Table(
            "Private fostering over the years",
            [
                "Year",
                "Notifications",
                "At 31 March",
                "First visits on time",
                "Later visits on time",
            ],
            rows,
            counts=True,
        )
    )
    return blocks


registry.narrative(
    "private_fostering.narrative",
    "The private fostering service's account of the year",
    order=725,
    part="private_fostering",
    required=False,
    hint="Identification, compliance with visits, and what awareness raising achieved.",
)
