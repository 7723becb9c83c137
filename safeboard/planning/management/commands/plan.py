"""`python -m safeboard plan …`: import and export business plans, list them, and send the
weekly action reminders."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand, add_task_arguments, queue_or_run
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.planning import importer, services
from safeboard.planning.models import Plan
from safeboard.planning.tasks import send_action_reminders


class Command(SubcommandCommand):
    help = "Business plans: import, export, list; and the weekly action reminders."
    subcommands = {
        "import": "handle_import",
        "export": "handle_export",
        "list": "handle_list",
        "remind": "handle_remind",
    }
    subcommand_help = {
        "import": "import a plan from a CSV or XLSX file (columns "
        + ",".join(importer.COLUMNS)
        + ")",
        "export": "write a plan in the import format",
        "list": "list a partnership's plans",
        "remind": "email owners about actions due within 14 days and overdue",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name in {"import", "export", "list"}:
            parser.add_argument("--partnership", required=True, help="its slug, e.g. northdale")
        if name in {"import", "export"}:
            parser.add_argument("--plan", required=True, help="its years, e.g. 2016-19")
        if name == "import":
            parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
            parser.add_argument(
                "--dry-run", action="store_true", help="check the file and write nothing"
            )
        if name == "export":
            parser.add_argument(
                "--output", "-o", type=Path, help="the file to write (default: CSV on stdout)"
            )
            parser.add_argument("--format", choices=["csv", "xlsx"], help="default: from --output")
        if name == "remind":
            add_task_arguments(parser)

    def handle_import(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        services.plan_years(options["plan"])  # a wrong label is reported before anything else
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with tenancy.partnership_scope(partnership), transaction.atomic():
            plan, created = services.find_or_create_plan(partnership, options["plan"])
            report = importer.import_plan(
                plan, path.read_bytes(), path.name, dry_run=options["dry_run"]
            )
            if not report.written:
                # Nothing imported: a plan created for the import goes too.
                transaction.set_rollback(True)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            count = len(report.problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''}: nothing was imported")
        if created and report.written:
            self.stdout.write(f"Created {plan}.")

    def handle_export(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        output: Path | None = options["output"]
        fmt = options["format"] or (
            "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "csv"
        )
        if fmt == "xlsx" and output is None:
            raise CommandError("Give --output FILE.xlsx to write a workbook")
        with tenancy.partnership_scope(partnership):
            first, last = services.plan_years(options["plan"])
            plan = Plan.objects.filter(first_year=first, last_year=last).first()
            if plan is None:
                raise CommandError(f"{partnership} has no business plan {options['plan']}")
            data = importer.export_table(plan, fmt)
        if output is None:
            sys.stdout.flush()
            self.stdout.write(data.decode("utf-8-sig"), ending="")
        else:
            output.write_bytes(data)
            self.stdout.write(f"Wrote {plan} to {output}")

    def handle_list(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        with tenancy.partnership_scope(partnership):
            for plan in Plan.objects.all():
                count = plan.actions.count()
                self.stdout.write(
                    f"{plan.label}\t{plan.get_status_display()}\t{count} actions\t{plan.title}"
                )

    def handle_remind(self, **options: Any) -> None:
        summary, queued = queue_or_run(send_action_reminders, options)
        if summary is None:
            self.stdout.write(f"Queued the action reminders (task {queued}).")
            return
        self.stdout.write(
            f"Sent {summary['emails']} reminder emails about {summary['actions']} actions "
            f"in {summary['partnerships']} partnerships."
        )
