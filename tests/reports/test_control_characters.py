"""Text with control characters (pasted from other programs: Word's vertical tab, a stray NUL)
does not break a file: every format is built, without them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.reporting.document import Paragraph
from safeboard.reports import render, services

from .conftest import write

CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")


@pytest.mark.django_db
def test_control_characters_do_not_break_any_format(report: Any, police: Any) -> None:
    write(report, "foreword", "Pasted\x0bfrom Word and\x1b more [[attendance.meetings]].")
    with tenancy.partnership_scope(report.partnership):
        police.name = "Alpha\x0cPolice\x07"
        partnership_services.save(police, report.partnership)
        doc = services.document(report)
    # A NUL cannot be stored in PostgreSQL, but may come from elsewhere (SQLite, a file).
    doc.sections[0].blocks.append(Paragraph("A stray\x00 NUL in a paragraph."))
    with tenancy.partnership_scope(report.partnership):
        html = render.standalone_html(doc)
        fragment = str(render.html_fragment(doc))
        word = WordDocument(io.BytesIO(render.docx(doc)))
        pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render.pdf(doc))).pages)
    texts = [p.text for p in word.paragraphs]
    texts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    word_text = "\n".join(texts)
    for name, text in (("html", html), ("fragment", fragment), ("word", word_text)):
        assert not any(c in text for c in CONTROLS), name
        assert "Pasted from Word and more" in text, name
        assert "Alpha Police" in text, name
        assert "A stray NUL in a paragraph." in text, name
    assert "Pasted from Word and more 3." in word_text
    assert "Pasted from Word and more" in pdf
