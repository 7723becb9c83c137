"""The child death review's part of the annual report: the year's reviews (the annual tables
with the two years before and England's percentages, and a chart), the panel's year when the
partnership hosts a panel shared with others, modifiable factors and learning with the
recommendations' progress, timeliness against England, and the agencies' form returns.

Every section is about dead children and rests on small numbers. The year's tables and the
timeliness are in the public edition *suppressed* (each year's column as the annual tables'
`--public` files: a count from 1 to 5 and its percentage are `c`, and further cells until
none can be worked back from the Total; the chart only when nothing is hidden; the figures
through the report's disclosure control, their complements included). The learning and the
agencies' forms are left out of the public edition (`public=False`). Each figure counts the
reviews *completed* in the report's financial year; the partnership's own figures count its
residents, the panel's count every death it reviewed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from safeboard.core import disclosure, words
from safeboard.planning.models import Progress
from safeboard.reporting import figures, registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Block, Cell, Chart, Document, Figure, Paragraph, Table

from . import selectors
from .constants import TIME_BANDS, Domain
from .models import AgencyForm, Factor, PanelReview, Recommendation

PART = "learning"


def _years(ctx: ReportContext, panel: bool = False) -> list[dict[str, selectors.YearTable]]:
    return ctx.memo(
        f"cdop-years-{panel}",
        lambda: selectors.years_beside(ctx.year.label, partnership=ctx.partnership, panel=panel),
    )


def _num(n: int) -> Cell:
    return Cell(str(n), numeric=True, value=float(n))


def _pct(p: Any) -> Cell:
    return Cell("z" if p is None else f"{p}%", numeric=False)


HIDDEN = Cell(disclosure.SUPPRESSED, numeric=True, value=None)


def _hidden_rows(table: selectors.YearTable, public: bool) -> set[str]:
    """The rows (and `Total`) of a year's table that the public edition hides: the annual
    tables' own suppression (`YearTable.csv_rows(public=True)`)."""
    if not public:
        return set()
    return {row[0] for row in table.csv_rows(public=True) if row[1] == disclosure.SUPPRESSED}


@registry.figure("cdop.reviews_completed", "Child death reviews completed in the year")
def reviews_completed(ctx: ReportContext, *args: str) -> Figure:
    total = _years(ctx)[-1]["sex"].total
    return figures.count(
        "cdop.reviews_completed",
        f"Child death reviews completed, {ctx.year.label}",
        total,
        f"Reviews of the deaths of {ctx.partnership}'s residents completed between "
        f"{ctx.year.start} and {ctx.year.end}",
    )


def _share_source(ctx: ReportContext, number: int, total: int, what: str) -> str:
    """A share's provenance: its two counts, in the board edition only (in the public one
    they would give away what the suppression hides)."""
    if ctx.public:
        return f"{what} among the reviews completed in {ctx.year.label}"
    return f"{number} of {words.plural(total, 'review')} completed in {ctx.year.label}"


@registry.figure("cdop.modifiable", "Completed reviews that found modifiable factors (%)")
def modifiable_share(ctx: ReportContext, *args: str) -> Figure:
    table = _years(ctx)[-1]["modifiable"]
    number = table.counts["Modifiable factors identified"]
    return figures.percent(
        "cdop.modifiable",
        f"Reviews with modifiable factors, {ctx.year.label}",
        selectors.percent(number, table.total),
        _share_source(ctx, number, table.total, "Reviews that found modifiable factors"),
        basis=number,
        of=table.total,
    )


def _year_table(ctx: ReportContext, key: str, years: list[dict[str, selectors.YearTable]]) -> Table:
    current = years[-1][key]
    before = [y[key] for y in years[:-1]]
    hidden = {t.year: _hidden_rows(t, ctx.public) for t in (*before, current)}

    def count(t: selectors.YearTable, label: str, n: int) -> Cell:
        return HIDDEN if label in hidden[t.year] else _num(n)

    columns = [
        current.heading,
        *(t.year for t in before),
        f"{current.year}",
        "Percent",
        "England %",
    ]
    rows = []
    for label, number, share in current.rows:
        england = current.england.get(label)
        rows.append(
            [
                Cell(label),
                *(count(t, label, t.counts[label]) for t in before),
                count(current, label, number),
                Cell(disclosure.SUPPRESSED) if label in hidden[current.year] else _pct(share),
                Cell("x" if england is None else f"{england}%"),
            ]
        )
    rows.append(
        [
            Cell("Total"),
            *(count(t, selectors.TOTAL, t.total) for t in before),
            count(current, selectors.TOTAL, current.total),
            Cell(
                disclosure.SUPPRESSED
                if selectors.TOTAL in hidden[current.year]
                else ("100%" if current.total else "z")
            ),
            Cell(""),
        ]
    )
    return Table(
        f"{current.title}: reviews completed in {current.year} and the years before",
        columns,
        rows,
        total_row=True,
        counts=True,
    )


