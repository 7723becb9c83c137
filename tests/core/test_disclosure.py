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
    Equation,
    apply_mask,
    cumulative_hidden,
    must_suppress,
    share_hidden,
    suppress_linked,
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


def rank_recoverable(
    values: dict[str, int], hidden: set[str], equations: list[Equation]
) -> set[str]:
    """Hidden figures that the published ones and the equations pin down (by rank)."""
    unknown = sorted(hidden)
    index = {key: i for i, key in enumerate(unknown)}
    matrix = []
    for eq in equations:
        row = [Fraction(0)] * len(unknown)
        for key in eq.parts:
            if key in index:
                row[index[key]] += 1
        if eq.total in index:
            row[index[eq.total]] -= 1
        matrix.append(row)
    full = rank(matrix)
    return {
        key for key, i in index.items() if rank([row[:i] + row[i + 1 :] for row in matrix]) < full
    }


@st.composite
def linked_figures(draw: st.DrawFn) -> tuple[dict[str, int], list[Equation]]:
    """Some counts, and sums over subsets of them published as further figures (a subtotal
    in another table, a year's value beside its quarters, a total and its parts)."""
    base = draw(st.lists(counts, min_size=1, max_size=7))
    values = {f"n{i}": v for i, v in enumerate(base)}
    equations = []
    for j, subset in enumerate(
        draw(
            st.lists(
                st.sets(st.integers(0, len(base) - 1), min_size=1, max_size=len(base)),
                max_size=4,
            )
        )
    ):
        name = f"s{j}"
        values[name] = sum(base[i] for i in subset)
        equations.append(Equation(tuple(f"n{i}" for i in sorted(subset)), name))
    return values, equations


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(linked_figures(), st.data())
def test_no_suppressed_figure_can_be_worked_out_from_sums_across_tables(
    linked: tuple[dict[str, int], list[Equation]], data: st.DataObject
) -> None:
    """Whatever is protected (published elsewhere, hidden only as a last resort)."""
    values, equations = linked
    protect = data.draw(st.frozensets(st.sampled_from(sorted(values))))
    hidden = suppress_linked(values, equations, protect=protect)
    for key, value in values.items():
        if 1 <= value <= 5:
            assert key in hidden, f"the small count {key}={value} is published"
    exposed = {k for k in rank_recoverable(values, hidden, equations) if values[k] != 0}
    assert not exposed, f"worked out from the sums: {exposed} in {values}, {equations}"


@given(st.integers(0, 200), st.integers(0, 200))
def test_a_published_share_reveals_no_small_count_of_either_side(number: int, rest: int) -> None:
    """A share publishes its number, its Of and the percentage: the number, and the rest
    (Of less Number), are each worked out from the others, so neither may be from 1 to 5
    when the number or the percentage is shown."""
    of = number + rest
    hidden = share_hidden(number, of)
    percent_hidden = must_suppress(
        100 * number / of if of else None, unit="percent", numerator=number, denominator=of
    )
    if not hidden:
        assert not 1 <= number <= 5
        # A small rest is published only as the whole Of ("0 of c": the count rule hides it).
        assert not 1 <= rest <= 5 or (number == 0 and must_suppress(of, unit="count"))
    if of:
        assert percent_hidden is hidden
    if 1 <= number <= 5 or (number and 1 <= rest <= 5):
        assert hidden


def test_a_subtotal_in_another_table_takes_a_partner() -> None:
    """Police 3 is suppressed and the smallest other source (Parent 6) with it: but
    "notifications from agencies" (Police and School) published beside them gives
    Police = 10 - 7, unless a figure of that sum is hidden too."""
    values = {"police": 3, "school": 7, "parent": 6, "other": 9, "total": 25, "agencies": 10}
    equations = [
        Equation(("police", "school", "parent", "other"), "total"),
        Equation(("police", "school"), "agencies"),
    ]
    assert suppress_table([[3], [7], [6], [9], [25]], column_totals=True) == [
        [True],
        [False],
        [True],
        [False],
        [False],
    ]
    hidden = suppress_linked(values, equations)
    assert "police" in hidden
    assert not rank_recoverable(values, hidden, equations) & {"police"}


@st.composite
def growing(draw: st.DrawFn) -> tuple[list[int], int]:
    steps = draw(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=2, max_size=5))
    points = [sum(steps[: i + 1]) for i in range(len(steps))]
    return points[:-1], points[-1]


@settings(max_examples=300)
@given(growing())
def test_growing_counts_give_no_small_difference(counts: tuple[list[int], int]) -> None:
    """Concluded within one, three and twelve months of the same allegations: no published
    count, no difference of two published counts and no Of less a published count is from 1
    to 5 (those concluded in between are people too)."""
    numbers, of = counts
    hidden = cumulative_hidden(numbers, of)
    published = [0, *(n for n, h in zip(numbers, hidden, strict=True) if not h)]
    if not must_suppress(of, unit="count"):
        published.append(of)
    for i, a in enumerate(published):
        for b in published[i + 1 :]:
            assert not 1 <= b - a <= 5, (numbers, of, hidden)
    if len(numbers) == 1:
        assert hidden[0] is share_hidden(numbers[0], of) or (numbers[0] == 0)


def test_the_months_between_two_published_counts_are_a_count() -> None:
    """30 within one month, 33 within three, 38 within twelve, of 40: the 3 concluded in the
    second and third months and the 2 after a year are small counts."""
    assert cumulative_hidden([30, 33, 38], 40) == [False, True, True]
