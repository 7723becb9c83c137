"""`python -m safeboard publish-table IN.csv OUT.csv [--row-totals] [--column-totals]`:
disclosure control for any table an analyst wants to publish (core.disclosure). The table is
read and written by core.tables: CSV or XLSX, and no label runs as a formula."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeboard.core.disclosure import SUPPRESSED, apply_mask, suppress_table, table_equations
from safeboard.core.errors import ServiceError
from safeboard.core.tables import read_table, write_table


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def _cell(cell: object, fmt: str) -> object:
    """A published cell: in a workbook a count is a number; otherwise the text as given."""
    value = _number(str(cell)) if fmt == "xlsx" else None
    return int(value) if value is not None else cell


class Command(BaseCommand):
    help = (
        "Suppress small counts in a table for publication: counts from 1 to 5 become c, and "
        "further cells are suppressed so no suppressed cell can be worked out from the totals. "
        "The first column holds row labels and the first row column labels."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("output", type=Path)
        parser.add_argument(
            "--row-totals", action="store_true", help="the last column is each row's total"
        )
        parser.add_argument(
            "--column-totals", action="store_true", help="the last row is each column's total"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["input"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            table = read_table(path.read_bytes(), path.name)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        if not table.rows or len(table.labels) < 2:
            raise CommandError(
                "The table needs a row of column labels, a column of row labels and at least "
                "one cell"
            )
        numbers = [row.number for row in table.rows]
        body = [list(row.cells[1:]) for row in table.rows]
        cells = [[_number(text) for text in row] for row in body]
        for r, row in enumerate(body):
            for c, text in enumerate(row, start=2):
                value = cells[r][c - 2]
                if value is not None and (value < 0 or not value.is_integer()):
                    raise CommandError(f"row {numbers[r]}, column {c}: ‘{text}’ is not a count")
        self._check_totals(cells, numbers, options["row_totals"], options["column_totals"])
        mask = suppress_table(
            cells, row_totals=options["row_totals"], column_totals=options["column_totals"]
        )
        published = apply_mask(body, mask, SUPPRESSED)
        output: Path = options["output"]
        fmt = "xlsx" if output.suffix.lower() == ".xlsx" else "csv"
        rows = [
            [row.cells[0], *(_cell(text, fmt) for text in out)]
            for row, out in zip(table.rows, published, strict=True)
        ]
        output.write_bytes(write_table(table.labels, rows, fmt))
        hidden = sum(sum(row) for row in mask)
        primary = sum(1 for row in cells for v in row if v is not None and 1 <= v <= 5)
        self.stdout.write(
            f"Wrote {options['output']}: {hidden} cell{'s' if hidden != 1 else ''} suppressed "
            f"({primary} small count{'s' if primary != 1 else ''}, "
            f"{hidden - primary} more to protect them)"
        )

    def _check_totals(
        self,
        cells: list[list[float | None]],
        numbers: list[int],
        row_totals: bool,
        column_totals: bool,
    ) -> None:
        equations = table_equations(
            len(cells), len(cells[0]), row_totals=row_totals, column_totals=column_totals
        )
        problems = []
        for eq in equations:
            parts = [cells[r][c] for r, c in eq.parts]
            total = cells[eq.total[0]][eq.total[1]]
            if total is None or any(p is None for p in parts):
                continue
            found = sum(p for p in parts if p is not None)
            if found != total:
                r, c = eq.total
                problems.append(
                    f"row {numbers[r]}, column {c + 2}: the total {total:g} is not the sum of "
                    f"its cells ({found:g})"
                )
        if problems:
            raise CommandError("The totals do not add up:\n" + "\n".join(problems))
