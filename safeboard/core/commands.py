"""A base for management commands with subcommands: `python -m safeboard partnership create`."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from .errors import ServiceError


class SubcommandCommand(BaseCommand):
    """Subclasses define `subcommands = {"create": "handle_create", ...}` and
    `add_subcommand_arguments(name, parser)`."""

    subcommands: dict[str, str] = {}
    subcommand_help: dict[str, str] = {}

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name in self.subcommands:
            child = sub.add_parser(name, help=self.subcommand_help.get(name, ""))
            self.add_subcommand_arguments(name, child)

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        pass

    def handle(self, *args: Any, **options: Any) -> None:
        method = getattr(self, self.subcommands[options["subcommand"]])
        try:
            method(**options)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc


def add_task_arguments(parser: ArgumentParser) -> None:
    """`--now` and `--date` for a subcommand that queues a dated background task."""
    parser.add_argument(
        "--now",
        action="store_true",
        help="run now, in this process (default: queue the task for the worker)",
    )
    parser.add_argument("--date", help="the day to run as of (YYYY-MM-DD)")


def queue_or_run(task: Any, options: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """Run a dated task now (`--now`: its summary) or queue it for the worker (its id)."""
    day = options.get("date")
    if day:
        try:
            date.fromisoformat(day)
        except ValueError as exc:
            raise CommandError(f"‘{day}’ is not a date: write YYYY-MM-DD") from exc
    if options.get("now"):
        return task.call(day), ""
    return None, str(task.enqueue(day).id)
