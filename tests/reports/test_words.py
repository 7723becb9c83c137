"""The report's fixed sentences word dates, periods and counts in one way (core.words): "At 31
March 2017 the value was …" for a snapshot indicator, "1 open risk"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.planning import services as planning_services
from safeboard.reporting.document import Document, Paragraph

from .test_document import build

pytestmark = pytest.mark.django_db


def _text(doc: Document, key: str) -> str:
    return " ".join(
        b.markdown
        for s in doc.sections
        if s.key == key
        for b in s.blocks
        if isinstance(b, Paragraph)
    )


def test_a_snapshot_is_at_its_date(report: Any) -> None:
    from ..performance.conftest import indicator, put

    ind = indicator(report.partnership, "CP1", frequency="annual", period_kind="snapshot")
    put(report.partnership, ind, "2017-03-31", 56)
    text = _text(build(report), "performance.profiles")
    assert "At 31 March 2017 the value was [[indicator:CP1:value]]" in text
    assert "In 2017-03-31" not in text


def test_one_open_risk(report: Any, police: Any) -> None:
    with tenancy.partnership_scope(report.partnership):
        planning_services.create_risk(
            partnership=report.partnership,
            title="Funding falls",
            owner=police,
            likelihood=3,
            impact=4,
            target_score=6,
            on=date(2016, 9, 1),
            review_date=date(2017, 9, 1),
        )
    text = _text(build(report), "planning.risks")
    assert "On 31 March 2017 it held 1 open risk," in text


def test_the_risk_register_as_it_stood_at_the_year_end(report: Any, police: Any) -> None:
    with tenancy.partnership_scope(report.partnership):
        risk = planning_services.create_risk(
            partnership=report.partnership,
            title="Funding falls",
            owner=police,
            likelihood=2,
            impact=2,
            target_score=4,
            on=date(2016, 9, 1),
        )
        planning_services.review_risk(risk, likelihood=5, impact=5, on=date(2017, 5, 1))
        planning_services.create_risk(
            partnership=report.partnership,
            title="Added after the year",
            owner=police,
            likelihood=3,
            impact=3,
            target_score=4,
            on=date(2017, 6, 1),
        )
    doc = build(report)
    text = _text(doc, "planning.risks")
    assert "On 31 March 2017 it held 1 open risk," in text
    top = next(
        b
        for s in doc.sections
        if s.key == "planning.risks"
        for b in s.blocks
        if getattr(b, "caption", "") == "The highest risks"
    )
    assert [c.text for c in top.rows[0][:3]] == [risk.reference, "Funding falls", "4 (Low)"]


def test_a_risk_closed_after_the_year_end_was_open_at_it(report: Any, police: Any) -> None:
    with tenancy.partnership_scope(report.partnership):
        risks = [
            planning_services.create_risk(
                partnership=report.partnership,
                title=title,
                owner=police,
                likelihood=3,
                impact=4,
                target_score=6,
                on=date(2016, 9, 1),
                review_date=date(2017, 9, 1),
            )
            for title in ("Closed in the year", "Closed after the year", "Still open")
        ]
        for risk, closed in zip(risks, (date(2017, 2, 1), date(2017, 5, 1)), strict=False):
            planning_services.change_risk(
                risk,
                title=risk.title,
                description="",
                controls="",
                target_score=6,
                owner=police,
                review_date=risk.review_date,
                reference=risk.reference,
                status="closed",
                closed_on=closed,
            )
    doc = build(report)
    assert "On 31 March 2017 it held 2 open risks," in _text(doc, "planning.risks")
    top = next(
        b
        for s in doc.sections
        if s.key == "planning.risks"
        for b in s.blocks
        if getattr(b, "caption", "") == "The highest risks"
    )
    assert sorted(r[1].text for r in top.rows) == ["Closed after the year", "Still open"]
