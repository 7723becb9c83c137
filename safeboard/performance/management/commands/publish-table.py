"""`python -m safeboard publish-table IN.csv OUT.csv [--row-totals] [--column-totals]`:
disclosure control for any table an analyst wants to publish (core.disclosure)."""

from __future__ import annotations

import csv
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeboard.core.disclosure import SUPPRESSED, apply_mask, suppress_table, table_equations


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


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
        with path.open(newline="", encoding="utf-8-sig") as handle:
            records = [r for r in csv.reader(handle) if any(cell.strip() for cell in r)]
        if len(records) < 2 or len(records[0]) < 2:
            raise CommandError(
                "The table needs a row of column labels, a column of row labels and at least "
                "one cell"
            )
        width = len(records[0])
        for number, record in enumerate(records, start=1):
            if len(record) != width:
                raise CommandError(
                    f"row {number} has {len(record)} cells, the first row has {width}"
                )
        body = [record[1:] for record in records[1:]]
        cells = [[_number(text) for text in row] for row in body]
        for r, row in enumerate(body, start=2):
            for c, text in enumerate(row, start=2):
                value = cells[r - 2][c - 2]
                if value is not None and (value < 0 or not value.is_integer()):
                    raise CommandError(f"row {r}, column {c}: ‘{text}’ is not a count")
        self._check_totals(cells, options["row_totals"], options["column_totals"])
        mask = suppress_table(
            cells, row_totals=options["row_totals"], column_totals=options["column_totals"]
        )
        published = apply_mask(body, mask, SUPPRESSED)
        with options["output"].open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(records[0])
            for label, out in zip((r[0] for r in records[1:]), published, strict=True):
                writer.writerow([label, *out])
        hidden = sum(sum(row) for row in mask)
        primary = sum(1 for row in cells for v in row if v is not None and 1 <= v <= 5)
        self.stdout.write(
            f"Wrote {options['output']}: {hidden} cell{'s' if hidden != 1 else ''} suppressed "
            f"({primary} small count{'s' if primary != 1 else ''}, "
            f"{hidden - primary} more to protect them)"
        )

    def _check_totals(
        self, cells: list[list[float | None]], row_totals: bool, column_totals: bool
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
                    f"row {r + 2}, column {c + 2}: the total {total:g} is not the sum of its "
                    f"cells ({found:g})"
                )
        if problems:
            raise CommandError("The totals do not add up:\n" + "\n".join(problems))