def _category_chart(table: selectors.YearTable) -> Chart:
    values = [{"category": label, "reviews": n} for label, n, _ in table.rows]
    return Chart(
        f"Category of death, reviews completed in {table.year}",
        {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "width": 460,
            "height": {"step": 20},
            "data": {"values": values},
            "mark": {"type": "bar", "color": "#1d70b8"},
            "encoding": {
                "y": {"field": "category", "type": "nominal", "title": None, "sort": None},
                "x": {"field": "reviews", "type": "quantitative", "title": "Reviews"},
                "tooltip": [{"field": "category"}, {"field": "reviews"}],
            },
        },
        "Bar chart of the reviews completed in the year by category of death: "
        + ", ".join(f"{label} {n}" for label, n, _ in table.rows if n)
        + ".",
    )


@registry.section(
    "child_deaths.year",
    "Child deaths reviewed in the year",
    order=720,
    part=PART,
)
def year_section(ctx: ReportContext, doc: Document) -> list[Block]:
    doc.add_figure(reviews_completed(ctx), "child_deaths.year")
    doc.add_figure(modifiable_share(ctx), "child_deaths.year")
    years = _years(ctx)
    completed = figures.counted(
        doc.figures.get("cdop.reviews_completed"),
        "cdop.reviews_completed",
        "review",
        public=ctx.public,
    )
    blocks: list[Block] = [
        Paragraph(
            f"The child death overview panel completed {completed} of the "
            f"deaths of children who lived in the area in {ctx.year.label}; "
            "[[cdop.modifiable]] found modifiable factors. Following the national convention, "
            "the tables count the reviews completed in the year, not the deaths in it."
        )
    ]
    for key in ("sex", "age", "category", "modifiable"):
        blocks.append(_year_table(ctx, key, years))
        if key == "category" and not _hidden_rows(years[-1]["category"], ctx.public):
            # The chart shows every count: in the public edition only when none is hidden.
            blocks.append(_category_chart(years[-1]["category"]))
    panel = _years(ctx, panel=True)[-1]
    if panel["sex"].total != years[-1]["sex"].total:
        total = panel["sex"].total
        hidden = ctx.public and disclosure.is_small_count(total)
        said = "fewer than six reviews" if hidden else words.plural(total, "review")
        blocks.append(
            Paragraph(
                f"The panel the partnership hosts reviews the deaths of other partnerships' "
                f"residents too: it completed {said} in all in {ctx.year.label}."
            )
        )
        blocks.append(_year_table(ctx, "category", _years(ctx, panel=True)))
    return blocks


def _completed_reviews(ctx: ReportContext) -> Any:
    return PanelReview.objects.filter(
        death__partnership=ctx.partnership,
        completed_on__gte=ctx.year.start,
        completed_on__lte=ctx.year.end,
    )


