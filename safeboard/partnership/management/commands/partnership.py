from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand
from safeboard.partnership import services
from safeboard.partnership.models import Partnership


class Command(SubcommandCommand):
    help = "Create and list partnerships."
    subcommands = {"create": "handle_create", "list": "handle_list"}
    subcommand_help = {"create": "create a partnership", "list": "list partnerships"}

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "create":
            parser.add_argument("--slug", required=True, help="used in addresses, e.g. northdale")
            parser.add_argument("--name", required=True)
            parser.add_argument("--short-name", default="")
            parser.add_argument("--la-number", type=int, help="DfE LA number of its area, e.g. 909")
            parser.add_argument("--area-name", default="", help="name of that area")
            parser.add_argument("--region", default="", help="England region of that area")

    def handle_create(self, **options: Any) -> None:
        partnership = services.create_partnership(
            slug=options["slug"],
            name=options["name"],
            short_name=options["short_name"],
            la_number=options["la_number"],
            area_name=options["area_name"],
            region=options["region"],
        )
        self.stdout.write(f"Created partnership {partnership.slug}: {partnership.name}")

    def handle_list(self, **options: Any) -> None:
        with tenancy.unscoped():
            for partnership in Partnership.objects.all():
                self.stdout.write(f"{partnership.slug}\t{partnership.name}")


def get_partnership(slug: str) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise CommandError(f"There is no partnership with the slug ‘{slug}’")
    return partnership
