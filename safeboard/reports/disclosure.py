"""The public edition's disclosure control, applied to a built document with the shared rules
of `safeboard.core.disclosure` (the same rules every public export uses)."""

from __future__ import annotations

import re

from safeboard.core import disclosure
from safeboard.reporting.document import Cell, Document, Figure, Table

# A report figure's unit, in the vocabulary of the disclosure rules.
UNITS = {"count": "count", "percent": "percent", "rate": "rate_per_10000"}


def suppress_figure(figure: Figure) -> None:
    unit = UNITS.get(figure.unit)
    if unit is None or not figure.people or not isinstance(figure.value, int | float):
        return
    if disclosure.must_suppress(
        float(figure.value), unit=unit, numerator=figure.basis, denominator=figure.of
    ):
        figure.text = disclosure.SUPPRESSED
        figure.suppressed = True


def apply(doc: Document) -> Document:
    """Suppress small counts (and rates resting on them) everywhere in `doc`, and enough
    further cells of each table with totals that no suppressed cell can be worked out."""
    for figure in doc.figures.values():
        suppress_figure(figure)
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Table):
                _table(block, doc)
    return doc


def _table(table: Table, doc: Document) -> None:
    for row in table.rows:
        for cell in row:
            if cell.figure and doc.figures.get(cell.figure, None) is not None:
                figure = doc.figures[cell.figure]
                if figure.suppressed:
                    cell.text = disclosure.SUPPRESSED
    if not table.counts:
        return
    percentage_columns = _percentage_columns(table)
    numeric_columns = (
        [i for i, cell in enumerate(table.rows[0]) if cell.numeric and i not in percentage_columns]
        if table.rows
        else []
    )
    if not numeric_columns:
        return
    values = [[_value(row[i]) for i in numeric_columns] for row in table.rows]
    mask = disclosure.suppress_table(
        values, row_totals=table.total_column, column_totals=table.total_row
    )
    for r, row in enumerate(table.rows):
        for position, column in enumerate(numeric_columns):
            if mask[r][position]:
                row[column] = Cell(disclosure.SUPPRESSED, row[column].figure, True, None)
    # A column of percentages of the table's counts gives a suppressed count back (12% of a
    # published total) and, with a published count, the total (20 is 95%: the total is 21):
    # when any count is suppressed, the percentage columns go too.
    hidden = any(
        row[column].text == disclosure.SUPPRESSED
        for row in table.rows
        for column in numeric_columns
    )
    if hidden:
        for row in table.rows:
            for column in percentage_columns:
                if column < len(row) and row[column].text.strip():
                    row[column] = Cell(disclosure.SUPPRESSED, row[column].figure, True, None)


# A column headed as percentages of the counts beside it.
PERCENTAGE_HEADING = re.compile(r"%|\bper ?cent|\bpercentage|\bshare\b|\bproportion", re.I)


def _percentage_columns(table: Table) -> set[int]:
    return {i for i, heading in enumerate(table.columns) if PERCENTAGE_HEADING.search(heading)}


def _value(cell: Cell) -> float | None:
    if cell.text == disclosure.SUPPRESSED:
        return None
    return cell.value
