from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand
from safeboard.core.tables import read_table
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.performance import services
from safeboard.performance.models import CollectionRound, RoundStatus
from safeboard.performance.services import ValidationFailed


class Command(SubcommandCommand):
    help = "A partnership's dataset: import indicators and values, chase returns."
    subcommands = {
        "import-indicators": "handle_indicators",
        "import-values": "handle_values",
        "remind": "handle_remind",
    }
    subcommand_help = {
        "import-indicators": "add or update indicators from a CSV or XLSX file",
        "import-values": "import figures from a CSV or XLSX file",
        "remind": "email reminders for the open rounds' returns not yet signed off",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument("--partnership", required=True)
        if name in ("import-indicators", "import-values"):
            parser.add_argument("file", type=Path)
            parser.add_argument(
                "--dry-run", action="store_true", help="check and report; write nothing"
            )

    def _import(self, kind: str, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with tenancy.partnership_scope(partnership), path.open("rb") as handle:
            table = read_table(handle, path.name)
            run = services.import_indicators if kind == "indicators" else services.import_values
            try:
                result = run(
                    partnership,
                    table.header,
                    table.rows,
                    source=path.name,
                    dry_run=options["dry_run"],
                )
            except ValidationFailed as exc:
                raise CommandError(
                    f"Nothing was imported: {len(exc.problems)} problem"
                    f"{'s' if len(exc.problems) != 1 else ''}\n"
                    + "\n".join(str(p) for p in exc.problems)
                ) from exc
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{kind.capitalize()} from {path.name}: {result.summary()}")

    def handle_indicators(self, **options: Any) -> None:
        self._import("indicators", **options)

    def handle_values(self, **options: Any) -> None:
        self._import("values", **options)

    def handle_remind(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        with tenancy.partnership_scope(partnership):
            rounds = list(CollectionRound.objects.filter(status=RoundStatus.OPEN))
            if not rounds:
                self.stdout.write("No round is open.")
                return
            for collection in rounds:
                try:
                    count, unreachable = services.request_reminders(collection)
                except services.ServiceError as exc:
                    self.stdout.write(f"{collection.period}: {exc}")
                else:
                    self.stdout.write(
                        f"{collection.period}: reminders queued for {count} "
                        f"agenc{'y' if count == 1 else 'ies'}"
                    )
                    if unreachable:
                        self.stdout.write(
                            f"{collection.period}: nobody with an email address acts for "
                            + ", ".join(unreachable)
                        )