@registry.section(
    "child_deaths.learning",
    "Modifiable factors, learning and recommendations",
    order=721,
    part=PART,
    public=False,
)
def learning_section(ctx: ReportContext, doc: Document) -> list[Block]:
    reviews = _completed_reviews(ctx)
    factors = Factor.objects.filter(review__in=reviews, grade=2)
    by_domain = Counter(factors.values_list("domain", flat=True))
    blocks: list[Block] = [
        Paragraph(
            "Contributory factors the panel graded 2 (factors that may have contributed to the "
            "death), by domain, in the reviews completed in the year:"
        ),
        Table(
            f"Factors that may have contributed, {ctx.year.label}",
            ["Domain", "Factors"],
            [[Cell(d.label), _num(by_domain.get(d.value, 0))] for d in Domain]
            + [[Cell("Total"), _num(sum(by_domain.values()))]],
            total_row=True,
            counts=True,
        ),
    ]
    # Everyone who reads the report reads this edition; only the register's roles open the
    # reviews. So a review's own text (its modifiable factors, its learning) is counted, not
    # quoted, and a recommendation is named only once the panel has released it (until then
    # its action is restricted: the tracker shows it to the register's roles only).
    reviews = list(reviews)
    modifiable = sum(1 for r in reviews if r.modifiable)
    learned = sum(1 for r in reviews if r.learning)
    blocks.append(
        Paragraph(
            f"The panel identified modifiable factors in {modifiable} of the "
            f"{words.plural(len(reviews), 'review')} completed in the year and recorded its "
            f"learning in {learned}. The "
            "reviews themselves are in the child deaths register, open to the child death "
            "review coordinator."
        )
    )
    recommendations = list(
        Recommendation.objects.filter(review__in=reviews).select_related("action", "review")
    )
    # As they stood at the year's end (ctx.day): released by then, and each action's progress
    # then (one released or completed in April is not the year's).
    released = [
        r
        for r in recommendations
        if r.review.released_on is not None and r.review.released_on <= ctx.day
    ]
    withheld = len(recommendations) - len(released)
    rows = []
    for rec in released:
        action = rec.action
        rows.append(
            [
                Cell(rec.text),
                Cell(
                    Progress(action.status_on(ctx.day)).label if action is not None else "No action"
                ),
                Cell(action.due.isoformat() if action is not None and action.due else ""),
            ]
        )
    if rows:
        blocks.append(
            Table(
                f"The panel's released recommendations from reviews completed in {ctx.year.label}",
                ["Recommendation", "Progress", "Due"],
                rows,
            )
        )
    if withheld:
        blocks.append(
            Paragraph(
                f"{withheld} recommendation{'s' if withheld != 1 else ''} not yet released by "
                "the panel (seen only in the child deaths register)."
            )
        )
    if not recommendations:
        blocks.append(Paragraph("The reviews completed in the year made no recommendations."))
    return blocks


@registry.section(
    "child_deaths.timeliness",
    "How long reviews took, against England",
    order=722,
    part=PART,
)
def timeliness_section(ctx: ReportContext, doc: Document) -> list[Block]:
    years = _years(ctx)
    table = years[-1]["time-to-review"]
    within = table.counts[TIME_BANDS[0]]
    share = selectors.percent(within, table.total)
    figure = figures.percent(
        "cdop.within_6_months",
        f"Reviews completed within 6 months of the death, {ctx.year.label}",
        share,
        _share_source(ctx, within, table.total, "Reviews completed within 6 months"),
        basis=within,
        of=table.total,
    )
    doc.add_figure(figure, "child_deaths.timeliness")
    england = table.england.get(TIME_BANDS[0])
    comparison = (
        f" (England: {england}%)" if england is not None else " (England's figure is not loaded)"
    )
    return [
        Paragraph(
            "Time from the death to the completion of its review, in whole calendar months. "
            "[[cdop.within_6_months]] of the reviews were completed within 6 months"
            f"{comparison}."
        ),
        _year_table(ctx, "time-to-review", years),
    ]


@registry.section(
    "child_deaths.forms",
    "Agencies' reporting forms",
    order=723,
    part=PART,
    public=False,
)
def forms_section(ctx: ReportContext, doc: Document) -> list[Block]:
    forms = AgencyForm.objects.filter(
        death__partnership=ctx.partnership,
        requested_on__gte=ctx.year.start,
        requested_on__lte=ctx.year.end,
    ).select_related("agency")
    summary = selectors.forms_by_agency(forms, ctx.day)
    if not summary:
        return [Paragraph(f"No reporting forms were requested in {ctx.year.label}.")]
    rows = []
    for entry in sorted(summary, key=lambda e: e.agency.name):
        asked = entry.returned + len(entry.outstanding)
        rows.append(
            [
                Cell(entry.agency.name),
                _num(asked),
                _num(entry.returned),
                _num(entry.returned_on_time),
                _num(entry.incomplete),
                _num(len(entry.outstanding)),
            ]
        )
    totals = [sum(int(r[i].value or 0) for r in rows) for i in range(1, 6)]
    rows.append([Cell("Total"), *(_num(t) for t in totals)])
    return [
        Paragraph(
            "Forms asked of each agency in the year, and how they came back. Late forms are what "
            "most often delays a review."
        ),
        Table(
            f"Reporting forms requested in {ctx.year.label}",
            ["Agency", "Requested", "Returned", "On time", "Incomplete", "Outstanding"],
            rows,
            total_row=True,
        ),
    ]
