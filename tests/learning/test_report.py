"""The case reviews' sections of the annual report: figures computed from the records for
the year; the public edition names published reviews only and counts their learning only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.learning import report, services
from safeboard.learning.models import Kind, Outcome
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Document, Table

pytestmark = pytest.mark.django_db


def _build(alpha: Any, edition: str) -> tuple[Document, list[Any], list[Any]]:
    ctx = ReportContext(alpha, FinancialYear(2025), date(2026, 3, 31), edition)
    doc = Document("Report", alpha.name, "2025-26", edition, "2026-03-31")
    return doc, report.notifications_section(ctx, doc), report.reviews_section(ctx, doc)


def test_the_year_in_case_reviews(alpha: Any, police: Any) -> None:
    with tenancy.partnership_scope(alpha):
        theme = services.add_theme(partnership=alpha, name="Neglect")
        a = services.create_review(
            partnership=alpha,
            reference="CR-1",
            child="Child A",
            incident_known=date(2025, 6, 2),
            notified_on=date(2025, 6, 5),
            harm="death",
        )
        services.record_rapid_review(
            a, held_on=date(2025, 6, 20), outcome=Outcome.LCSPR, decided_on=date(2025, 6, 30)
        )
        services.add_lesson(a, text="Hidden lesson", themes=[theme])
        b = services.create_review(
            partnership=alpha,
            reference="CR-2",
            child="Child B",
            incident_known=date(2025, 9, 1),
            notified_on=date(2025, 9, 12),  # 9 working days: missed
            harm="serious_harm",
        )
        services.record_rapid_review(
            b, held_on=date(2025, 9, 30), outcome=Outcome.NO_LCSPR, no_lcspr_reason="Known"
        )
        # Notified the year before: not counted in 2025-26.
        services.create_review(
            partnership=alpha,
            reference="CR-0",
            child="Child Z",
            incident_known=date(2025, 3, 3),
            notified_on=date(2025, 3, 5),
        )
        g = services.create_review(
            partnership=alpha, reference="PR-1", child="Child G", kind=Kind.PRACTICE
        )
        services.add_lesson(g, text="Published lesson", themes=[theme])
        services.add_recommendation(g, text="Do it", agency=police, due=date(2026, 6, 1))
        services.publish(g, on=date(2025, 11, 1))
        services.record_dissemination(g, briefing_on=date(2025, 11, 5))
        board, notifications, reviews = _build(alpha, "board")
        public, _, public_reviews = _build(alpha, "public")
    assert board.figures["reviews.notified"].value == 2
    assert board.figures["reviews.rapid_reviews"].value == 2
    assert board.figures["reviews.lcspr_decided"].value == 1
    assert board.figures["reviews.published"].value == 1
    clocks = next(b for b in notifications if isinstance(b, Table) and "clocks" in b.caption)
    notification_row = [c.text for c in clocks.rows[0]]
    assert notification_row[:3] == ["Notification within 5 working days", "1", "1"]
    # The board edition lists the local and practice reviews; the public one, published only.
    listed = next(b for b in reviews if isinstance(b, Table))
    assert {row[0].text for row in listed.rows} == {"Child A", "Child G"}
    public_listed = next(b for b in public_reviews if isinstance(b, Table))
    assert [row[0].text for row in public_listed.rows] == ["Child G"]
    themes = [b for b in public_reviews if isinstance(b, Table)][1]
    assert [c.text for c in themes.rows[0]] == ["Neglect", "1", "1"]
    board_themes = [b for b in reviews if isinstance(b, Table)][1]
    assert board_themes.rows[0][-1].text == "2"
    assert public.figures["reviews.recommendations"].value == 1
    # The recommendations' progress as at the report's date.
    progress = next(b for b in public_reviews if isinstance(b, Table) and "progress" in b.caption)
    assert progress.caption == "The recommendations' progress, 31 March 2026"
    by_status = {row[0].text: row[1].text for row in progress.rows}
    assert by_status["Not started"] == "1" and by_status["Complete"] == "0"
    assert by_status["Overdue (of those not complete)"] == "0"
    text = " ".join(str(getattr(b, "markdown", "")) for b in public_reviews)
    assert "Hidden lesson" not in text


def test_the_public_edition_is_published_reviews_only(alpha: Any, police: Any) -> None:
    """The public edition (as at 31 March 2026) names and counts the learning of the reviews
    published by then only: not a review still under way, nor one published after the
    report's date; its table of clocks (each one child's case) has its small counts
    suppressed."""
    from safeboard.reporting.document import Section
    from safeboard.reports import disclosure

    with tenancy.partnership_scope(alpha):
        theme = services.add_theme(partnership=alpha, name="Neglect")
        late = services.add_theme(partnership=alpha, name="Voice of the child")
        shown = services.create_review(
            partnership=alpha, reference="PR-1", child="Child G", kind=Kind.PRACTICE
        )
        services.add_lesson(shown, text="Published lesson", themes=[theme])
        services.publish(shown, on=date(2025, 11, 1))
        after = services.create_review(
            partnership=alpha, reference="PR-2", child="Child H", kind=Kind.PRACTICE
        )
        services.add_lesson(after, text="Published after the report", themes=[late])
        services.add_recommendation(after, text="Later", agency=police, due=date(2026, 9, 1))
        services.record_dissemination(after, briefing_on=date(2026, 3, 1))
        services.publish(after, on=date(2026, 5, 1))
        under_way = services.create_review(
            partnership=alpha,
            reference="CR-3",
            child="Child K",
            incident_known=date(2025, 6, 2),
            notified_on=date(2025, 6, 5),
        )
        services.add_lesson(under_way, text="Not yet published", themes=[theme])
        _, _, board_reviews = _build(alpha, "board")
        public, notifications, reviews = _build(alpha, "public")
    tables = [b for b in reviews if isinstance(b, Table)]
    assert [row[0].text for row in tables[0].rows] == ["Child G"]
    assert [(row[0].text, row[-1].text) for row in tables[1].rows] == [("Neglect", "1")]
    dissemination = {row[0].text: row[1].text for row in tables[-1].rows}
    assert dissemination["Briefing issued"] == "0" and dissemination["Lessons recorded"] == "1"
    assert public.figures["reviews.recommendations"].value == 0
    text = " ".join(cell.text for table in tables for row in table.rows for cell in row) + " ".join(
        str(getattr(b, "markdown", "")) for b in reviews
    )
    assert "Child H" not in text and "Child K" not in text
    # The board edition sees every case's learning.
    board_tables = [b for b in board_reviews if isinstance(b, Table)]
    assert {row[0].text for row in board_tables[1].rows} == {"Neglect", "Voice of the child"}
    # Clocks: one rapid review overdue, one notification met; suppressed in public.
    clocks = next(b for b in notifications if isinstance(b, Table) and "clocks" in b.caption)
    assert clocks.counts
    public.sections.append(Section("learning.notifications", "Clocks", notifications))
    disclosure.apply(public)
    assert [c.text for c in clocks.rows[0]][1] == "c"
