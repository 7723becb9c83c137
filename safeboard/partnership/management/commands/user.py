from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from safeboard.accounts import services as accounts
from safeboard.accounts.models import User
from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand
from safeboard.partnership import services
from safeboard.partnership.models import Agency, Person, Role

from .partnership import get_partnership


class Command(SubcommandCommand):
    help = "Create user accounts and give them a place in a partnership."
    subcommands = {
        "create": "handle_create",
        "add-role": "handle_add_role",
        "reset-two-factor": "handle_reset_two_factor",
    }
    subcommand_help = {
        "create": "create a user",
        "add-role": "give a user a role in a partnership",
        "reset-two-factor": "remove a user's authenticator apps (they set up a new one)",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument("--username", required=True)
        if name == "reset-two-factor":
            return
        if name == "create":
            parser.add_argument("--email", default="")
            parser.add_argument("--name", default="", help="full name")
            parser.add_argument(
                "--password-stdin",
                action="store_true",
                help="read the password from standard input (else it is asked)",
            )
            parser.add_argument("--superuser", action="store_true")
        parser.add_argument("--partnership", help="slug of the partnership to join")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            choices=Role.values,
            help="a role in that partnership (repeatable)",
        )
        parser.add_argument("--agency", help="short name of the agency, for agency roles")

    def handle_create(self, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"The user ‘{options['username']}’ already exists")
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password again: ") != password:
                raise CommandError("The passwords do not match")
        first, _, last = options["name"].partition(" ")
        user = User(
            username=options["username"],
            email=options["email"],
            first_name=first,
            last_name=last,
            is_staff=options["superuser"],
            is_superuser=options["superuser"],
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
            if options["partnership"]:
                self._join(user, options)
        self.stdout.write(f"Created user {user.username}")

    def handle_add_role(self, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user ‘{options['username']}’")
        if not options["partnership"]:
            raise CommandError("Give --partnership")
        with transaction.atomic():
            self._join(user, options)
        self.stdout.write(f"Updated roles of {user.username}")

    def handle_reset_two_factor(self, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user ‘{options['username']}’")
        removed = accounts.reset_two_factor(user)
        self.stdout.write(
            f"Removed {removed} authenticator app{'s' if removed != 1 else ''} of "
            f"{user.username}: they set up a new one at their next sign-in"
        )

    def _join(self, user: User, options: dict[str, Any]) -> None:
        partnership = get_partnership(options["partnership"])
        with tenancy.partnership_scope(partnership):
            agency = None
            if options["agency"]:
                agency = Agency.objects.filter(short_name__iexact=options["agency"]).first()
                if agency is None:
                    raise CommandError(
                        f"There is no agency ‘{options['agency']}’ in {partnership.slug}"
                    )
            person = Person.objects.filter(user=user).first()
            if person is None:
                person = services.save(
                    Person(
                        name=user.get_full_name() or user.username,
                        email=user.email,
                        user=user,
                        agency=agency,
                    ),
                    partnership,
                )
            for role in options["role"]:
                services.assign_role(person, role, agency)
