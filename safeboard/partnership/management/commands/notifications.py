"""`python -m safeboard notifications digest`: the daily run of notifications."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from safeboard.core.commands import SubcommandCommand, add_task_arguments, queue_or_run

from ...tasks import send_notification_digest


class Command(SubcommandCommand):
    help = "Notifications: the daily run (clocks due soon, and the digest emails)."
    subcommands = {"digest": "handle_digest"}
    subcommand_help = {
        "digest": "notify the clocks now due soon, and email each person who chose the daily "
        "digest their notifications of the day"
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        add_task_arguments(parser)

    def handle_digest(self, **options: Any) -> None:
        summary, queued = queue_or_run(send_notification_digest, options)
        if summary is None:
            self.stdout.write(f"Queued the notifications digest (task {queued}).")
            return
        self.stdout.write(
            f"Notified {summary['clocks']} clocks due soon; sent {summary['emails']} digest "
            f"emails in {summary['partnerships']} partnerships."
        )
