"""The performance module's part of the annual report: the scorecard for the year with
national comparators, what changed most, the exceptions, and every indicator's chart.

All figures come from `selectors.scorecard` (the one source of scorecard figures) for the
report's financial year; the public edition uses its disclosure-controlled form."""

from __future__ import annotations

from typing import Any

from safeboard.core import words
from safeboard.core.disclosure import basis_text, must_suppress
from safeboard.core.statistics import percentage_change
from safeboard.reporting import figures, registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import (
    Block,
    Cell,
    Chart,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
)
from safeboard.reporting.registry import headline

from . import charts, selectors
from .models import Indicator, Unit, Value

# Figure units of the report, by indicator unit (for formatting and disclosure control).
UNITS = {
    Unit.COUNT: "count",
    Unit.PERCENT: "percent",
    Unit.RATE_PER_10000: "rate",
    Unit.RATE_PER_1000: "rate",
}
RAG_TEXT = {"R": "Red", "A": "Amber", "G": "Green"}


def _card(ctx: ReportContext) -> selectors.Scorecard:
    return ctx.memo(
        "scorecard",
        lambda: selectors.scorecard(
            ctx.partnership,
            ctx.year,
            public=ctx.public,
            indicators=selectors.indicators_in_year(ctx.year),
        ),
    )


def _row(ctx: ReportContext, code: str) -> selectors.ScorecardRow:
    for row in _card(ctx).rows:
        if row.indicator.code.lower() == code.lower():
            return row
    raise LookupError(f"there is no active indicator ‘{code}’ in the dataset")


def _values(ctx: ReportContext) -> dict[int, Value]:
    """The scorecard's values as records, for their provenance (who supplied them, when)."""

    def load() -> dict[int, Value]:
        ids = [row.value.pk for row in _card(ctx).rows if row.value is not None]
        return Value.objects.select_related("agency").in_bulk(ids)

    return ctx.memo("scorecard-values", load)


def _source(ctx: ReportContext, row: selectors.ScorecardRow) -> str:
    indicator = row.indicator
    value = _values(ctx).get(row.value.pk) if row.value is not None else None
    parts = [f"Multi-agency dataset, {indicator.code} {indicator.title}, {row.period.label}"]
    if row.parts_text:
        parts.append(row.parts_text)
    if value is not None:
        who = f" from {value.agency.name}" if value.agency_id and value.agency else ""
        parts.append(f"value{who}, version {value.version} entered {value.entered_at:%d %b %Y}")
        if value.numerator is not None and value.denominator is not None:
            # Provenance follows the disclosure rule of the figure it explains.
            parts.append(basis_text(value.numerator, value.denominator, public=ctx.public))
    return "; ".join(parts)


def _value_figure(ctx: ReportContext, row: selectors.ScorecardRow, key: str) -> Figure:
    indicator = row.indicator
    unit = UNITS.get(Unit(indicator.unit), "number")
    basis = None
    if row.value is not None and row.raw is not None:
        basis = (
            int(row.value.numerator)
            if row.value.numerator is not None
            else (int(row.raw) if unit == "count" else None)
        )
    return Figure(
        key,
        f"{indicator.title}, {row.period.label}",
        row.raw,
        row.display,
        unit,  # type: ignore[arg-type]
        _source(ctx, row),
        basis=basis,
        of=(
            int(row.value.denominator)
            if unit == "percent" and row.value is not None and row.value.denominator is not None
            else None
        ),
        suppressed=row.suppressed,
        # An indicator linked to a measure Safeboard computes gives the year's value of it
        # when its period is the year: two different values of one measure block approval.
        measure=indicator.measure if row.period.label == ctx.year.label else "",
    )


