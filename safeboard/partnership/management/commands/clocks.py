"""`python -m safeboard clocks digest`: the weekly email of running statutory clocks."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import CommandError

from safeboard.core.commands import SubcommandCommand

from ...tasks import send_clock_digest


class Command(SubcommandCommand):
    help = "Statutory clocks: the weekly digest email."
    subcommands = {"digest": "handle_digest"}
    subcommand_help = {
        "digest": "email everyone who may see running clocks how many are overdue or due soon"
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="send now, in this process (default: queue the task for the worker)",
        )
        parser.add_argument("--date", help="the day to report as of (YYYY-MM-DD)")

    def handle_digest(self, **options: Any) -> None:
        day = options["date"]
        if day:
            try:
                date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"‘{day}’ is not a date: write YYYY-MM-DD") from exc
        if options["now"]:
            summary = send_clock_digest.call(day)
            self.stdout.write(
                f"Sent {summary['emails']} digest emails in {summary['partnerships']} partnerships."
            )
            return
        result = send_clock_digest.enqueue(day)
        self.stdout.write(f"Queued the clock digest (task {result.id}).")
