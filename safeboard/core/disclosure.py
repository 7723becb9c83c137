"""Disclosure control for published figures: one module, used by every public export.

The rules (see docs/performance.md, "Publication"):

- Primary suppression: a count from 1 to 5 is replaced by `c`; so is a rate or a percentage
  whose numerator is from 1 to 5. Zero is shown as 0: it identifies nobody.
- Secondary suppression, for tables with totals: a suppressed cell must not be recoverable
  from the row and column totals. Each row (with row totals) and each column (with column
  totals) is an equation, `parts = total`; a suppressed or missing cell is an unknown. A cell
  is recoverable when the equations pin it to a single value, which is when its unit vector
  lies in the row space of the system. Further cells are suppressed, smallest non-zero first,
  until no suppressed non-zero cell is recoverable (each time the smallest non-zero inner cell
that shares a row or column with a recoverable one).

- Complements: a share (`number` of `of`, with the percentage between them) publishes two
  counts of people, those counted and the rest (`of - number`); either, or the percentage,
  works the other back. `share_hidden` hides the number and the percentage when either count
  is from 1 to 5, and `must_suppress` does the same for a percentage given its denominator.
- Linked figures: figures that are not one rectangle but add up (a total beside its parts in
  another table, a subtotal of some rows, a year's value and its quarters) are equations
  too: `suppress_linked` applies the same secondary suppression to any named figures and the
  sums that link them, and `suppress_table` takes further equations between its cells.

Suppressing every cell is always safe (the true table, scaled, is another solution), so the
procedure ends. A suppressed zero may be recoverable; that reveals only a zero, which is shown
anyway. Bounds (counts are not negative) are not used to narrow the unknowns: the rule is the
one statistical producers publish, "not recoverable from the totals".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any

from .statistics import format_number

SUPPRESSED = "c"
SMALLEST, LARGEST = 1, 5
RATE_UNITS = frozenset({"percent", "rate_per_1000", "rate_per_10000"})

Cell = tuple[int, int]


def is_small_count(value: float | int | None) -> bool:
    """A count from 1 to 5: identifies too few people to publish."""
    return value is not None and SMALLEST <= value <= LARGEST


def share_hidden(number: float | None, of: float | None) -> bool:
    """Whether a share, `number` of `of` with its percentage, is hidden in a public output:
    when the number, or the rest (`of - number`, worked back from the `Of` or the
    percentage), is a count from 1 to 5. Then the number and the percentage are both `c`
    (the `Of` follows the count rule on its own: when the number is 0 the rest is the `Of`,
    and "0 of c" reveals nothing)."""
    if number is None:
        return False
    if is_small_count(number):
        return True
    return number != 0 and of is not None and is_small_count(of - number)


def cumulative_hidden(numbers: Sequence[float], of: float) -> list[bool]:
    """Which of some growing counts of the same `of` to hide (with their percentages), as
    "concluded within one, three and twelve months" of the same allegations are: the
    difference between two published counts is a count too (those concluded in between), as
    is `of` less one. Published are 0, the counts not hidden and `of` (unless it is small
    itself); a count is hidden until no two neighbours among them differ by 1 to 5 (then no
    two published points do: each difference is a sum of neighbours' differences, each 0 or
    more than 5). With one count this is `share_hidden`."""
    if any(b < a for a, b in zip([0, *numbers], [*numbers, of], strict=True)):
        raise ValueError("the counts must grow, and not beyond the Of")
    hidden = [False] * len(numbers)
    while True:
        points: list[tuple[float, int | None]] = [(0, None)]
        points += [(n, i) for i, n in enumerate(numbers) if not hidden[i]]
        if not is_small_count(of):
            points.append((of, None))
        pair = next(
            ((a, b) for a, b in pairwise(points) if is_small_count(b[0] - a[0])),
            None,
        )
        if pair is None:
            return hidden
        (_, earlier), (_, later) = pair
        index = later if later is not None else earlier
        assert index is not None  # 0 and a published Of differ by more than 5
        hidden[index] = True


def must_suppress(
    value: float | None,
    *,
    unit: str,
    numerator: float | None = None,
    denominator: float | None = None,
) -> bool:
    """Primary suppression of one published figure of `unit`: a count from 1 to 5, or a rate
    or percentage whose numerator is from 1 to 5; and a percentage whose `denominator` is
    given when the rest (denominator less numerator) is from 1 to 5 (`share_hidden`)."""
    if value is None:
        return False
    if unit == "count":
        return is_small_count(value)
    if unit == "percent" and denominator is not None:
        return share_hidden(numerator, denominator)
    if unit in RATE_UNITS:
        return is_small_count(numerator)
    return False


def share_counts(numerator: float, denominator: float, *, public: bool) -> tuple[str, str]:
    """The two counts a rate or percentage rests on, as text. In a public output each is a
    count of people and follows the count rule (from 1 to 5 it is `c`), and the numerator is
    `c` too when the rest (denominator less numerator) is from 1 to 5 (`share_hidden`)."""

    def shown(count: float) -> str:
        return SUPPRESSED if public and is_small_count(count) else format_number(count, 0)

    top = shown(numerator)
    if public and share_hidden(numerator, denominator):
        top = SUPPRESSED
    return top, shown(denominator)


def basis_text(numerator: float, denominator: float, *, public: bool) -> str:
    """The counts a rate or percentage rests on, "numerator / denominator", as a figure's
    source (provenance) shows them, by `share_counts` (so a suppressed percentage's
    numerator is `c` in its source too)."""
    top, bottom = share_counts(numerator, denominator, public=public)
    return f"{top} / {bottom}"


@dataclass(frozen=True)
class Equation:
    """`sum(parts) == total` for one row or column of a table."""

    parts: tuple[Any, ...]
    total: Any


def table_equations(
    n_rows: int, n_cols: int, *, row_totals: bool, column_totals: bool
) -> list[Equation]:
    """The equations a table with totals publishes. With both totals, the totals row and
    column are equations too (their sum is the grand total)."""
    equations = []
    if row_totals and n_cols >= 2:
        for r in range(n_rows):
            parts = tuple((r, c) for c in range(n_cols - 1))
            equations.append(Equation(parts, (r, n_cols - 1)))
    if column_totals and n_rows >= 2:
        for c in range(n_cols):
            parts = tuple((r, c) for r in range(n_rows - 1))
            equations.append(Equation(parts, (n_rows - 1, c)))
    return equations


def _order(key: Any) -> tuple[str, Any]:
    """A sort key for figures' names of any one kind (cells, strings)."""
    return (type(key).__name__, key)


