"""The public edition's table of the LADO's last three years counts allegations (people):
its small counts are `c`, as in the year's own tables."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.reporting.document import Table
from safeboard.reports import services

from .conftest import contact

pytestmark = pytest.mark.django_db


def test_small_counts_of_earlier_years_and_of_restraint_are_suppressed(
    alpha: Any, alice: Any, terms: Any
) -> None:
    for n in range(7):
        contact(alpha, terms, f"A-{n}", date(2016, 5, 2 + n), concluded=date(2016, 5, 20))
    contact(alpha, terms, "R", date(2016, 6, 1), concluded=date(2016, 6, 20), restraint=True)
    contact(alpha, terms, "PREV", date(2015, 6, 1), employer="Health")
    with tenancy.partnership_scope(alpha):
        report = services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        board = services.document(report)
        public = services.document(report, "public")

    def years(document: Any) -> dict[str, list[str]]:
        lado = next(s for s in document.sections if s.key == "lado.allegations")
        table = next(b for b in lado.blocks if isinstance(b, Table))
        return {row[0].text: [c.text for c in row[1:]] for row in table.rows}

    assert years(board)["Allegations"] == ["0", "1", "8"]
    assert years(board)["Following restraint"] == ["0", "0", "1"]
    assert years(public)["Allegations"] == ["0", "c", "8"]
    assert years(public)["Following restraint"] == ["0", "0", "c"]
