"""The case reviews' figures for a year are those of the year (issue 10): a recommendation's
action completed, or its impact recorded, after the year's end does not change the year's
report; nor does a serious incident notified, or a review published, after it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.learning import report, services
from safeboard.learning.models import Kind
from safeboard.planning import services as planning
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Document

pytestmark = pytest.mark.django_db


def _figures(alpha: Any) -> dict[str, Any]:
    # The 2025-26 report, drafted on 30 June 2026: its figures describe 31 March 2026.
    ctx = ReportContext(alpha, FinancialYear(2025), date(2026, 6, 30), "board")
    doc = Document("Report", alpha.name, "2025-26", "board", "2026-06-30")
    report.notifications_section(ctx, doc)
    report.reviews_section(ctx, doc)
    return {key: figure.value for key, figure in doc.figures.items()}


def test_events_after_the_years_end_do_not_change_its_figures(alpha: Any, police: Any) -> None:
    with tenancy.partnership_scope(alpha):
        review = services.create_review(
            partnership=alpha, reference="PR-1", child="Child G", kind=Kind.PRACTICE
        )
        done = services.add_recommendation(
            review, text="Train", agency=police, due=date(2026, 1, 1)
        )
        late = services.add_recommendation(
            review, text="Audit", agency=police, due=date(2026, 2, 1)
        )
        services.publish(review, on=date(2025, 11, 1))
        planning.record_completion(
            done.action,
            by=None,
            evidence_text="Trained",
            completed_on=date(2026, 1, 10),
            confirm=True,
        )
        planning.record_impact(done.action, by=None, text="Audited", on=date(2026, 3, 1))
        before = _figures(alpha)
        assert before["reviews.recommendations"] == 2
        assert before["reviews.recommendations_complete"] == 1
        assert before["reviews.recommendations_impact"] == 1
        # After the year's end: the other action completed, impact recorded, a new incident
        # notified and another review published.
        planning.record_completion(
            late.action,
            by=None,
            evidence_text="Audited",
            completed_on=date(2026, 4, 20),
            confirm=True,
        )
        planning.record_impact(late.action, by=None, text="Seen", on=date(2026, 5, 1))
        services.create_review(
            partnership=alpha,
            reference="CR-9",
            child="Child N",
            incident_known=date(2026, 4, 1),
            notified_on=date(2026, 4, 3),
            harm="death",
        )
        later = services.create_review(
            partnership=alpha, reference="PR-2", child="Child H", kind=Kind.PRACTICE
        )
        services.publish(later, on=date(2026, 5, 1))
        assert _figures(alpha) == before
