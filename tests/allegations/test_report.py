"""The LADO's and private fostering's sections of the annual report: computed from the
registers for the report's year, totals that add up, small counts suppressed in the public
edition, and no problem that blocks approval."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.private_fostering import services as pf_services
from safeboard.private_fostering.models import Arrangement
from safeboard.reporting.document import Table
from safeboard.reports import checks, services

from .conftest import contact

pytestmark = pytest.mark.django_db


def test_the_registers_sections(alpha: Any, alice: Any, terms: Any) -> None:
    for n in range(7):
        contact(alpha, terms, f"A-{n}", date(2016, 5, 2 + n), concluded=date(2016, 5, 20))
    contact(alpha, terms, "PREV", date(2015, 6, 1), employer="Health")
    with tenancy.partnership_scope(alpha):
        pf_services.save_arrangement(
            Arrangement(
                reference="PF", notified=date(2016, 6, 1), source="school", start=date(2016, 6, 1)
            ),
            alpha,
        )
        report = services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        board = services.document(report)
        public = services.document(report, "public")
    assert board.figures["lado.allegations"].value == 7
    assert board.figures["lado.concluded_1m"].text == "100%"
    assert board.figures["private_fostering.notifications"].value == 1
    keys = [s.key for s in board.sections]
    assert "lado.allegations" in keys and "private_fostering.year" in keys
    lado = next(s for s in board.sections if s.key == "lado.allegations")
    history = next(b for b in lado.blocks if isinstance(b, Table))
    assert [c.text for c in history.rows[0]] == ["Allegations", "0", "1", "7"]
    mine = [
        p for p in board.problems if p.section in {"lado.allegations", "private_fostering.year"}
    ]
    assert checks.blocking(mine) == []
    assert public.figures["private_fostering.notifications"].text == "c"
    assert public.figures["lado.allegations"].text == "7"


def test_the_public_years_table_hides_a_small_count_of_misses(
    alpha: Any, alice: Any, terms: Any
) -> None:
    """Seven of eight concluded within a month: 88% beside "Allegations 8" tells the public
    that one allegation took longer, so the public edition shows `c`."""
    for n in range(7):
        contact(alpha, terms, f"A-{n}", date(2016, 5, 2 + n), concluded=date(2016, 5, 20))
    contact(alpha, terms, "SLOW", date(2016, 5, 2), concluded=date(2016, 9, 1))
    with tenancy.partnership_scope(alpha):
        report = services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        board = services.document(report)
        public = services.document(report, "public")

    def month_row(document: Any) -> list[str]:
        lado = next(s for s in document.sections if s.key == "lado.allegations")
        years = next(b for b in lado.blocks if isinstance(b, Table))
        row = next(r for r in years.rows if r[0].text.startswith("Concluded within one month"))
        return [c.text for c in row]

    assert month_row(board)[-1] == "88%"
    assert month_row(public)[-1] == "c"
