"""`python -m safeboard child-deaths …`: the annual tables, importing history and England's
percentages, and chasing agencies' reporting forms."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q

from safeboard.child_deaths import importer, selectors
from safeboard.child_deaths.tasks import send_form_reminders
from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand, add_task_arguments, queue_or_run
from safeboard.core.tables import write_csv
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.partnership.models import Group, GroupKind


class Command(SubcommandCommand):
    help = "Child death reviews: annual tables, imports, and reminders to agencies."
    subcommands = {
        "tables": "handle_tables",
        "import": "handle_import",
        "national": "handle_national",
        "remind": "handle_remind",
    }
    subcommand_help = {
        "tables": "write the year's tables (sex, age, category, modifiable, time to review)",
        "import": "import the history of deaths and reviews from a CSV or XLSX file",
        "national": "national import FILE: load England's percentages (year,table,row,percent)",
        "remind": "tell agencies about reporting forms due within 5 working days or late",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name in {"tables", "import"}:
            parser.add_argument("--partnership", required=True, help="its slug, e.g. northdale")
        if name == "tables":
            parser.add_argument("--year", required=True, help="a financial year, e.g. 2015-16")
            parser.add_argument("--out", required=True, type=Path, help="the folder to write to")
            parser.add_argument(
                "--public",
                action="store_true",
                help="apply disclosure control (counts from 1 to 5 and what reveals them: c)",
            )
            parser.add_argument(
                "--panel",
                action="store_true",
                help="count every death reviewed by the partnership's panels, whoever's "
                "residents (default: the partnership's own residents)",
            )
        if name == "import":
            parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
            parser.add_argument("--dry-run", action="store_true", help="check only")
            parser.add_argument("--panel", help="the reviewing panel's name or short name")
        if name == "national":
            parser.add_argument("action", choices=["import"])
            parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
            parser.add_argument("--source", default="", help="where the figures come from")
        if name == "remind":
            add_task_arguments(parser)

    def handle_tables(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        try:
            year = selectors.year_period(options["year"]).label
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        with tenancy.partnership_scope(partnership):
            tables = selectors.tables_for(year, partnership=partnership, panel=options["panel"])
        for key, table in tables.items():
            path = out / f"{key}.csv"
            path.write_bytes(
                write_csv(
                    [table.heading, "Number", "Percent"], table.csv_rows(public=options["public"])
                )
            )
        total = next(iter(tables.values())).total
        edition = "public (disclosure control applied)" if options["public"] else "internal"
        self.stdout.write(
            f"Wrote {len(tables)} tables of the {total} reviews completed in {year} to {out} "
            f"({edition})."
        )

    def handle_import(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with tenancy.partnership_scope(partnership):
            panel = None
            if options["panel"]:
                name = options["panel"]
                panel = (
                    Group.objects.filter(kind=GroupKind.PANEL)
                    .filter(Q(name=name) | Q(short_name=name))
                    .first()
                )
                if panel is None:
                    raise CommandError(f"{partnership} has no panel called ‘{name}’")
            report = importer.import_deaths(
                partnership, path.read_bytes(), path.name, panel=panel, dry_run=options["dry_run"]
            )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            count = len(report.problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''}: nothing was imported")

    def handle_national(self, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        count = importer.import_national(path.read_bytes(), path.name, source=options["source"])
        self.stdout.write(f"Loaded {count} of England's percentages.")

    def handle_remind(self, **options: Any) -> None:
        summary, queued = queue_or_run(send_form_reminders, options)
        if summary is None:
            self.stdout.write(f"Queued the reminders to agencies (task {queued}).")
            return
        self.stdout.write(
            f"Told {summary['notified']} people about {summary['forms']} reporting forms."
        )
