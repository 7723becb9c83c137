"""`python -m safeboard clocks digest`: the weekly email of running statutory clocks."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from safeboard.core.commands import SubcommandCommand, add_task_arguments, queue_or_run

from ...tasks import send_clock_digest


class Command(SubcommandCommand):
    help = "Statutory clocks: the weekly digest email."
    subcommands = {"digest": "handle_digest"}
    subcommand_help = {
        "digest": "email everyone who may see running clocks how many are overdue or due soon"
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        add_task_arguments(parser)

    def handle_digest(self, **options: Any) -> None:
        summary, queued = queue_or_run(send_clock_digest, options)
        if summary is None:
            self.stdout.write(f"Queued the clock digest (task {queued}).")
            return
        self.stdout.write(
            f"Sent {summary['emails']} digest emails in {summary['partnerships']} partnerships."
        )
