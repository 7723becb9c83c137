"""The report's words follow the partnership's arrangements in its year: a 2016-17 report of a
Local Safeguarding Children Board says "the Board" and "partner agencies", not "statutory
safeguarding partners" or "integrated care board" (2019 and 2022)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.partnership.models import Partnership, PartnerStatus
from safeboard.reporting.document import Document, Paragraph, Table
from safeboard.reports import services

from .test_document import build

pytestmark = pytest.mark.django_db


def _words(doc: Document) -> str:
    out = []
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.markdown)
            elif isinstance(block, Table):
                out.extend(c.text for row in block.rows for c in row)
                out.extend(block.columns)
    return "\n".join(out)


def _partner(police: Any) -> None:
    with tenancy.unscoped():
        police.status = PartnerStatus.SAFEGUARDING_PARTNER
        police.save()


def test_a_2016_17_board_report_uses_the_boards_words(report: Any, police: Any) -> None:
    _partner(police)
    text = _words(build(report))
    assert "statutory safeguarding partner" not in text.lower()
    assert "integrated care board" not in text.lower()
    assert "Local Safeguarding Children Board" in text  # the glossary explains it
    assert "partner agencies" in text.lower()
    assert "CCG" in text
    # A partnership that changed early takes the new words from its own date.
    with tenancy.unscoped():
        report.partnership.partners_from = date(2016, 9, 1)
        report.partnership.save()
    report.refresh_from_db()
    text = _words(build(report))
    assert "statutory safeguarding partners" in text.lower()
    assert "Local Safeguarding Children Board" not in text


def test_a_later_report_uses_the_partnerships_words(
    alpha: Partnership, alice: Any, police: Any, year_data: Any
) -> None:
    _partner(police)
    with tenancy.partnership_scope(alpha):
        later = services.create_report(
            partnership=alpha, year=2025, by=alice, as_at=date(2026, 6, 30)
        )
    text = _words(build(later))
    assert "statutory safeguarding partners" in text.lower()
    assert "Integrated care board" in text
    assert "Local Safeguarding Children Board" not in text
