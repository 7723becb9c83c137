"""The public edition's table of the LADO's last three years counts allegations (people):
its small counts are `c`, as in the year's own tables."""

from __future__ import annotations

from datetime import date, timedelta
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


def test_allegations_concluded_between_two_published_measures_are_a_count(
    alpha: Any, alice: Any, terms: Any
) -> None:
    """Of 17, 7 concluded within one month and 10 within three: the 3 concluded in the second
    or third month are a small count, worked out from the two. One of them is `c`."""
    from safeboard.allegations import selectors
    from safeboard.core.periods import FinancialYear

    for n, days in enumerate([10] * 7 + [50] * 3 + [200] * 7):
        received = date(2016, 5, 2 + n)
        contact(alpha, terms, f"A-{n}", received, concluded=received + timedelta(days=days))
    with tenancy.partnership_scope(alpha):
        tables = selectors.year_tables(FinancialYear(2016))
        board = {row[0]: row[1:] for row in tables.timeliness_rows()[1]}
        public = {row[0]: row[1:] for row in tables.timeliness_rows(public=True)[1]}
        report = services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        document = services.document(report, "public")
    assert board["Concluded within one month"][:2] == [7, 17]
    assert board["Concluded within three months"][:2] == [10, 17]
    assert board["Concluded within twelve months"][:2] == [17, 17]
    shown = [
        public[label][0]
        for label in ("Concluded within one month", "Concluded within three months")
    ]
    assert "c" in shown, public
    lado = next(s for s in document.sections if s.key == "lado.allegations")
    years = next(b for b in lado.blocks if isinstance(b, Table))
    rows = {row[0].text: row[-1].text for row in years.rows}
    assert "c" in (
        rows["Concluded within one month (%)"],
        rows["Concluded within three months (%)"],
    ), rows


def test_the_public_measures_and_their_sources_follow_the_tables(
    alpha: Any, alice: Any, terms: Any
) -> None:
    """Nine of ten concluded within a month: the figure is `c`, and its source does not say
    "9 of 10"."""
    for n, days in enumerate([10] * 9 + [50]):
        received = date(2016, 5, 2 + n)
        contact(alpha, terms, f"A-{n}", received, concluded=received + timedelta(days=days))
    with tenancy.partnership_scope(alpha):
        report = services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        board = services.document(report)
        public = services.document(report, "public")
    assert board.figures["lado.concluded_1m"].text == "90%"
    figure = public.figures["lado.concluded_1m"]
    assert figure.text == "c"
    assert "9 of 10" not in figure.source and "c of 10" in figure.source
