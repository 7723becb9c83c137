"""Disclosure control (core.disclosure): primary suppression of small counts, and secondary
suppression so no suppressed cell can be worked out from the totals. The property tests check
the published table with an independent method: a cell is recoverable when removing it from
the equations lowers their rank (its value is then pinned by the others)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safeboard.core.disclosure import (
    SUPPRESSED,
    apply_mask,
    must_suppress,
    suppress_table,
    table_equations,
)


def rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix if any(row)]
    if not rows:
        return 0
    width = len(rows[0])
    r = 0
    for c in range(width):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(r + 1, len(rows)):
            factor = rows[i][c] / rows[r][c]
            rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        r += 1
    return r


def recoverable_cells(
    table: list[list[int]], mask: list[list[bool]], row_totals: bool, column_totals: bool
) -> set[tuple[int, int]]:
    """Suppressed cells whose value the published cells and totals pin down."""
    unknown = sorted((r, c) for r, row in enumerate(mask) for c, hidden in enumerate(row) if hidden)
    index = {cell: i for i, cell in enumerate(unknown)}
    equations = table_equations(
        len(table), len(table[0]), row_totals=row_totals, column_totals=column_totals
    )
    matrix = []
    for eq in equations:
        row = [Fraction(0)] * len(unknown)
        for cell in eq.parts:
            if cell in index:
                row[index[cell]] += 1
        if eq.total in index:
            row[index[eq.total]] -= 1
        matrix.append(row)
    full = rank(matrix)
    found = set()
    for cell, i in index.items():
        without = [row[:i] + row[i + 1 :] for row in matrix]
        if rank(without) < full:
            found.add(cell)
    return found


def with_totals(body: list[list[int]], row_totals: bool, column_totals: bool) -> list[list[int]]:
    table = [row[:] for row in body]
    if row_totals:
        table = [[*row, sum(row)] for row in table]
    if column_totals:
        table.append([sum(col) for col in zip(*table, strict=True)])
    return table


counts = st.one_of(st.integers(0, 5), st.integers(0, 60))
bodies = st.integers(1, 5).flatmap(
    lambda w: st.lists(st.lists(counts, min_size=w, max_size=w), min_size=1, max_size=5)
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(bodies, st.booleans(), st.booleans())
def test_no_suppressed_cell_can_be_worked_out_from_the_totals(
    body: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    table = with_totals(body, row_totals, column_totals)
    mask = suppress_table(table, row_totals=row_totals, column_totals=column_totals)
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if 1 <= value <= 5:
                assert mask[r][c], f"the small count {value} at {r},{c} is published"
    exposed = {
        cell
        for cell in recoverable_cells(table, mask, row_totals, column_totals)
        if table[cell[0]][cell[1]] != 0
    }
    assert not exposed, f"recoverable from the totals: {exposed} in {table} with {mask}"


@given(bodies)
def test_without_totals_only_small_counts_are_suppressed(body: list[list[int]]) -> None:
    mask = suppress_table(body)
    assert mask == [[1 <= v <= 5 for v in row] for row in body]


@given(bodies, st.booleans(), st.booleans())
def test_zeros_are_shown_when_nothing_needs_them_hidden(
    body: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    assume(all(not 1 <= v <= 5 for row in body for v in row))
    table = with_totals(body, row_totals, column_totals)
    assume(all(not 1 <= v <= 5 for row in table for v in row))
    mask = suppress_table(table, row_totals=row_totals, column_totals=column_totals)
    assert not any(any(row) for row in mask)


def test_a_lone_small_count_in_a_row_with_a_total_takes_a_partner() -> None:
    table = [[3, 10, 20, 33], [8, 9, 12, 29]]
    mask = suppress_table(table, row_totals=True)
    assert mask[0] == [True, True, False, False]  # 3, and the smallest other cell, 10
    assert mask[1] == [False, False, False, False]
    published = apply_mask(table, mask)
    assert published[0] == [SUPPRESSED, SUPPRESSED, 20, 33]


def test_both_totals_need_a_rectangle() -> None:
    table = [[3, 10, 13], [7, 9, 16], [10, 19, 29]]
    mask = suppress_table(table, row_totals=True, column_totals=True)
    hidden = {(r, c) for r, row in enumerate(mask) for c, h in enumerate(row) if h}
    assert {(0, 0), (0, 1), (1, 0), (1, 1)} <= hidden
    assert not recoverable_cells(table, mask, True, True) & {(0, 0)}


def test_a_table_with_missing_cells_counts_them_as_unknown() -> None:
    table: list[list[float | None]] = [[3, None, 20.0, 33.0]]
    mask = suppress_table(table, row_totals=True)
    assert mask == [[True, False, False, False]]  # the missing cell already hides the 3


def test_ragged_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="same number of cells"):
        suppress_table([[1, 2], [3]])


@pytest.mark.parametrize(
    ("value", "unit", "numerator", "hidden"),
    [
        (3, "count", None, True),
        (0, "count", None, False),
        (6, "count", None, False),
        (12.5, "percent", 4, True),
        (12.5, "percent", 40, False),
        (12.5, "percent", None, False),
        (4.1, "rate_per_10000", 2, True),
        (3, "days", None, False),
        (None, "count", None, False),
    ],
)
def test_primary_suppression_of_one_figure(
    value: float | None, unit: str, numerator: float | None, hidden: bool
) -> None:
    assert must_suppress(value, unit=unit, numerator=numerator) is hidden
