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


# --- what the commands of registers with an import and yearly tables share ---------------------


def read_input(path: Any) -> bytes:
    """The bytes of a file named on the command line, or a CommandError saying it is missing."""
    if not path.exists():
        raise CommandError(f"{path} does not exist")
    return bytes(path.read_bytes())


def financial_year_option(text: str) -> Any:
    """`--year 2016-17`: the financial year, or a CommandError saying how to write one."""
    from .periods import PeriodError, parse_period

    try:
        year = parse_period(text)
    except PeriodError as exc:
        raise CommandError(str(exc)) from exc
    if year.kind != "fy":
        raise CommandError(f"‘{text}’ is not a financial year: write e.g. 2016-17")
    return year


def report_import(command: BaseCommand, run: Any) -> None:
    """Run an import (`run()` returns a `core.tables.ImportReport`) and print its summary, or
    every problem with the file and a CommandError: nothing was imported."""
    from .tables import ImportReport, TableError

    try:
        report = run()
    except TableError as exc:
        report = ImportReport(problems=exc.problems)
    for line in report.lines():
        (command.stdout if report.ok else command.stderr).write(line)
    if not report.ok:
        count = len(report.problems)
        raise CommandError(f"{count} problem{'s' if count != 1 else ''}: nothing was imported")


def write_tables(out: Any, files: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    """Write each table as a CSV file in the folder `out` (made if need be)."""
    from .tables import write_csv

    out.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in files.items():
        (out / name).write_bytes(write_csv(header, rows))