@registry.figure(
    "indicator",
    "An indicator of the dataset: [[indicator:CODE:value]]; also "
    ":previous, :change, :target, :rag, :england, :region, :neighbours, :rank",
)
def indicator_figure(ctx: ReportContext, code: str = "", what: str = "value") -> Figure:
    """A dataset figure for the report's year: value, previous, change, target, rag, england,
    region, neighbours or rank."""
    if not code:
        raise LookupError("name the indicator: [[indicator:CODE:value]]")
    row = _row(ctx, code)
    key = f"indicator:{code}:{what}"
    title = row.indicator.title
    if what == "value":
        return _value_figure(ctx, row, key)
    if what == "previous":
        return Figure(
            key,
            f"{title}, {row.previous_period.label}",
            row.previous_raw,
            row.previous_display,
            UNITS.get(Unit(row.indicator.unit), "number"),  # type: ignore[arg-type]
            f"Multi-agency dataset, {row.indicator.code}, {row.previous_period.label}",
        )
    if what == "change":
        change = (
            percentage_change(row.previous_raw, row.raw)
            if row.raw is not None and row.previous_raw is not None
            else None
        )
        return figures.change(
            key,
            f"Change in {title.lower()}, {row.previous_period.label} to {row.period.label}",
            change,
            f"{row.previous_display} in {row.previous_period.label} and "
            f"{row.display} in {row.period.label} ({_source(ctx, row)})",
        )
    if what == "target":
        return figures.text(
            key,
            f"Target for {title.lower()}",
            row.target_text,
            f"Target set for {row.indicator.code} in {row.period.label}",
        )
    if what == "rag":
        return figures.text(
            key,
            f"Rating of {title.lower()}",
            row.rag_word,
            f"{row.display} against the target {row.target_text}, by the "
            "partnership's rating rule"
            + (" (overridden with a recorded reason)" if row.override else ""),
        )
    names = {"england": "england", "region": "region", "neighbours": "sn_average"}
    if what in names or what == "rank":
        if row.comparison is None:
            raise LookupError(f"{row.indicator.code} has no national comparators")
        source = (
            f"DfE Local Authority Interactive Tool, measure {row.comparison.measure}, "
            f"{row.comparison.period}"
        )
        if what == "rank":
            if row.comparison.rank is None:
                raise LookupError(f"{row.indicator.code} has no rank for {row.period.label}")
            return figures.text(
                key,
                f"Rank of {title.lower()} among local authorities",
                f"{row.comparison.rank} of {row.comparison.rank_of}",
                source,
            )
        value = getattr(row.comparison, names[what])
        label = {
            "england": "England",
            "region": row.comparison.region_name or "Region",
            "neighbours": "Statistical neighbours",
        }[what]
        return figures.number(
            key, f"{title}: {label}", value, source, decimals=row.indicator.decimals
        )
    raise LookupError(f"‘{what}’ is not a figure of an indicator")


def _counts(ctx: ReportContext) -> dict[str, int]:
    return _card(ctx).counts()


@registry.figure("performance.indicators", "Indicators in the multi-agency dataset")
def indicators_count(ctx: ReportContext, *args: str) -> Figure:
    card = _card(ctx)
    return figures.count(
        "performance.indicators",
        "Indicators in the dataset",
        len(card.rows),
        f"Active indicators of the multi-agency dataset with a value or a target in "
        f"{ctx.year.label}",
        people=False,
    )


def _rag_figure(colour: str) -> Any:
    def resolver(ctx: ReportContext, *args: str) -> Figure:
        count = _counts(ctx)[colour]
        word = RAG_TEXT[colour].lower()
        return figures.count(
            f"performance.{word}",
            f"Indicators rated {word}",
            count,
            f"Scorecard for {ctx.year.label}: {count} of "
            f"{words.plural(len(_card(ctx).rows), 'indicator')} rated {word} against "
            "their targets",
            people=False,
        )

    return resolver


for _colour, _word in RAG_TEXT.items():
    registry.figure(f"performance.{_word.lower()}", f"Indicators rated {_word.lower()}")(
        _rag_figure(_colour)
    )

headline("performance.indicators", order=30)
headline("performance.red", order=31)
headline("performance.green", order=32)


def _indicator_cell(row: selectors.ScorecardRow) -> Cell:
    return Cell(f"{row.indicator.code} {row.indicator.title}")


def _rag_cell(row: selectors.ScorecardRow) -> Cell:
    word = RAG_TEXT.get(row.rag or "", "No rating")
    return Cell(word + (" (overridden)" if row.override else ""))


