"""Property tests of the year's tables: every table sums to its totals, and in the published
tables no suppressed count can be worked out from the totals."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from safeboard.allegations.selectors import Measure, YearTables
from safeboard.core import disclosure
from safeboard.core.periods import FinancialYear

SMALL = st.integers(min_value=0, max_value=12)


@st.composite
def year_tables(draw: Any) -> YearTables:
    n_employers = draw(st.integers(min_value=1, max_value=6))
    n_categories = draw(st.integers(min_value=1, max_value=5))
    n_referrers = draw(st.integers(min_value=1, max_value=6))
    grid = draw(
        st.lists(
            st.lists(SMALL, min_size=n_categories, max_size=n_categories),
            min_size=n_employers,
            max_size=n_employers,
        )
    )
    total = sum(map(sum, grid))
    referrals = draw(st.lists(SMALL, min_size=n_referrers, max_size=n_referrers))
    outcomes = draw(st.lists(SMALL, min_size=3, max_size=3))

    def terms(prefix: str, n: int) -> list[Any]:
        return [SimpleNamespace(name=f"{prefix} {i}", pk=i) for i in range(n)]

    return YearTables(
        year=FinancialYear(2016),
        employers=terms("Employer", n_employers),
        categories=terms("Category", n_categories),
        referrers=terms("Referrer", n_referrers),
        outcomes=terms("Outcome", 3),
        by_employer=grid,
        by_referrer=referrals,
        by_outcome=outcomes,
        allegations=total,
        consultations=0,
        restraint=0,
        timeliness=[Measure("Concluded within one month", min(total, 3), total)],
    )


@given(year_tables())
def test_every_table_sums_to_its_totals(t: YearTables) -> None:
    _, rows = t.employer_by_category()
    body, totals = rows[:-1], rows[-1]
    assert totals[0] == "Total"
    for row in body:
        assert sum(row[1:-1]) == row[-1]
    for column in range(1, len(totals)):
        assert sum(row[column] for row in body) == totals[column]
    assert totals[-1] == t.allegations
    _, rows = t.referrals_by_agency()
    assert sum(row[1] for row in rows[:-1]) == rows[-1][1] == sum(t.by_referrer)
    _, rows = t.outcome_counts()
    assert rows[-1] == ["Allegations", t.allegations]


def _unknowns(rows: list[list[Any]]) -> set[tuple[int, int]]:
    return {
        (r, c)
        for r, row in enumerate(rows)
        for c, value in enumerate(row[1:])
        if value == disclosure.SUPPRESSED
    }


@given(year_tables())
def test_a_suppressed_cell_cannot_be_recovered_from_the_totals(t: YearTables) -> None:
    _, true_rows = t.employer_by_category()
    _, shown = t.employer_by_category(public=True)
    n_rows, n_cols = len(shown), len(shown[0]) - 1
    equations = disclosure.table_equations(n_rows, n_cols, row_totals=True, column_totals=True)
    hidden = _unknowns(shown)
    for r, c in disclosure.recoverable(hidden, equations):
        assert true_rows[r][c + 1] == 0, "a suppressed count can be worked out"
    for r, row in enumerate(true_rows):
        for c, value in enumerate(row[1:]):
            if disclosure.is_small_count(value):
                assert (r, c) in hidden
    _, true_rows = t.referrals_by_agency()
    _, shown = t.referrals_by_agency(public=True)
    equations = disclosure.table_equations(len(shown), 1, row_totals=False, column_totals=True)
    hidden = _unknowns(shown)
    for r, c in disclosure.recoverable(hidden, equations):
        assert true_rows[r][c + 1] == 0
    for (_, value), (_, published) in zip(true_rows, shown, strict=True):
        if disclosure.is_small_count(value):
            assert published == disclosure.SUPPRESSED


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_a_published_timeliness_row_never_reveals_a_small_count(met: int, missed: int) -> None:
    """Neither the cases that met a measure nor those that missed it (`Of` less `Number`, or
    worked back from the percentage) can be a count of 1 to 5 in the published table."""
    t = SimpleNamespace(timeliness=[Measure("Concluded within one month", met, met + missed)])
    t.hidden_measures = lambda: YearTables.hidden_measures(t)  # type: ignore[arg-type]
    _, rows = YearTables.timeliness_rows(t, public=True)  # type: ignore[arg-type]
    _, number, of, percent = rows[0]
    if number != disclosure.SUPPRESSED:
        assert not disclosure.is_small_count(number)
        if of != disclosure.SUPPRESSED:
            assert not disclosure.is_small_count(of - number)
    if percent != disclosure.SUPPRESSED:
        assert number != disclosure.SUPPRESSED and of != disclosure.SUPPRESSED
