"""Charts on paper: a legend is never cut off, and never wider than the page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from safeboard.reports import charts

SERIES = ["Northdale", "England", "North East region", "Statistical neighbours average"]


@pytest.mark.django_db
def test_a_legend_says_every_label_whole_within_the_page(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 460,
        "height": 220,
        "data": {
            "values": [
                {"period": p, "value": v, "series": s}
                for s in SERIES
                for p, v in (("2023-24", 1), ("2024-25", 2), ("2025-26", 3))
            ]
        },
        "mark": "line",
        "encoding": {
            "x": {"field": "period", "type": "ordinal"},
            "y": {"field": "value", "type": "quantitative"},
            "color": {"field": "series", "type": "nominal"},
        },
        "config": {"legend": {"orient": "bottom", "labelFontSize": 13}},
    }
    svg = charts.svg(spec)
    assert "…" not in svg
    for name in SERIES:
        assert name in svg
    width = float(re.search(r'<svg[^>]*width="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert width <= 520  # the chart's 460 and its axis, not a legend running off the page
