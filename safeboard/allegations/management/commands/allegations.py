"""`python -m safeboard allegations …`: the partnership's lists of terms, importing contacts,
and the year's four tables."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from safeboard.allegations import selectors, services
from safeboard.core import tenancy
from safeboard.core.commands import (
    SubcommandCommand,
    financial_year_option,
    read_input,
    report_import,
    write_tables,
)
from safeboard.core.tables import TableError
from safeboard.partnership.management.commands.partnership import get_partnership


class Command(SubcommandCommand):
    help = "Allegations (LADO): lists of terms, import of contacts, the year's tables."
    subcommands = {"terms": "handle_terms", "import": "handle_import", "tables": "handle_tables"}
    subcommand_help = {
        "terms": "the partnership's lists: `terms import FILE` (columns list,term)",
        "import": "import contacts from a CSV or XLSX file (columns "
        + ",".join(services.COLUMNS)
        + ")",
        "tables": "write the year's four tables as CSV files",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "terms":
            sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
            child = sub.add_parser("import", help="add terms from a file (columns list,term)")
            child.add_argument("--partnership", required=True, help="its slug, e.g. northdale")
            child.add_argument("file", type=Path, help="a .csv or .xlsx file")
            return
        parser.add_argument("--partnership", required=True, help="its slug, e.g. northdale")
        if name == "import":
            parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
            parser.add_argument(
                "--dry-run", action="store_true", help="check the file and write nothing"
            )
        if name == "tables":
            parser.add_argument("--year", required=True, help="a financial year, e.g. 2016-17")
            parser.add_argument("--out", required=True, type=Path, help="the folder to write to")
            parser.add_argument(
                "--public",
                action="store_true",
                help="apply disclosure control (small counts as c, secondary suppression)",
            )

    def handle_terms(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        data = read_input(options["file"])
        with tenancy.partnership_scope(partnership):
            try:
                added, kept = services.import_terms(partnership, data, options["file"].name)
            except TableError as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"{len(exc.problems)} problem(s): nothing was added") from exc
        self.stdout.write(f"Added {added} terms; {kept} were already there.")

    def handle_import(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        data = read_input(options["file"])
        with tenancy.partnership_scope(partnership):
            report_import(
                self,
                lambda: services.import_allegations(
                    partnership, data, options["file"].name, dry_run=options["dry_run"]
                ),
            )

    def handle_tables(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        year = financial_year_option(options["year"])
        with tenancy.partnership_scope(partnership):
            found = selectors.year_tables(year)
        write_tables(options["out"], found.files(options["public"]))
        self.stdout.write(
            f"Wrote {len(selectors.FILES)} tables of {found.allegations} allegations received in "
            f"{year.label} to {options['out']}"
            + (" (disclosure control applied)" if options["public"] else "")
        )
