"""`python -m safeboard private-fostering …`: import arrangements and their visits, and write
the year's figures."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from safeboard.core import tenancy
from safeboard.core.commands import (
    SubcommandCommand,
    financial_year_option,
    read_input,
    report_import,
    write_tables,
)
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.private_fostering import selectors, services


class Command(SubcommandCommand):
    help = "Private fostering: import arrangements and visits; the year's figures."
    subcommands = {"import": "handle_import", "tables": "handle_tables"}
    subcommand_help = {
        "import": "import arrangements from a CSV or XLSX file (columns "
        + ",".join(services.COLUMNS)
        + ")",
        "tables": "write the year's figures as CSV files",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument("--partnership", required=True, help="its slug, e.g. northdale")
        if name == "import":
            parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
            parser.add_argument(
                "--dry-run", action="store_true", help="check the file and write nothing"
            )
        if name == "tables":
            parser.add_argument("--year", required=True, help="a financial year, e.g. 2016-17")
            parser.add_argument("--out", required=True, type=Path, help="the folder to write to")
            parser.add_argument("--date", help="figures as at this day (default today)")
            parser.add_argument(
                "--public", action="store_true", help="apply disclosure control (counts 1-5 as c)"
            )

    def handle_import(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        path: Path = options["file"]
        data = read_input(path)
        with tenancy.partnership_scope(partnership):
            report_import(
                self,
                lambda: services.import_arrangements(
                    partnership, data, path.name, dry_run=options["dry_run"]
                ),
            )

    def handle_tables(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        year = financial_year_option(options["year"])
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else date.today()
        except ValueError as exc:
            raise CommandError(f"‘{options['date']}’ is not a date: write YYYY-MM-DD") from exc
        with tenancy.partnership_scope(partnership):
            found = selectors.files(year, today, options["public"])
        write_tables(options["out"], found)
        self.stdout.write(f"Wrote {len(found)} tables for {year.label} to {options['out']}")
