from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from safeboard.core.commands import SubcommandCommand
from safeboard.performance.lait import import_lait, import_neighbours
from safeboard.performance.models import ComparatorImport, Measure


class Command(SubcommandCommand):
    help = "National comparators (DfE LAIT data), shared by every partnership of the installation."
    subcommands = {
        "import-lait": "handle_import",
        "import-neighbours": "handle_neighbours",
        "status": "handle_status",
    }
    subcommand_help = {
        "import-lait": "import LAIT long-format data (bds_long, CSV, gzipped or not)",
        "import-neighbours": "import a DfE statistical neighbour workbook",
        "status": "say what national data is loaded",
    }

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        if name == "import-lait":
            parser.add_argument("file", type=Path, help="bds_long.csv or bds_long.csv.gz")
            parser.add_argument(
                "--dictionary",
                type=Path,
                help="the LAIT data dictionary (CSV): each measure's year type, polarity, unit",
            )
            parser.add_argument(
                "--sn", type=Path, help="statistical neighbours workbook (e.g. sn_may_2025.xlsx)"
            )
            parser.add_argument(
                "--measures",
                default="",
                help="import only these measure codes (comma-separated)",
            )
        elif name == "import-neighbours":
            parser.add_argument("file", type=Path)

    def handle_import(self, **options: Any) -> None:
        wanted = {m.strip() for m in options["measures"].split(",") if m.strip()} or None
        report = import_lait(
            options["file"],
            dictionary=options["dictionary"],
            neighbours=options["sn"],
            measures=wanted,
            progress=lambda message: (
                self.stdout.write(message) if options["verbosity"] > 1 else None
            ),
        )
        for line in report.lines():
            self.stdout.write(line)
        if options["dictionary"] is None:
            self.stdout.write(
                "No --dictionary: bare years were read as financial years ending in that year. "
                "Give the data dictionary to read each measure by its year type."
            )

    def handle_neighbours(self, **options: Any) -> None:
        links = import_neighbours(options["file"])
        self.stdout.write(f"Statistical neighbours: {links:,} links")

    def handle_status(self, **options: Any) -> None:
        latest = ComparatorImport.objects.first()
        if latest is None:
            self.stdout.write("No national data has been imported.")
            return
        self.stdout.write(
            f"{Measure.objects.count()} measures; last import {latest.imported_at:%Y-%m-%d %H:%M} "
            f"from {latest.source}: {latest.values} figures, {latest.areas} areas"
        )
