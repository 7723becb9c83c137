"""A base for management commands with subcommands: `python -m safeboard partnership create`."""

from __future__ import annotations

from argparse import ArgumentParser
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