@registry.section(
    "performance.scorecard",
    "How well children are safeguarded: the scorecard",
    order=400,
    part="performance",
)
def scorecard_section(ctx: ReportContext, doc: Document) -> list[Block]:
    card = _card(ctx)
    if not card.rows:
        return [Paragraph("The partnership has no active indicators.")]
    for word in ("indicators", "red", "amber", "green"):
        resolver = registry.resolver(f"performance.{word}")
        assert resolver is not None
        doc.add_figure(resolver(ctx), "performance.scorecard")
    blocks: list[Block] = [
        Paragraph(
            "The partnership watches "
            + figures.counted(
                doc.figures.get("performance.indicators"),
                "performance.indicators",
                "indicator",
                public=ctx.public,
            )
            + " that its agencies supply. Each is rated against its target by one stated rule: red "
            "[[performance.red]], amber [[performance.amber]], green [[performance.green]]; the "
            "rest have no target. England, "
            "the region and the statistical neighbours (the ten most similar authorities) are the "
            "Department for Education’s figures for the same period."
        )
    ]
    rows = []
    for row in card.rows:
        value = doc.add_figure(
            _value_figure(ctx, row, f"indicator:{row.indicator.code}:value"),
            "performance.scorecard",
        )
        rows.append(
            [
                _indicator_cell(row),
                Cell(row.period.label),
                Cell.of(value),
                Cell(row.target_text),
                _rag_cell(row),
                Cell(f"{row.trend_word}" if row.trend else "–"),
                Cell(row.comparator("england") or "–", numeric=True),
                Cell(row.comparator("sn_average") or "–", numeric=True),
            ]
        )
    blocks.append(
        Table(
            f"Scorecard, {ctx.year.label}",
            ["Indicator", "Period", "Value", "Target", "Rating", "Trend", "England", "Neighbours"],
            rows,
        )
    )
    if ctx.public:
        blocks.append(Paragraph("c: a small number, not shown to protect identities."))
    return blocks


def _change(row: selectors.ScorecardRow) -> float | None:
    if row.raw is None or row.previous_raw is None or row.previous_raw == 0:
        return None
    return percentage_change(row.previous_raw, row.raw)


@registry.section("performance.movers", "What changed most", order=410, part="performance")
def movers_section(ctx: ReportContext, doc: Document) -> list[Block]:
    changed = [(row, _change(row)) for row in _card(ctx).rows]
    ranked = sorted(((r, c) for r, c in changed if c is not None), key=lambda rc: -abs(rc[1]))[:8]
    if not ranked:
        return [Paragraph("No indicator has values for both this period and the one before.")]
    rows: list[list[Cell]] = []
    data: list[dict[str, Any]] = []
    for row, change in ranked:
        figure = doc.add_figure(
            indicator_figure(ctx, row.indicator.code, "change"), "performance.movers"
        )
        rows.append(
            [
                _indicator_cell(row),
                Cell(f"{row.previous_display} ({row.previous_period.label})"),
                Cell(f"{row.display} ({row.period.label})"),
                Cell.of(figure),
            ]
        )
        data.append(
            {
                "indicator": row.indicator.code,
                "title": row.indicator.title,
                "change": round(change, 1),
                "direction": "Better"
                if row.trend == "improving"
                else "Worse"
                if row.trend == "declining"
                else "Neither",
            }
        )
    return [
        Paragraph(
            "The indicators whose latest value differs most from the period before, as a "
            "percentage of the earlier value. Whether a rise is good depends on the "
            "indicator: the chart says which changes were better and which worse."
        ),
        Table("The largest changes", ["Indicator", "Before", "Now", "Change"], rows),
        Chart(
            "The largest changes",
            _movers_spec(data),
            "Bar chart of the percentage change of the "
            f"{words.plural(len(data), 'indicator')} that changed most: "
            + "; ".join(
                f"{d['indicator']} {d['change']:+.1f}% ({d['direction'].lower()})" for d in data
            )
            + ".",
        ),
    ]


def _movers_spec(data: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 460,
        "height": {"step": 22},
        "data": {"values": data},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "indicator", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "change", "type": "quantitative", "title": "Change (%)"},
            "color": {
                "field": "direction",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": ["Better", "Worse", "Neither"],
                    "range": ["#00703c", "#d4351c", "#505a5f"],
                },
            },
            "tooltip": [
                {"field": "title", "title": "Indicator"},
                {"field": "change", "title": "Change %"},
            ],
        },
    }


