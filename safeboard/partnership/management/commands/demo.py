from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from safeboard.core import demo
from safeboard.core.commands import SubcommandCommand

from ...models import Partnership


class Command(SubcommandCommand):
    help = "Load the fictional demo partnership (Northdale) and its demo sign-ins."
    subcommands = {"load": "handle_load"}
    subcommand_help = {"load": "load the demo partnership"}

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password", default=demo.DEMO_PASSWORD, help="password of every demo sign-in"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the demo partnership already exists",
        )

    def handle_load(self, **options: Any) -> None:
        if Partnership.objects.filter(slug="northdale").exists():
            if options["if_empty"]:
                self.stdout.write("The demo partnership is already loaded.")
                self._print_sign_ins(options["password"])
                return
            raise CommandError("The demo partnership is already loaded (use a fresh database)")
        with transaction.atomic():
            demo.load(password=options["password"])
        self.stdout.write(self.style.SUCCESS("Loaded the demo partnership: Northdale."))
        self._print_sign_ins(options["password"])

    def _print_sign_ins(self, password: str) -> None:
        self.stdout.write(f"Demo sign-ins (password for all: {password}):")
        for username, what in demo.sign_ins():
            self.stdout.write(f"  {username:<11} {what}")
