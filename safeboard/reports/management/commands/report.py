from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from safeboard.core import tenancy
from safeboard.core.commands import SubcommandCommand
from safeboard.core.periods import PeriodError, parse_period
from safeboard.partnership.management.commands.partnership import get_partnership
from safeboard.reports import checks, render, services
from safeboard.reports.models import Report, ReportStatus

FORMATS = ("html", "pdf", "docx")


class Command(SubcommandCommand):
    help = "Build a partnership's annual report from its records."
    subcommands = {"build": "handle_build"}
    subcommand_help = {"build": "build the report as HTML, PDF and Word files"}

    def add_subcommand_arguments(self, name: str, parser: ArgumentParser) -> None:
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--year", required=True, help="financial year, e.g. 2016-17")
        parser.add_argument("--edition", choices=("board", "public"), default="board")
        parser.add_argument(
            "--format", default="html,pdf,docx", help="comma-separated: html, pdf, docx"
        )
        parser.add_argument("--out", required=True, type=Path, help="directory for the files")
        parser.add_argument(
            "--draft", action="store_true", help="build even when the checks find problems"
        )
        parser.add_argument(
            "--version",
            type=int,
            dest="report_version",
            help="a published version to build as it was frozen (default: the latest published "
            "version of a published report; otherwise the report from the records now)",
        )

    def handle_build(self, **options: Any) -> None:
        formats = [f.strip() for f in options["format"].split(",") if f.strip()]
        unknown = set(formats) - set(FORMATS)
        if unknown:
            raise CommandError(
                f"Unknown format {', '.join(sorted(unknown))}: use {', '.join(FORMATS)}"
            )
        try:
            year = parse_period(options["year"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if year.kind != "fy":
            raise CommandError(f"‘{options['year']}’ is not a financial year: write it as 2016-17")
        partnership = get_partnership(options["partnership"])
        with tenancy.partnership_scope(partnership):
            report = Report.objects.filter(year=year.start.year).first()
            if report is None:
                report = services.create_report(partnership=partnership, year=year.start.year)
                self.stdout.write(f"Created the {year.label} report from the template")
            number = options.get("report_version")
            if number is None and report.status == ReportStatus.PUBLISHED:
                number = report.version
            if number is not None:
                version = report.versions.filter(number=number).first()
                if version is None:
                    raise CommandError(f"The {year.label} report has no published version {number}")
                # A published edition is built from its frozen copy: it never changes.
                doc = services.stored_document(version, options["edition"])
                self.stdout.write(f"Building published version {number}, as frozen")
            else:
                doc = services.document(report, options["edition"])
            errors = checks.blocking(doc.problems)
            for problem in doc.problems:
                where = next((s.title for s in doc.sections if s.key == problem.section), "")
                self.stderr.write(
                    f"{problem.severity}: {where + ': ' if where else ''}{problem.message}"
                )
            if errors and not options["draft"]:
                raise CommandError(
                    f"{len(errors)} problem(s) block the report (use --draft to build it anyway)"
                )
            out: Path = options["out"]
            out.mkdir(parents=True, exist_ok=True)
            for fmt in formats:
                started = time.perf_counter()
                if fmt == "html":
                    content: bytes = render.standalone_html(doc).encode()
                elif fmt == "pdf":
                    content = render.pdf(doc)
                else:
                    content = render.docx(doc)
                path = out / render.file_name(doc, fmt)
                path.write_bytes(content)
                self.stdout.write(
                    f"Wrote {path} ({len(content) // 1024} KB, "
                    f"{time.perf_counter() - started:.1f} s)"
                )