def _chart(ctx: ReportContext, row: selectors.ScorecardRow) -> Chart | None:
    indicator: Indicator = row.indicator
    area = ctx.memo("primary-area", lambda: selectors.primary_area(ctx.partnership))
    history = [
        h
        for h in selectors.indicator_history(indicator, released_only=True)
        if h.period.end <= ctx.year.end
    ]
    if ctx.public:
        # Left out: what the public scorecard suppresses, and a year's value that would give
        # a suppressed quarter or month of it (the year less the others, all in the chart).
        secondary = selectors.years_hidden_with_parts(indicator, [h.current for h in history])
        history = [
            h
            for h in history
            if h.period.label not in secondary
            and not (
                h.current.value is not None
                and must_suppress(
                    h.current.value,
                    unit=indicator.unit,
                    numerator=h.current.numerator,
                    denominator=h.current.denominator,
                )
            )
        ]
    spec = charts.history_chart(
        indicator, history, area.la_number if area else None, width=460, height=220
    )
    if spec is None:
        return None
    # The indicator page puts the figures in a table under its chart; the report says them.
    described = str(spec.get("description", "")).removesuffix(
        " The figures are in the table below."
    )
    latest = (
        f" The latest value is {row.display} ({words.period_name(row.period)})." if row.raw else ""
    )
    return Chart(f"{indicator.code} {indicator.title}", spec, described + latest)


def _profile(
    ctx: ReportContext, doc: Document, row: selectors.ScorecardRow, section: str
) -> list[Block]:
    code = row.indicator.code
    doc.add_figure(_value_figure(ctx, row, f"indicator:{code}:value"), section)
    if row.suppressed:
        # The public edition says in words that the value is withheld (not "the value was c").
        text = (
            f"{words.when(row.period)} the value was suppressed: it rests on so few children "
            "that it is not published, to protect their identities"
        )
        if row.target is not None:
            text += f". The target was {row.target_text}"
    else:
        text = f"{words.when(row.period)} the value was [[indicator:{code}:value]]"
        if row.target is not None:
            text += f" against a target of {row.target_text}"
            if row.rag:
                text += f", rated {row.rag_word.lower()}"
    if row.trend:
        doc.add_figure(indicator_figure(ctx, code, "previous"), section)
        text += (
            f"; it was [[indicator:{code}:previous]] "
            f"{words.when(row.previous_period, capital=False)} "
            f"({row.trend_word.lower()})"
        )
    if row.comparison is not None and row.comparison.england is not None:
        doc.add_figure(indicator_figure(ctx, code, "england"), section)
        text += f". England: [[indicator:{code}:england]]"
        if row.comparison.sn_average is not None:
            doc.add_figure(indicator_figure(ctx, code, "neighbours"), section)
            text += f"; statistical neighbours: [[indicator:{code}:neighbours]]"
        if row.comparison.quartile:
            text += f"; quartile band {row.comparison.quartile} (A is the best quarter)"
    blocks: list[Block] = [Heading(f"{code} {row.indicator.title}", level=3), Paragraph(text + ".")]
    if row.indicator.definition:
        blocks.append(Paragraph(f"*Definition:* {row.indicator.definition}"))
    # A suppressed value draws no chart: what is left of its history would be a chart
    # without the value the section is about.
    chart = None if row.suppressed else _chart(ctx, row)
    if chart is not None:
        blocks.append(chart)
    return blocks


@registry.section(
    "performance.exceptions", "Exceptions: below target", order=420, part="performance"
)
def exceptions_section(ctx: ReportContext, doc: Document) -> list[Block]:
    rows = selectors.exceptions(_card(ctx))
    if not rows:
        return [Paragraph("No indicator was rated red, or amber and getting worse.")]
    blocks: list[Block] = [
        Paragraph(
            "Indicators rated red, and those rated amber that are getting worse: the board asks "
            "the agencies concerned what they are doing about each."
        )
    ]
    for row in rows:
        blocks += _profile(ctx, doc, row, "performance.exceptions")
    return blocks


@registry.section("performance.profiles", "The dataset in detail", order=430, part="performance")
def profiles_section(ctx: ReportContext, doc: Document) -> list[Block]:
    card = _card(ctx)
    shown = {row.indicator.pk for row in selectors.exceptions(card)}
    blocks: list[Block] = [
        Paragraph(
            "Every other indicator of the dataset over time, with its target and, where the "
            "Department for Education publishes them, England, the region and the statistical "
            "neighbours. A dashed vertical line marks a change of definition."
        )
    ]
    for row in card.rows:
        if row.indicator.pk not in shown:
            blocks += _profile(ctx, doc, row, "performance.profiles")
    return blocks
