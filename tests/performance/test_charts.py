"""Chart specifications: valid Vega-Lite that documents can render too (vl-convert), with the
target, comparators and the break where a definition changed."""

from __future__ import annotations

from datetime import date
from typing import Any

import vl_convert

from safeboard.performance import charts

from .conftest import indicator


def test_an_indicator_chart_renders_and_shows_target_comparators_and_break(alpha: Any) -> None:
    ind = indicator(alpha, "C1", title="Plans", unit="rate_per_10000", decimals=1)
    points = [
        charts.Point(date(2025, 6, 30), "2025-06-30", 40.2),
        charts.Point(date(2025, 9, 30), "2025-09-30", None),
        charts.Point(date(2025, 12, 31), "2025-12-31", 44.9),
    ]
    spec = charts.indicator_chart(
        ind,
        points,
        targets=[charts.TargetPoint(p.end, p.period, 35, 45) for p in points],
        comparators={"England": [charts.Point(date(2025, 3, 31), "2025-03-31", 42.0)]},
        breaks=[charts.Break(date(2025, 10, 1), "Definition changed")],
        width=600,
    )
    assert spec["description"].startswith("Line chart of C1 Plans, 2 periods from 2025-06-30")
    assert "the definition changed 1 October 2025" in spec["description"]
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "line", "line", "line", "rule", "text"]
    svg = vl_convert.vegalite_to_svg(spec, vl_version="6.4")
    assert svg.startswith("<svg") and "Definition changed" in svg and "England" in svg


def test_a_sparkline_renders(alpha: Any) -> None:
    spec = charts.sparkline(
        [
            charts.Point(date(2025, 3, 31), "2025-26 Q4", 1.0),
            charts.Point(date(2025, 6, 30), "2026-27 Q1", 2.0),
        ],
        label="Recent values",
    )
    assert spec["layer"][1]["data"]["values"] == [
        {"date": "2025-06-30", "period": "2026-27 Q1", "value": 2.0}
    ]
    assert vl_convert.vegalite_to_svg(spec, vl_version="6.4").startswith("<svg")
