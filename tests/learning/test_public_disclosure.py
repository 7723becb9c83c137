"""The public edition's statutory clocks of case reviews: each clock is a serious incident (a
child), so a small count of clocks met or missed is `c`, as the incidents notified are."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.learning import services
from safeboard.reporting.document import Table
from safeboard.reports import services as reports

pytestmark = pytest.mark.django_db


def test_a_small_count_of_clocks_met_or_missed_is_suppressed(alpha: Any, alice: Any) -> None:
    with tenancy.partnership_scope(alpha):
        services.create_review(
            partnership=alpha,
            reference="CR-1",
            child="Child A",
            incident_known=date(2025, 6, 2),
            notified_on=date(2025, 6, 5),
            harm="death",
        )
        services.create_review(
            partnership=alpha,
            reference="CR-2",
            child="Child B",
            incident_known=date(2025, 9, 1),
            notified_on=date(2025, 9, 12),  # 9 working days: missed
            harm="serious_harm",
        )
        report = reports.create_report(
            partnership=alpha, year=2025, by=alice, as_at=date(2026, 3, 31)
        )
        board = reports.document(report)
        public = reports.document(report, "public")

    def notification_row(document: Any) -> list[str]:
        section = next(s for s in document.sections if s.key == "learning.notifications")
        clocks = next(
            b for b in section.blocks if isinstance(b, Table) and "clocks" in b.caption.lower()
        )
        row = next(r for r in clocks.rows if r[0].text.startswith("Notification"))
        return [c.text for c in row[1:3]]

    assert notification_row(board) == ["1", "1"]
    assert notification_row(public) == ["c", "c"]
