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
    # published total): a row's percentage goes with its count. Without a published total, a
    # published count and its percentage give the total (20 is 95%: it is 21), and the total
    # less the published counts the suppressed ones: then every percentage goes.
    hidden_rows = [
        any(row[column].text == disclosure.SUPPRESSED for column in numeric_columns)
        for row in table.rows
    ]
    if not any(hidden_rows):
        return
    total_published = table.total_row and not hidden_rows[-1]
    for row, hidden in zip(table.rows, hidden_rows, strict=True):
        if hidden or not total_published:
            for column in percentage_columns:
                if column < len(row) and row[column].text.strip():
                    row[column] = Cell(disclosure.SUPPRESSED, row[column].figure, True, None)


# A column headed as percentages of the counts beside it; not a comparator's (England's,
# a region's, the statistical neighbours': published figures of other places).
PERCENTAGE_HEADING = re.compile(r"%|\bper ?cent|\bpercentage|\bshare\b|\bproportion", re.I)
COMPARATOR_HEADING = re.compile(r"\b(england|national|region(al)?|neighbours?)\b", re.I)


def _percentage_columns(table: Table) -> set[int]:
    return {
        i
        for i, heading in enumerate(table.columns)
        if PERCENTAGE_HEADING.search(heading) and not COMPARATOR_HEADING.search(heading)
    }


def _value(cell: Cell) -> float | None:
    if cell.text == disclosure.SUPPRESSED:
        return None
    return cell.value
