"""The LADO service's part of the annual report: the year's allegations by employer type and
category, referring agencies, outcomes and timeliness, the last years beside it, restraint,
and the service's own account. Computed from the register for the report's year; counts of
adults and children, so the public edition suppresses small ones (tables of counts)."""

from __future__ import annotations

from safeboard.core import disclosure, words
from safeboard.core.periods import Period
from safeboard.reporting import figures, registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Block, Cell, Document, Figure, Paragraph, Table

from . import selectors

SECTION = "lado.allegations"


def _tables(ctx: ReportContext, year: Period | None = None) -> selectors.YearTables:
    year = year or ctx.year
    return ctx.memo(f"lado-{year.label}", lambda: selectors.year_tables(year))


@registry.figure("lado.allegations", "Allegations received by the LADO in the year")
def allegations(ctx: ReportContext, *args: str) -> Figure:
    t = _tables(ctx)
    return figures.count(
        "lado.allegations",
        f"Allegations received by the LADO, {ctx.year.label}",
        t.allegations,
        f"LADO register: allegations meeting the harm threshold received in {ctx.year.label}",
    )


@registry.figure("lado.consultations", "Consultations (below the threshold) in the year")
def consultations(ctx: ReportContext, *args: str) -> Figure:
    t = _tables(ctx)
    return figures.count(
        "lado.consultations",
        f"LADO consultations, {ctx.year.label}",
        t.consultations,
        f"LADO register: consultations and low-level concerns received in {ctx.year.label}",
    )


def _measure(ctx: ReportContext, key: str, index: int) -> Figure:
    t = _tables(ctx)
    m = t.timeliness[index]
    # The public edition hides the measure, and the counts its source gives, as the tables
    # do (a small number, a small rest, or a small difference from another measure).
    hidden = ctx.public and t.hidden_measures()[index]
    number, of = disclosure.share_counts(m.number, m.of, public=ctx.public)
    figure = figures.percent(
        key,
        f"{m.label}, {ctx.year.label}",
        100 * m.number / m.of if m.of else None,
        f"LADO register, statutory clocks: {disclosure.SUPPRESSED if hidden else number} of "
        + (
            f"{disclosure.SUPPRESSED} allegations"
            if of == disclosure.SUPPRESSED
            else words.plural(m.of, "allegation")
        )
        + f" received in {ctx.year.label}",
        basis=m.number,
        of=m.of,
    )
    if hidden and figure.value is not None:
        figure.text, figure.suppressed = disclosure.SUPPRESSED, True
    return figure


@registry.figure("lado.referred_in_time", "Allegations referred within one working day")
def referred_in_time(ctx: ReportContext, *args: str) -> Figure:
    return _measure(ctx, "lado.referred_in_time", 0)


@registry.figure("lado.concluded_1m", "Allegations concluded within one month")
def concluded_1m(ctx: ReportContext, *args: str) -> Figure:
    return _measure(ctx, "lado.concluded_1m", 1)


@registry.figure("lado.concluded_3m", "Allegations concluded within three months")
def concluded_3m(ctx: ReportContext, *args: str) -> Figure:
    return _measure(ctx, "lado.concluded_3m", 2)


@registry.figure("lado.concluded_12m", "Allegations concluded within twelve months")
def concluded_12m(ctx: ReportContext, *args: str) -> Figure:
    return _measure(ctx, "lado.concluded_12m", 3)


@registry.figure("lado.restraint", "Allegations that followed the use of restraint")
def restraint(ctx: ReportContext, *args: str) -> Figure:
    t = _tables(ctx)
    return figures.count(
        "lado.restraint",
        f"Allegations following restraint, {ctx.year.label}",
        t.restraint,
        f"LADO register: allegations received in {ctx.year.label} that followed restraint",
    )


@registry.section(
    SECTION, "Allegations against people who work with children", order=700, part="lado"
)
def lado_section(ctx: ReportContext, doc: Document) -> list[Block]:
    t = _tables(ctx)
    for resolver in (
        allegations,
        consultations,
        restraint,
        referred_in_time,
        concluded_1m,
        concluded_3m,
        concluded_12m,
    ):
        doc.add_figure(resolver(ctx), SECTION)

    def counted(key: str, noun: str) -> str:
        return figures.counted(doc.figures.get(key), key, noun, public=ctx.public)

    blocks: list[Block] = [
        Paragraph(
            f"In {ctx.year.label} the LADO received {counted('lado.allegations', 'allegation')} "
            "that met the harm threshold and gave advice in "
            f"{counted('lado.consultations', 'consultation')} below it. "
            f"{counted('lado.restraint', 'allegation')} followed the use of restraint. "
            "[[lado.referred_in_time]] of allegations were referred within one working day of the "
            "referrer knowing; [[lado.concluded_1m]] were concluded within one month, "
            "[[lado.concluded_3m]] within three months and [[lado.concluded_12m]] within twelve."
        )
    ]
    years = [ctx.year.shift(-2), ctx.year.shift(-1), ctx.year]
    history = [_tables(ctx, y) for y in years]
    rows = [
        [Cell("Allegations"), *(Cell.count(h.allegations) for h in history)],
        [Cell("Consultations"), *(Cell.count(h.consultations) for h in history)],
        [Cell("Following restraint"), *(Cell.count(h.restraint) for h in history)],
    ]
    for index, label in enumerate(selectors.MEASURES):
        cells = [Cell(label[0] + " (%)")]
        for h in history:
            m = h.timeliness[index]
            hidden = ctx.public and h.hidden_measures()[index]
            cells.append(Cell.percent(m.percent, hidden=hidden))
        rows.append(cells)
    blocks.append(
        Table(
            "The LADO's last three years",
            ["Measure", *(y.label for y in years)],
            rows,
            counts=True,  # allegations: people (the public edition's small counts are c)
        )
    )
    header, grid = t.employer_by_category()
    blocks.append(
        Table(
            f"Allegations by employer type and category of harm, {ctx.year.label}",
            header,
            Cell.counts(grid),
            total_row=True,
            total_column=True,
            counts=True,
        )
    )
    header, grid = t.referrals_by_agency()
    blocks.append(
        Table(
            f"Allegations by referring agency, {ctx.year.label}",
            header,
            Cell.counts(grid),
            total_row=True,
            counts=True,
        )
    )
    header, grid = t.outcome_counts()
    blocks.append(
        Table(
            f"Outcomes of allegations received in {ctx.year.label} (an allegation can have "
            "several; the last row is the number of allegations)",
            header,
            Cell.counts(grid),
            counts=True,
        )
    )
    return blocks


registry.narrative(
    "lado.narrative",
    "The LADO service's account of the year",
    order=705,
    part="lado",
    required=False,
    hint="What the figures mean: demand, themes, learning, and the service's priorities.",
)
