"""`python -m safeboard reviews …`: import case records, list every clock of every review, and
tell the case review officers of overdue milestones (run daily)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand
from safeboard.core.tables import write_csv
from safeboard.learning import importer, selectors, services
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.partnership.models import Partnership

CLOCK_KEYS = ["review", "clock", "starts", "due", "done", "state", "working_days_left"]


class Command(SubcommandCommand):
    help = (
        "Case reviews: import case records; list every clock of every review; tell the "
        "officers of overdue milestones."
    )
    subcommands = {"import": "handle_import", "clocks": "handle_clocks", "remind": "handle_remind"}
    subcommand_help = {
        "import": "import case records from a CSV or XLSX file (columns "
        + ",".join(importer.REQUIRED)
        + " required; see docs/case-reviews.md)",
        "clocks": "every statutory clock of every review, as JSON or CSV",
        "remind": "tell the case review officers, once each, of milestones now overdue "
        "(every partnership, or --partnership)",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--partnership", required=name != "remind", help="its slug, e.g. northdale"
        )
        if name == "import":
            parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
            parser.add_argument(
                "--dry-run", action="store_true", help="check the file and write nothing"
            )
        if name == "clocks":
            parser.add_argument("--format", choices=["json", "csv"], default="json")
        if name in ("clocks", "remind"):
            parser.add_argument("--date", help="the day to work the states out as of (YYYY-MM-DD)")

    def handle_import(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with tenancy.partnership_scope(partnership):
            report = importer.import_reviews(
                partnership, path.read_bytes(), path.name, dry_run=options["dry_run"]
            )
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            count = len(report.problems)
            raise CommandError(f"{count} problem{'s' if count != 1 else ''}: nothing was imported")

    def handle_clocks(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        today = _day(options)
        with tenancy.partnership_scope(partnership):
            lines = [line.as_dict() for line in selectors.clock_lines(today)]
        if options["format"] == "json":
            self.stdout.write(json.dumps(lines, indent=2))
            return
        data = write_csv(CLOCK_KEYS, ([row[k] for k in CLOCK_KEYS] for row in lines))
        sys.stdout.flush()
        self.stdout.write(data.decode("utf-8-sig"), ending="")

    def handle_remind(self, **options: Any) -> None:
        today = _day(options)
        if options.get("partnership"):
            partnerships = [get_partnership(options["partnership"])]
        else:
            with tenancy.unscoped():
                partnerships = list(Partnership.objects.all())
        told = 0
        for partnership in partnerships:
            with tenancy.partnership_scope(partnership):
                told += services.remind(today)
        self.stdout.write(f"{told} notification{'s' if told != 1 else ''} sent.")


def _day(options: dict[str, Any]) -> date:
    if not options.get("date"):
        return timezone.localdate()
    try:
        return date.fromisoformat(options["date"])
    except ValueError as exc:
        raise CommandError(f"‘{options['date']}’ is not a date: write YYYY-MM-DD") from exc
