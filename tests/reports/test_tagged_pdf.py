"""The PDF is tagged (PDF/UA-1): its language, a structure tree with the headings, tables
with header cells, and each chart a figure with its description as alternative text. Read
back from the file with pypdf."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from safeboard.core import tenancy
from safeboard.reports import render, services


def _structure(reader: PdfReader) -> list[tuple[str, str]]:
    """Every structure element of the file: its tag and its alternative text."""
    root = reader.trailer["/Root"]
    found: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        tag = node.get("/S")
        if tag is not None:
            found.append((str(tag), str(node.get("/Alt", ""))))
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(root["/StructTreeRoot"])
    return found


@pytest.mark.django_db
def test_the_pdf_is_tagged_with_language_headings_tables_and_chart_descriptions(
    report: Any,
) -> None:
    with tenancy.partnership_scope(report.partnership):
        doc = services.document(report, "board")
    reader = PdfReader(io.BytesIO(render.pdf(doc)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]) == "en-GB"
    assert "/Metadata" in root  # PDF/UA identification
    tags = _structure(reader)
    names = {tag for tag, _ in tags}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= names, names
    figures = [alt for tag, alt in tags if tag == "/Figure"]
    assert figures and all(alt.strip() for alt in figures), figures
