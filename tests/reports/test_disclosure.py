"""The public edition shows no number it suppresses: not in a figure, nor in a figure's source
(provenance), in any of its forms (preview, API document, HTML, Word, PDF)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from docx import Document as WordDocument
from pypdf import PdfReader

from safeboard.core import tenancy
from safeboard.reports import render, services

from ..performance.conftest import indicator, put


def _word_text(data: bytes) -> str:
    word = WordDocument(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs]
    texts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_no_suppressed_number_appears_in_the_public_editions_files(
    report: Any, as_alice: Client
) -> None:
    alpha = report.partnership
    # 3 of 47: a percentage resting on three children (suppressed); 0 of 4: a percentage of
    # nobody (published) whose denominator is four children.
    small = indicator(alpha, "S1", unit="percent", frequency="annual", target=(50.0, 50.0))
    put(alpha, small, "2016-17", numerator=3, denominator=47)
    empty = indicator(alpha, "Z1", unit="percent", frequency="annual")
    put(alpha, empty, "2016-17", numerator=0, denominator=4)
    large = indicator(alpha, "L1", unit="percent", frequency="annual")
    put(alpha, large, "2016-17", numerator=30, denominator=48)
    with tenancy.partnership_scope(alpha):
        board = services.document(report, "board")
        public = services.document(report, "public")
        files = {
            "html": render.standalone_html(public),
            "word": _word_text(render.docx(public)),
            "pdf": _pdf_text(render.pdf(public)),
        }
    # The board edition says where each figure came from, numbers and all.
    assert "3 / 47" in board.figures["indicator:S1:value"].source
    assert "0 / 4" in board.figures["indicator:Z1:value"].source
    # The public edition: the figure and its provenance follow one rule.
    figure = public.figures["indicator:S1:value"]
    assert figure.text == "c" and figure.suppressed
    assert "3 / 47" not in figure.source and "c / 47" in figure.source
    assert "0 / c" in public.figures["indicator:Z1:value"].source
    # A large count is shown, in the public edition too.
    assert "30 / 48" in public.figures["indicator:L1:value"].source
    base = f"/p/alpha/reports/{report.pk}"
    preview = as_alice.get(f"{base}/preview/?edition=public")
    assert preview.status_code == 200
    files["preview"] = preview.content.decode()
    api = as_alice.get(
        f"/api/v1/partnerships/alpha/reports/{report.pk}/document", {"edition": "public"}
    )
    assert api.status_code == 200
    files["api"] = json.dumps(api.json())
    for name, text in files.items():
        for leak in ("3 / 47", "3/47", "6.4%", "0 / 4"):
            assert not re.search(rf"(?<![\d.,]){re.escape(leak)}(?![\d.,])", text), (
                f"{leak!r} in the public {name}"
            )
        assert "c / 47" in text and "0 / c" in text, name


def _profile_blocks(document: Any, code: str) -> list[Any]:
    """The blocks of an indicator's profile: from its heading to the next heading."""
    for sec in document.sections:
        for i, block in enumerate(sec.blocks):
            if block.kind == "heading" and block.text.startswith(f"{code} "):
                rest = sec.blocks[i + 1 :]
                end = next((j for j, b in enumerate(rest) if b.kind == "heading"), len(rest))
                return rest[:end]
    raise AssertionError(f"no profile of {code}")


@pytest.mark.django_db
def test_a_suppressed_value_is_said_to_be_suppressed_and_draws_no_chart(report: Any) -> None:
    """The public edition's profile of an indicator whose value is suppressed says so in words,
    draws no chart of what is left (a one-point chart), and does not say "rated no rating"."""
    alpha = report.partnership
    small = indicator(alpha, "S1", unit="percent", frequency="annual", target=(50.0, 50.0))
    put(alpha, small, "2015-16", numerator=30, denominator=47)
    put(alpha, small, "2016-17", numerator=3, denominator=47)
    with tenancy.partnership_scope(alpha):
        board = services.document(report, "board")
        public = services.document(report, "public")
        files = {
            "html": render.standalone_html(public),
            "word": _word_text(render.docx(public)),
            "pdf": re.sub(r"\s+", " ", _pdf_text(render.pdf(public))),
        }
    # The board edition has its chart and its rating.
    assert [b.kind for b in _profile_blocks(board, "S1")].count("chart") == 1
    blocks = _profile_blocks(public, "S1")
    assert "chart" not in [b.kind for b in blocks]
    text = " ".join(b.markdown for b in blocks if b.kind == "paragraph")
    assert "suppressed" in text
    assert "[[indicator:S1:value]]" not in text
    assert "no rating" not in text.lower()
    for name, content in files.items():
        assert "value was c " not in content, name
        assert "rated no rating" not in content.lower(), name
        assert "value was suppressed" in content, name


@pytest.mark.django_db
def test_a_small_rest_is_not_worked_back_from_a_public_percentage(report: Any) -> None:
    """49 of 50 (98%): the one child left out is the denominator less the numerator, or the
    denominator less 98% of it. The public edition shows neither the numerator nor the
    percentage, in the figure, its source, the scorecard or the indicator's chart."""
    alpha = report.partnership
    almost = indicator(alpha, "R1", unit="percent", frequency="annual")
    put(alpha, almost, "2016-17", numerator=49, denominator=50)
    with tenancy.partnership_scope(alpha):
        board = services.document(report, "board")
        public = services.document(report, "public")
        html = render.standalone_html(public)
    assert board.figures["indicator:R1:value"].text.startswith("98")
    figure = public.figures["indicator:R1:value"]
    assert figure.text == "c" and figure.suppressed
    assert "49 / 50" not in figure.source and "c / 50" in figure.source
    for leak in ("98%", "98.0%", "49 / 50"):
        assert leak not in html, leak


@pytest.mark.parametrize(
    ("rows", "hidden_counts", "percentages"),
    [
        # 12% of the published total 25 is the suppressed 3.
        (
            [["Boys", "3", "12%"], ["Girls", "22", "88%"], ["Total", "25", "100%"]],
            2,
            ["c", "c", "100%"],
        ),
        # No total row, but 95% of the total is 20: the total is 21, and the girls 1.
        ([["Boys", "20", "95%"], ["Girls", "1", "5%"]], 1, ["c", "c"]),
        # With a published total, a published count's percentage tells nothing more.
        (
            [
                ["A", "3", "4%"],
                ["B", "30", "42%"],
                ["C", "9", "13%"],
                ["D", "30", "42%"],
                ["Total", "72", "100%"],
            ],
            2,
            ["c", "42%", "c", "42%", "100%"],
        ),
    ],
)
def test_a_typed_tables_percentages_do_not_give_back_a_suppressed_count(
    rows: list[list[str]], hidden_counts: int, percentages: list[str]
) -> None:
    from safeboard.reporting.document import Document, Section
    from safeboard.reports import build
    from safeboard.reports import disclosure as public_edition

    doc = Document("Report", "Alpha", "2016-17", "public", "2017-06-30")
    table = build._typed_table("Our children", ["Children", "Number", "Percent"], rows, doc)
    assert table.counts
    doc.sections.append(Section("narrative", "Our children", [table]))
    public_edition.apply(doc)
    shown = [[cell.text for cell in row] for row in table.rows]
    assert sum(row[1] == "c" for row in shown) == hidden_counts
    assert [row[2] for row in shown] == percentages, shown
