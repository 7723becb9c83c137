from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand
from safeboard.core.periods import PeriodError, parse_period
from safeboard.core.tables import TableProblem, read_table
from safeboard.partnership import services
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.partnership.models import Area


def _fy_start(text: str, where: str = "") -> int:
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise CommandError(f"{where}{exc}") from exc
    if period.kind != "fy":
        raise CommandError(f"{where}‘{text}’ is not a financial year: write it as 2016-17")
    return period.start.year


class Command(SubcommandCommand):
    help = "Set the child population (aged 0 to 17) of a partnership's areas."
    subcommands = {"set": "handle_set", "import": "handle_import"}
    subcommand_help = {
        "set": "set one year's population",
        "import": "import a CSV or XLSX file with columns la_number,year,children[,source]",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument("--partnership", required=True)
        if name == "set":
            parser.add_argument("--year", required=True, help="financial year, e.g. 2016-17")
            parser.add_argument("--children", required=True, type=int)
            parser.add_argument(
                "--la-number", type=int, help="the area (needed when the partnership has several)"
            )
            parser.add_argument("--source", default="")
        else:
            parser.add_argument("file", type=Path)
            parser.add_argument("--dry-run", action="store_true")

    def _area(self, la_number: int | None) -> Area:
        areas = list(Area.objects.all())
        if la_number is not None:
            areas = [a for a in areas if a.la_number == la_number]
        if not areas:
            raise CommandError("The partnership has no such area: add it first")
        if len(areas) > 1:
            raise CommandError("The partnership has several areas: give --la-number")
        return areas[0]

    def handle_set(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        with tenancy.partnership_scope(partnership):
            area = self._area(options["la_number"])
            year = _fy_start(options["year"])
            population = services.set_population(area, year, options["children"], options["source"])
        self.stdout.write(
            f"{area.name} {population.financial_year}: {population.children} children"
        )

    def handle_import(self, **options: Any) -> None:
        partnership = get_partnership(options["partnership"])
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with tenancy.partnership_scope(partnership):
            areas = {a.la_number: a for a in Area.objects.all()}
            table = read_table(path.read_bytes(), path.name)
            missing = {"la_number", "year", "children"} - set(table.header)
            if missing:
                raise CommandError(f"The file has no column {', '.join(sorted(missing))}")
            rows: list[tuple[Area, int, int, str]] = []
            problems: list[TableProblem] = []
            for row in table.rows:
                try:
                    area = areas[int(row.get("la_number"))]
                except (KeyError, ValueError):
                    problems.append(
                        TableProblem(
                            row.number,
                            "la_number",
                            f"la_number ‘{row.get('la_number')}’ is not an area of this "
                            "partnership",
                        )
                    )
                    continue
                try:
                    year = _fy_start(row.get("year"))
                except CommandError as exc:
                    problems.append(TableProblem(row.number, "year", str(exc)))
                    continue
                try:
                    children = int(row.get("children").replace(",", ""))
                    if children <= 0:
                        raise ValueError
                except ValueError:
                    problems.append(
                        TableProblem(
                            row.number,
                            "children",
                            f"children ‘{row.get('children')}’ is not a positive whole number",
                        )
                    )
                    continue
                rows.append((area, year, children, row.get("source")))
            if problems:
                raise CommandError("Nothing was imported:\n" + "\n".join(map(str, problems)))
            if options["dry_run"]:
                self.stdout.write(f"{len(rows)} rows are valid (dry run: nothing written)")
                return
            with transaction.atomic():
                for area, year, children, source in rows:
                    services.set_population(area, year, children, source)
        self.stdout.write(f"Imported {len(rows)} population figures")
