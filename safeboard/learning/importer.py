"""Import case records from a spreadsheet (CSV or XLSX, read by `core.tables`).

The columns `reference, child, kind, incident_known, notified` are required (a practice or
historical review may leave the two dates blank); the others are optional (docs/case-reviews.md):
`incident_date, harm, age_group, sex, ethnicity, disability, looked_after,
child_protection_plan, known_to, notification_reference, rapid_review_held, outcome,
no_lcspr_reason, decided, published, published_at`.

Every row is checked before anything is written: its cells are read, then each row is tried
through the services (the same rules as the web pages) inside one transaction; if any row is
wrong, nothing is written and every problem is listed with its row (the header is row 1) and
column. With `dry_run` nothing is written either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from safeboard.core.dates import DateParseError, parse_due
from safeboard.core.errors import ServiceError
from safeboard.core.tables import Table, TableError, TableProblem, read_table, require_columns
from safeboard.partnership.models import Agency, Partnership

from . import services
from .models import AgeBand, Ethnicity, Harm, Kind, Outcome, Sex, YesNo

REQUIRED = ["reference", "child", "kind", "incident_known", "notified"]
OPTIONAL = [
    "incident_date",
    "harm",
    "age_group",
    "sex",
    "ethnicity",
    "disability",
    "looked_after",
    "child_protection_plan",
    "known_to",
    "notification_reference",
    "rapid_review_held",
    "outcome",
    "no_lcspr_reason",
    "decided",
    "published",
    "published_at",
]
COLUMNS = REQUIRED + OPTIONAL
_DAY = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}(st|nd|rd|th)?\s+[A-Za-z]+\.?,?\s+\d{4})$"
)
CHOICES: dict[str, Any] = {
    "kind": Kind,
    "harm": Harm,
    "age_group": AgeBand,
    "sex": Sex,
    "ethnicity": Ethnicity,
    "disability": YesNo,
    "looked_after": YesNo,
    "child_protection_plan": YesNo,
    "outcome": Outcome,
}
# Short words people write for a kind or an outcome.
SYNONYMS = {
    "kind": {"rapid review": "rapid_review", "cspr": "lcspr", "practice review": "practice"},
    "outcome": {"no lcspr": "no_lcspr", "national panel": "national", "panel": "national"},
    "age_group": {
        "16+": "16_plus",
        "under 1": "under_1",
        "1-5": "1_5",
        "6-10": "6_10",
        "11-15": "11_15",
    },
}


@dataclass
class ImportReport:
    rows: int = 0
    problems: list[TableProblem] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        if self.problems:
            count = len(self.problems)
            return [
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the file.",
                *(f"{p} (column {p.column})" if p.column else str(p) for p in self.problems),
            ]
        noun = f"{self.rows} case{'s' if self.rows != 1 else ''}"
        if self.written:
            return [f"Imported {noun}."]
        return [f"The file is valid: {noun} would be imported (dry run: nothing written)."]


def _day(text: str) -> date | None:
    text = " ".join(text.split())
    if not text:
        return None
    if not _DAY.match(text):
        raise DateParseError(f"‘{text}’ is not a day: give 2026-03-31, 31/03/2026 or 31 March 2026")
    return parse_due(text)


def _choice(column: str, text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    choices = CHOICES[column]
    lowered = text.lower()
    lowered = SYNONYMS.get(column, {}).get(lowered, lowered)
    for value, label in choices.choices:
        if lowered in (value, str(label).lower()):
            return str(value)
    accepted = ", ".join(str(v) for v in choices.values)
    raise ValueError(f"‘{text}’ is not one of {accepted}")


@dataclass
class Row:
    number: int
    values: dict[str, Any]


def _read_row(row: Any, agencies: dict[str, Agency], problems: list[TableProblem]) -> Row | None:
    values: dict[str, Any] = {}
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(TableProblem(row.number, column, message))

    for column in ("reference", "child"):
        values[column] = row.get(column)
        if not values[column]:
            problem(column, f"the {column} is empty")
    for column in CHOICES:
        try:
            values[column] = _choice(column, row.get(column))
        except ValueError as exc:
            problem(column, str(exc))
    if not values.get("kind") and "kind" not in {p.column for p in problems[before:]}:
        problem("kind", "the kind is empty")
    for column in (
        "incident_date",
        "incident_known",
        "notified",
        "rapid_review_held",
        "decided",
        "published",
    ):
        try:
            values[column] = _day(row.get(column))
        except DateParseError as exc:
            problem(column, str(exc))
    known_to = []
    for name in filter(None, (n.strip() for n in re.split(r"[;,]", row.get("known_to")))):
        agency = agencies.get(name.lower())
        if agency is None:
            problem("known_to", f"‘{name}’ is not an agency of this partnership")
        else:
            known_to.append(agency)
    values["known_to"] = known_to
    for column in ("notification_reference", "no_lcspr_reason", "published_at"):
        values[column] = row.get(column)
    if len(problems) > before:
        return None
    return Row(row.number, values)


def _write(partnership: Partnership, row: Row) -> None:
    v = row.values
    review = services.create_review(
        partnership=partnership,
        reference=v["reference"],
        child=v["child"],
        kind=v["kind"],
        known_to=v["known_to"],
        incident_date=v["incident_date"],
        incident_known=v["incident_known"],
        harm=v["harm"],
        age_band=v["age_group"],
        sex=v["sex"],
        ethnicity=v["ethnicity"],
        disability=v["disability"],
        looked_after=v["looked_after"],
        child_protection_plan=v["child_protection_plan"],
        notified_on=v["notified"],
        notification_reference=v["notification_reference"],
    )
    if v["rapid_review_held"] or v["outcome"]:
        services.record_rapid_review(
            review,
            held_on=v["rapid_review_held"],
            outcome=v["outcome"],
            no_lcspr_reason=v["no_lcspr_reason"],
            decided_on=v["decided"],
        )
    if v["published"]:
        services.publish(review, on=v["published"], url=v["published_at"])


def import_reviews(
    partnership: Partnership, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportReport:
    """Check every row, then write them all in one transaction, or nothing."""
    report = ImportReport(dry_run=dry_run)
    try:
        table: Table = read_table(data, filename)
        require_columns(table.header, REQUIRED, COLUMNS)
    except TableError as exc:
        report.problems = exc.problems
        return report
    agencies: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        agencies[agency.short_name.lower()] = agency
        agencies[agency.name.lower()] = agency
    rows = [_read_row(r, agencies, report.problems) for r in table.rows]
    seen: dict[str, int] = {}
    for row in rows:
        if row is None:
            continue
        reference = row.values["reference"]
        if reference in seen:
            report.problems.append(
                TableProblem(
                    row.number, "reference", f"{reference} is also on row {seen[reference]}"
                )
            )
        seen.setdefault(reference, row.number)
    report.rows = len(rows)
    with transaction.atomic():
        for row in rows:
            if row is None or any(p.row == row.number for p in report.problems):
                continue
            try:
                with transaction.atomic():
                    _write(partnership, row)
            except ServiceError as exc:
                report.problems.append(TableProblem(row.number, "", str(exc)))
        report.problems.sort(key=lambda p: (p.row or 0, p.column))
        if report.problems or dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report
