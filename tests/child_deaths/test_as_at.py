"""The child death review's figures for a year are those of the year (issue 10). The tables
count the reviews *completed* in the year (the national convention): a review completed after
the year's end is not the year's. An agency's form returned after the year's end was
outstanding at 31 March, and a recommendation released after it was not yet released."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.child_deaths import report, services
from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.partnership.models import Partnership
from safeboard.planning import services as planning
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Document, Paragraph, Table

from .conftest import area_of, complete, notify

pytestmark = pytest.mark.django_db


def _report(alpha: Partnership) -> tuple[dict[str, Any], list[str]]:
    """The 2016-17 sections, drafted on 30 June 2017: their figures, and every paragraph and
    table row they show."""
    ctx = ReportContext(alpha, FinancialYear(2016), date(2017, 6, 30), "board")
    doc = Document("Report", alpha.name, "2016-17", "board", "2017-06-30")
    shown: list[str] = []
    with tenancy.partnership_scope(alpha):
        for section in (
            report.year_section,
            report.learning_section,
            report.timeliness_section,
            report.forms_section,
        ):
            for block in section(ctx, doc):
                if isinstance(block, Table):
                    shown.append(block.caption)
                    shown.extend(" | ".join(c.text for c in row) for row in block.rows)
                elif isinstance(block, Paragraph):
                    shown.append(block.markdown)
    return {key: figure.value for key, figure in doc.figures.items()}, shown


def test_events_after_the_years_end_do_not_change_its_figures(
    alpha: Partnership, panel: Any, alice: Any, police: Any
) -> None:
    first = notify(alpha, panel, area=area_of(alpha), date_of_death=date(2016, 2, 1))
    second = notify(alpha, panel, area=area_of(alpha), date_of_death=date(2016, 3, 1))
    review = complete(first, on=date(2016, 9, 1), category=9, modifiable=True)
    reviewed = complete(second, on=date(2017, 1, 10), category=8)
    with tenancy.partnership_scope(alpha):
        (form,) = services.request_forms(first, agencies=[police], requested_on=date(2016, 4, 5))
        recommendation = services.add_recommendation(
            review, partnership=alpha, text="Safe sleep", owner=police, due=date(2017, 3, 1)
        )
        shared = services.add_recommendation(
            reviewed, partnership=alpha, text="Car seats", owner=police, due=date(2017, 3, 1)
        )
        services.release_recommendations(reviewed, on=date(2017, 2, 1))
    figures, shown = _report(alpha)
    assert figures["cdop.reviews_completed"] == 2
    assert figures["cdop.modifiable"] == 50
    # The police's form: requested 1, returned 0, on time 0, incomplete 0, outstanding 1.
    assert any(line.endswith("| 1 | 0 | 0 | 0 | 1") for line in shown), shown
    assert any("1 recommendation not yet released" in line for line in shown), shown
    assert "Car seats | Not started | 2017-03-01" in shown
    # After the year's end: the form returned, the recommendation released and its action
    # completed, the released one's action completed, and a third review completed (2017-18's).
    third = notify(alpha, panel, area=area_of(alpha), date_of_death=date(2016, 12, 1))
    complete(third, on=date(2017, 4, 10), category=9, modifiable=True)
    with tenancy.partnership_scope(alpha):
        services.receive_form(form, received_on=date(2017, 4, 20), complete=True)
        services.release_recommendations(review, on=date(2017, 4, 25))
        planning.record_completion(
            recommendation.action,
            by=None,
            evidence_text="Leaflets given",
            completed_on=date(2017, 5, 1),
            confirm=True,
        )
        planning.record_completion(
            shared.action,
            by=None,
            evidence_text="Seats fitted",
            completed_on=date(2017, 4, 28),
            confirm=True,
        )
    assert _report(alpha) == (figures, shown)
