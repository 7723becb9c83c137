"""Vega-Lite chart specifications, as plain dictionaries. One spec serves the browser (the
page script renders it with vega-embed) and documents (vl-convert renders it to SVG or PNG
for PDF and Word), so charts look the same everywhere.

Every chart has a text `description` (used as its accessible name) and the page that shows
it also shows the figures in a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from . import comparators
from .models import Indicator, Measure, Unit

if TYPE_CHECKING:
    from .selectors import HistoryRow

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# GOV.UK colours; each series also has its own dash pattern, so colour is never the only cue.
VALUE_COLOUR = "#1d70b8"
SERIES_STYLE = {
    "England": ("#505a5f", [6, 3]),
    "Statistical neighbours": ("#d4351c", [2, 2]),
}
REGION_STYLE = ("#00703c", [8, 2, 2, 2])
TARGET_COLOUR = "#f47738"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
# vega-embed's tooltips would add a <style> element, which the Content-Security-Policy
# forbids: they are styled by the stylesheet instead (frontend/scss/_performance.scss).
USERMETA = {"embedOptions": {"tooltip": {"disableDefaultStyle": True}}}


@dataclass(frozen=True)
class Point:
    end: date
    period: str
    value: float | None


@dataclass(frozen=True)
class TargetPoint:
    end: date
    period: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Break:
    when: date
    label: str


def unit_title(indicator: Indicator) -> str:
    return Unit(indicator.unit).label


def _config() -> dict[str, Any]:
    return {
        "font": FONT,
        "axis": {"labelFontSize": 13, "titleFontSize": 13, "grid": True, "gridColor": "#e5e5e5"},
        # Legend entries are short lines in each series' dash pattern, not just colours.
        "legend": {
            "labelFontSize": 13,
            "titleFontSize": 13,
            "orient": "bottom",
            "symbolType": "stroke",
            "symbolStrokeWidth": 2.5,
            "symbolSize": 300,
        },
        "view": {"stroke": None},
    }


def indicator_chart(
    indicator: Indicator,
    values: Sequence[Point],
    *,
    targets: Sequence[TargetPoint] = (),
    comparators: Mapping[str, Sequence[Point]] | None = None,
    breaks: Sequence[Break] = (),
    width: int | str = "container",
    height: int = 280,
) -> dict[str, Any]:
    """The indicator over time: its values, its target (a line, or a shaded band), national
    comparators, and a vertical rule where the definition changed."""
    name = f"{indicator.code} (this partnership)"
    series_rows = [
        {"date": p.end.isoformat(), "period": p.period, "value": p.value, "series": name}
        for p in values
        if p.value is not None
    ]
    domain, colours, dashes = [name], [VALUE_COLOUR], [[1, 0]]
    for label, points in (comparators or {}).items():
        colour, dash = SERIES_STYLE.get(label, REGION_STYLE)
        domain.append(label)
        colours.append(colour)
        dashes.append(dash)
        series_rows += [
            {"date": p.end.isoformat(), "period": p.period, "value": p.value, "series": label}
            for p in points
            if p.value is not None
        ]
    axis_format = f",.{indicator.decimals}f"
    x = {
        "field": "date",
        "type": "temporal",
        "title": "Period ending",
        "axis": {"format": "%b %Y", "labelAngle": 0, "tickCount": 6},
    }
    layers: list[dict[str, Any]] = []
    target_rows = [
        {"date": t.end.isoformat(), "period": t.period, "low": t.low, "high": t.high}
        for t in targets
        if t.low is not None
    ]
    if target_rows:
        band = any(t["low"] != t["high"] for t in target_rows)
        if band:
            layers.append(
                {
                    "data": {"values": target_rows},
                    "mark": {
                        "type": "area",
                        "opacity": 0.18,
                        "color": TARGET_COLOUR,
                        "interpolate": "step-after",
                    },
                    "encoding": {
                        "x": x,
                        "y": {"field": "low", "type": "quantitative"},
                        "y2": {"field": "high"},
                    },
                }
            )
        for bound in ("low", "high") if band else ("low",):
            layers.append(
                {
                    "data": {"values": target_rows},
                    "mark": {
                        "type": "line",
                        "color": TARGET_COLOUR,
                        "strokeWidth": 2,
                        "strokeDash": [4, 4],
                        "interpolate": "step-after",
                    },
                    "encoding": {
                        "x": x,
                        "y": {"field": bound, "type": "quantitative"},
                    },
                }
            )
    encoding_y = {
        "field": "value",
        "type": "quantitative",
        "title": unit_title(indicator),
        "axis": {"format": axis_format},
        "scale": {"zero": indicator.unit in (Unit.COUNT, Unit.PERCENT)},
    }
    colour_encoding = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": domain, "range": colours},
    }
    dash_encoding = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": domain, "range": dashes},
    }
    layers.append(
        {
            "data": {"values": series_rows},
            "mark": {"type": "line", "strokeWidth": 2.5, "point": {"size": 45, "filled": True}},
            "encoding": {
                "x": x,
                "y": encoding_y,
                "color": colour_encoding,
                "strokeDash": dash_encoding,
            },
        }
    )
    if breaks:
        rows = [{"date": b.when.isoformat(), "label": b.label} for b in breaks]
        layers.append(
            {
                "data": {"values": rows},
                "mark": {"type": "rule", "color": "#0b0c0c", "strokeWidth": 1.5},
                "encoding": {"x": {"field": "date", "type": "temporal"}},
            }
        )
        layers.append(
            {
                "data": {"values": rows},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 4,
                    "dy": -6,
                    "fontSize": 12,
                    "baseline": "top",
                },
                "encoding": {
                    "x": {"field": "date", "type": "temporal"},
                    "y": {"value": 0},
                    "text": {"field": "label"},
                },
            }
        )
    described = _describe(indicator, values, comparators or {}, breaks)
    return {
        "$schema": SCHEMA,
        "description": described,
        "width": width,
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": layers,
        "config": _config(),
        "usermeta": USERMETA,
    }


def _describe(
    indicator: Indicator,
    values: Sequence[Point],
    comparators: Mapping[str, Sequence[Point]],
    breaks: Sequence[Break],
) -> str:
    given = [p for p in values if p.value is not None]
    text = f"Line chart of {indicator.code} {indicator.title}"
    if given:
        text += f", {len(given)} periods from {given[0].period} to {given[-1].period}"
    if comparators:
        text += ", with " + ", ".join(comparators)
    if breaks:
        text += "; the definition changed " + ", ".join(
            f"{b.when.day} {b.when:%B %Y}" for b in breaks
        )
    return text + ". The figures are in the table below."


def history_chart(
    indicator: Indicator,
    history: Sequence[HistoryRow],
    area_la: int | None,
    *,
    width: int | str = "container",
    height: int = 280,
) -> dict[str, Any] | None:
    """An indicator's chart from its history (values, targets in force, definition changes)
    with the national comparators of its measure; None when it has no value yet. One chart for
    the indicator page and the annual report."""
    if not any(row.current.value is not None for row in history):
        return None
    ordered = sorted(history, key=lambda r: r.period.end)
    points = [Point(r.period.end, r.period.label, r.current.value) for r in ordered]
    targets = [
        TargetPoint(
            r.period.end,
            r.period.label,
            r.target.low if r.target else None,
            r.target.high if r.target else None,
        )
        for r in ordered
    ]
    national: dict[str, list[Point]] = {}
    if indicator.national_code:
        measure = Measure.objects.filter(code=indicator.national_code).first()
        if measure is not None:
            first = ordered[0].period.start
            for name, series in comparators.series(measure, area_la).items():
                national[name] = [
                    Point(end, label, value) for end, label, value in series if end >= first
                ]
    breaks = [
        Break(v.effective_from, "Definition changed")
        for v in indicator.versions.exclude(effective_from=None)
        if v.effective_from is not None
    ]
    return indicator_chart(
        indicator,
        points,
        targets=targets,
        comparators=national,
        breaks=breaks,
        width=width,
        height=height,
    )


def sparkline(points: Sequence[Point], *, label: str) -> dict[str, Any]:
    """A small line of recent values, for a scorecard row; the latest point is marked."""
    rows = [
        {"date": p.end.isoformat(), "period": p.period, "value": p.value}
        for p in points
        if p.value is not None
    ]
    latest = rows[-1:] if rows else []
    x = {"field": "date", "type": "temporal", "axis": None}
    y = {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    return {
        "$schema": SCHEMA,
        "description": label,
        "width": 120,
        "height": 32,
        "padding": 3,
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "line", "color": VALUE_COLOUR, "strokeWidth": 2},
                "encoding": {"x": x, "y": y},
            },
            {
                "data": {"values": latest},
                "mark": {"type": "point", "filled": True, "color": "#0b0c0c", "size": 30},
                "encoding": {"x": x, "y": y},
            },
        ],
        "config": {"view": {"stroke": None}},
        "usermeta": USERMETA,
    }
