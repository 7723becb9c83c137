"""The Word file reads as a report: A4, running headers and footers with page numbers, and
a contents list that shows without the reader updating fields."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document as WordDocument

from safeboard.core import tenancy
from safeboard.reports import render, services


def _doc(report: Any, edition: str = "board") -> Any:
    with tenancy.partnership_scope(report.partnership):
        return services.document(report, edition)


@pytest.mark.django_db
def test_the_word_file_is_a4_with_running_heads_and_a_contents_list(report: Any) -> None:
    doc = _doc(report)
    word = WordDocument(io.BytesIO(render.docx(doc)))
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert doc.partnership in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert section.different_first_page_header_footer
    texts = [p.text for p in word.paragraphs]
    contents = texts.index("Contents")
    listed = texts[contents + 1 : contents + 1 + len(doc.sections)]
    assert listed == [f"{n}. {s.title}" for n, s in enumerate(doc.sections, start=1)]
    assert "updateFields" not in word.settings.element.xml  # no prompt to update fields
    assert "Update Field" not in "\n".join(texts)
