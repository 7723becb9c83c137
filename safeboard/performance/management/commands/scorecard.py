from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeboard.core import tenancy
from safeboard.core.periods import PeriodError, parse_period
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.performance import exports, selectors
from safeboard.performance.models import Theme


class Command(BaseCommand):
    help = (
        "Print a partnership's scorecard for a reporting period as JSON (a list of objects) or "
        "CSV; --public applies disclosure control."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--period", required=True, help="e.g. 2026-27 Q2")
        parser.add_argument("--theme", default="", help="a theme's name or slug")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--public", action="store_true", help="the public edition: small numbers as c"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        with tenancy.partnership_scope(partnership):
            theme = None
            if options["theme"]:
                wanted = options["theme"].strip().lower()
                theme = next(
                    (t for t in Theme.objects.all() if wanted in (t.slug, t.name.lower())), None
                )
                if theme is None:
                    names = ", ".join(t.name for t in Theme.objects.all()) or "none"
                    raise CommandError(f"No theme ‘{options['theme']}’: the themes are {names}")
            card = selectors.scorecard(partnership, period, theme, public=options["public"])
            if options["format"] == "csv":
                self.stdout.write(exports.scorecard_csv(card).decode("utf-8-sig"), ending="")
            else:
                self.stdout.write(json.dumps(card.as_list(), indent=2, ensure_ascii=False))
