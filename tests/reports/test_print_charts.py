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


def _chart_spec() -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 300,
        "height": 120,
        "data": {"values": [{"x": "a", "y": 1}, {"x": "b", "y": 2}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "x", "type": "nominal"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }


@pytest.mark.django_db
def test_a_heading_stays_on_the_page_of_its_chart(settings: Any, tmp_path: Any) -> None:
    import io

    from pypdf import PdfReader

    from safeboard.reporting.document import Chart, Document, Heading, Paragraph, Section
    from safeboard.reports import render

    settings.MEDIA_ROOT = tmp_path
    # Without keeping them together, this much text leaves the heading at the foot of a
    # page and its chart on the next.
    blocks = [
        Paragraph("A long paragraph of words. " * 420),
        Heading("The heading of the chart"),
        Paragraph("What the chart shows."),
        Chart("The chart", _chart_spec(), "Two bars: a is 1, b is 2."),
    ]
    doc = Document("Report", "Alpha", "2025-26", "board", "30 June 2026")
    doc.sections.append(Section("one", "One", blocks))
    html = render.html_fragment(doc, chart_mode="image")
    assert '<div class="sb-keep-together"><h3' in html
    reader = PdfReader(io.BytesIO(render.pdf(doc)))
    pages = [page.extract_text() for page in reader.pages]
    heading = next(n for n, text in enumerate(pages) if "The heading of the chart" in text)
    assert "What the chart shows." in pages[heading]
    assert "The chart" in pages[heading].replace("The heading of the chart", "")