def recoverable(unknowns: set[Any], equations: Sequence[Equation]) -> set[Any]:
    """The unknown cells that the equations determine exactly.

    Each equation restricted to the unknowns is a row of a matrix A (parts +1, total -1). An
    unknown u is determined iff e_u is in A's row space; in reduced row echelon form that is
    iff u is a pivot column whose row has no other non-zero entry.
    """
    if not unknowns:
        return set()
    order = sorted(unknowns, key=_order)
    index = {cell: i for i, cell in enumerate(order)}
    rows: list[list[Fraction]] = []
    for eq in equations:
        row = [Fraction(0)] * len(order)
        touched = False
        for cell in eq.parts:
            if cell in index:
                row[index[cell]] += 1
                touched = True
        if eq.total in index:
            row[index[eq.total]] -= 1
            touched = True
        if touched:
            rows.append(row)
    pivots = _rref(rows, len(order))
    found = set()
    for row_index, col in pivots:
        row = rows[row_index]
        if all(value == 0 for j, value in enumerate(row) if j != col):
            found.add(order[col])
    return found


def _rref(rows: list[list[Fraction]], n_cols: int) -> list[tuple[int, int]]:
    """Reduce `rows` in place to reduced row echelon form; return (row, pivot column) pairs."""
    pivots: list[tuple[int, int]] = []
    r = 0
    for c in range(n_cols):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [value / lead for value in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append((r, c))
        r += 1
        if r == len(rows):
            break
    return pivots


def suppress_table(
    cells: Sequence[Sequence[float | None]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    equations: Sequence[Equation] = (),
    primary: Callable[[float | None], bool] = is_small_count,
) -> list[list[bool]]:
    """Which cells of a table to suppress: the primary ones (`primary(value)`, by default a
    count from 1 to 5) and enough others that none of them is recoverable from the totals.

    `cells` is a rectangle of numbers (None for a cell that is already missing, which counts
    as unknown). With `row_totals` the last column holds each row's total; with
    `column_totals` the last row holds each column's total. `equations` are further sums
    between cells that the output publishes (a subtotal of some rows, say).
    """
    n_rows = len(cells)
    n_cols = len(cells[0]) if n_rows else 0
    if any(len(row) != n_cols for row in cells):
        raise ValueError("every row of the table must have the same number of cells")
    values = {(r, c): cells[r][c] for r in range(n_rows) for c in range(n_cols)}
    hidden = suppress_linked(
        values,
        [
            *table_equations(n_rows, n_cols, row_totals=row_totals, column_totals=column_totals),
            *equations,
        ],
        primary=primary,
    )
    return [[(r, c) in hidden for c in range(n_cols)] for r in range(n_rows)]


def suppress_linked(
    values: Mapping[Any, float | None],
    equations: Sequence[Equation],
    *,
    primary: Callable[[float | None], bool] = is_small_count,
    hidden: frozenset[Any] = frozenset(),
    protect: frozenset[Any] = frozenset(),
) -> set[Any]:
    """Which of some named published figures to suppress: the primary ones (`primary`, by
    default a count from 1 to 5), those in `hidden` (already suppressed for another reason),
    and enough others that none of them is recoverable from `equations` (each
    `Equation(parts, total)`, with the figures' names for cells). A figure whose value is
    None is unknown already. Totals are hidden only when no part can be, and figures in
    `protect` (published elsewhere as they are) only when nothing else can be."""
    mask = {key for key, value in values.items() if primary(value)} | set(hidden)
    if not equations:
        return mask
    totals = {eq.total for eq in equations}
    for eq in equations:
        for key in (*eq.parts, eq.total):
            if key not in values:
                raise ValueError(f"an equation names {key!r}, which is not a figure")

    def preference(key: Any) -> tuple[bool, bool, bool, float, tuple[str, Any]]:
        # Interior cells before totals, non-zero before zero, smallest first.
        v = values[key] or 0
        return (key in protect, key in totals, v == 0, abs(v), _order(key))

    while True:
        unknown = mask | {key for key, value in values.items() if value is None}
        exposed = [
            key
            for key in recoverable(unknown, equations)
            if key in mask and values[key] not in (0, None)
        ]
        if not exposed:
            return mask
        # Hide one more cell that shares an equation with an exposed one: the smallest
        # non-zero inner cell of all of them, so as few people's figures as possible go.
        neighbours = {
            key
            for eq in equations
            if any(target in eq.parts or target == eq.total for target in exposed)
            for key in (*eq.parts, eq.total)
            if key not in unknown
        }
        if not neighbours:
            neighbours = {key for key in values if key not in unknown}
        if not neighbours:
            return mask
        mask.add(min(neighbours, key=preference))


def apply_mask(
    cells: Sequence[Sequence[object]], mask: Sequence[Sequence[bool]], symbol: str = SUPPRESSED
) -> list[list[object]]:
    """The table with `symbol` in place of each suppressed cell."""
    return [
        [symbol if hidden else value for value, hidden in zip(row, hidden_row, strict=True)]
        for row, hidden_row in zip(cells, mask, strict=True)
    ]
