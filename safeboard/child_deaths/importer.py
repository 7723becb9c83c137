"""Importing the history of child death reviews from a table (CSV or XLSX), and England's
published percentages.

Deaths: one row a death, columns

    reference,date_of_birth,date_of_death,sex,ethnicity,category,modifiable,review_completed

and, optionally, first_name, surname, nhs_number, home_area (an area's name or DfE LA number,
one of the partnership's), place_of_death, expected (yes/no), panel_date. `category` (1 to
10) and `modifiable` (yes/no) are empty while the review is open and required once
`review_completed` is given. Every row is checked before anything is written; then all are
written in one transaction, or none.

National figures: `year,table,row,percent` (for example `2016-17,category,8 Perinatal/neonatal
event,35`), table one of sex, age, category, modifiable, time-to-review and row one of its rows;
a year's figures replace those already loaded for that year and table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeboard.core.errors import ServiceError
from safeboard.core.tables import Table, TableError, TableProblem, read_table, require_columns
from safeboard.partnership.models import Area, Group, Partnership

from . import services
from .constants import Category, Ethnicity, Place, Sex, nhs_number_problem, whole_years
from .models import ChildDeath, NationalFigure
from .selectors import ROWS, year_period

REQUIRED = (
    "reference",
    "date_of_birth",
    "date_of_death",
    "sex",
    "ethnicity",
    "category",
    "modifiable",
    "review_completed",
)
OPTIONAL = (
    "first_name",
    "surname",
    "nhs_number",
    "home_area",
    "place_of_death",
    "expected",
    "panel_date",
)
NATIONAL = ("year", "table", "row", "percent")
SEXES = {"male": Sex.MALE, "m": Sex.MALE, "female": Sex.FEMALE, "f": Sex.FEMALE}
SEXES |= {"unknown": Sex.UNKNOWN, "u": Sex.UNKNOWN, "": Sex.UNKNOWN, "not known": Sex.UNKNOWN}


def _choice(choices: Any, text: str, default: str) -> str | None:
    text = text.strip().lower()
    if not text:
        return default
    for value, label in choices:
        if text in (value, label.lower()):
            return value
    return None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"‘{text}’ is not a date: write YYYY-MM-DD") from None


def _yes_no(text: str) -> bool | None:
    value = text.strip().lower()
    if value in ("yes", "y"):
        return True
    if value in ("no", "n"):
        return False
    if value == "":
        return None
    raise ValueError(f"‘{text}’: write yes or no")


@dataclass
class Report:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[TableProblem] = field(default_factory=list)
    written: bool = False

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
        completed = sum(1 for r in self.rows if r["review_completed"])
        deaths = f"{len(self.rows)} death{'s' if len(self.rows) != 1 else ''}"
        what = f"{deaths} ({completed} reviews completed)"
        if self.written:
            return [f"Imported {what}."]
        return [f"The file is valid: {what} would be imported (dry run: nothing written)."]


def _areas(partnership: Partnership) -> dict[str, Area]:
    found: dict[str, Area] = {}
    for area in Area._base_manager.filter(partnership=partnership):
        found[area.name.lower()] = area
        found[str(area.la_number)] = area
    return found


def check(partnership: Partnership, table: Table, today: date) -> Report:
    report = Report()
    problems = report.problems
    try:
        require_columns(table.header, REQUIRED, REQUIRED + OPTIONAL)
    except TableError as exc:
        problems.extend(exc.problems)
        return report
    areas = _areas(partnership)
    default_area = next(iter(areas.values())) if len(set(areas.values())) == 1 else None
    taken = set(
        ChildDeath._base_manager.filter(partnership=partnership).values_list("reference", flat=True)
    )
    seen: dict[str, int] = {}
    for row in table.rows:
        n = row.number
        before = len(problems)

        def bad(column: str, message: str, n: int = n) -> None:
            problems.append(TableProblem(n, column, message))

        out: dict[str, Any] = {}
        reference = row.get("reference")
        if not reference:
            bad("reference", "Every death needs its reference")
        elif len(reference) > 30:
            bad("reference", "A reference has at most 30 characters")
        elif reference in taken:
            bad("reference", f"{reference} is already in the register")
        elif reference in seen:
            bad("reference", f"{reference} is also on row {seen[reference]}")
        seen.setdefault(reference, n)
        out["reference"] = reference
        for name in ("date_of_birth", "date_of_death", "review_completed", "panel_date"):
            text = row.get(name)
            out[name] = None
            if not text:
                if name in ("date_of_birth", "date_of_death"):
                    bad(name, "Required")
                continue
            try:
                out[name] = _date(text)
            except ValueError as exc:
                bad(name, str(exc))
                continue
            if out[name] > today:
                bad(name, "Cannot be in the future")
        born, died, done = out["date_of_birth"], out["date_of_death"], out["review_completed"]
        if born and died:
            if died < born:
                bad("date_of_death", "Before the date of birth")
            elif whole_years(born, died) >= 18:
                bad("date_of_birth", "The child was 18 or older: not a child death review")
        if died and done and done < died:
            bad("review_completed", "Before the date of death")
        # What `services.record_review` refuses is a problem of the row, found before writing.
        panel_date = out["panel_date"]
        if panel_date and died and panel_date < died:
            bad("panel_date", "Before the date of death")
        elif panel_date and done and panel_date > done:
            bad("panel_date", "After the review was completed")
        sex = SEXES.get(row.get("sex").lower())
        if sex is None:
            bad("sex", "Write male, female or unknown")
        out["sex"] = sex
        out["ethnicity"] = _choice(Ethnicity.choices, row.get("ethnicity"), Ethnicity.NOT_KNOWN)
        if out["ethnicity"] is None:
            bad("ethnicity", "Unknown ethnicity: one of " + ", ".join(Ethnicity.values))
        out["place_of_death"] = _choice(Place.choices, row.get("place_of_death"), Place.NOT_KNOWN)
        if out["place_of_death"] is None:
            bad("place_of_death", "Unknown place: one of " + ", ".join(Place.values))
        text = row.get("category")
        out["category"] = None
        if text:
            if not text.isdigit() or int(text) not in Category.values:
                bad("category", "A category is a number from 1 to 10")
            else:
                out["category"] = int(text)
        for name in ("modifiable", "expected"):
            try:
                out[name] = _yes_no(row.get(name))
            except ValueError as exc:
                bad(name, str(exc))
                out[name] = None
        if done:
            if out["category"] is None and not row.get("category"):
                bad("category", "A completed review has its category")
            if out["modifiable"] is None and not row.get("modifiable"):
                bad("modifiable", "A completed review says yes or no")
        elif row.get("category") or row.get("modifiable"):
            bad(
                "review_completed",
                "Category and modifiable are given only once the review is completed",
            )
        nhs = row.get("nhs_number").replace(" ", "")
        if nhs and (problem := nhs_number_problem(nhs)):
            bad("nhs_number", problem)
        out["nhs_number"] = nhs
        area_text = row.get("home_area").lower()
        out["home_area"] = areas.get(area_text) if area_text else default_area
        if area_text and out["home_area"] is None:
            bad("home_area", f"‘{row.get('home_area')}’ is not an area of {partnership}")
        for name in ("first_name", "surname"):
            out[name] = row.get(name)[:100]
        if len(problems) == before:
            report.rows.append(out)
    if not table.rows:
        problems.append(TableProblem(None, "", "The file has no deaths"))
    return report


def import_deaths(
    partnership: Partnership,
    data: bytes,
    filename: str,
    *,
    panel: Group | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> Report:
    """Check every row; unless a row is wrong or it is a dry run, write them all in one
    transaction. Run inside the partnership's scope."""
    today = today or timezone.localdate()
    try:
        table = read_table(data, filename)
    except TableError as exc:
        return Report(problems=list(exc.problems))
    report = check(partnership, table, today)
    if report.ok and not dry_run:
        with transaction.atomic():
            for row in report.rows:
                _write(partnership, panel, row)
        report.written = True
    return report


def _write(partnership: Partnership, panel: Group | None, row: dict[str, Any]) -> None:
    death = ChildDeath(
        partnership=partnership,
        panel=panel,
        home_area=row["home_area"],
        reference=row["reference"],
        first_name=row["first_name"],
        surname=row["surname"],
        nhs_number=row["nhs_number"],
        date_of_birth=row["date_of_birth"],
        date_of_death=row["date_of_death"],
        sex=row["sex"],
        ethnicity=row["ethnicity"],
        place_of_death=row["place_of_death"],
        expected=row["expected"],
        imported=True,
        form_version="",
    )
    death.save()
    if row["review_completed"] or row["panel_date"]:
        services.record_review(
            death,
            panel_date=row["panel_date"] or row["review_completed"],
            completed_on=row["review_completed"],
            category=row["category"],
            modifiable=row["modifiable"],
            modifiable_factors="Not recorded (imported)" if row["modifiable"] else "",
        )


# --- England's percentages --------------------------------------------------------------


def import_national(data: bytes, filename: str, *, source: str = "") -> int:
    """Load England's percentages; every row is checked first, then one transaction."""
    table = read_table(data, filename)
    require_columns(table.header, NATIONAL, NATIONAL)
    problems: list[TableProblem] = []
    found: dict[tuple[str, str, str], Decimal] = {}
    for row in table.rows:
        try:
            year = year_period(row.get("year")).label
        except ValueError:
            problems.append(
                TableProblem(row.number, "year", "Write a financial year, e.g. 2016-17")
            )
            continue
        name = row.get("table")
        if name not in ROWS:
            problems.append(TableProblem(row.number, "table", "One of " + ", ".join(ROWS)))
            continue
        label = row.get("row")
        if label not in ROWS[name]:
            problems.append(
                TableProblem(
                    row.number, "row", f"Not a row of {name}: one of " + "; ".join(ROWS[name])
                )
            )
            continue
        try:
            percent = Decimal(row.get("percent").rstrip("%"))
        except InvalidOperation:
            problems.append(TableProblem(row.number, "percent", "Not a number"))
            continue
        if not percent.is_finite() or not 0 <= percent <= 100:
            problems.append(TableProblem(row.number, "percent", "A percentage from 0 to 100"))
            continue
        if (year, name, label) in found:
            problems.append(TableProblem(row.number, "row", "Given twice"))
            continue
        found[(year, name, label)] = percent.quantize(Decimal("0.01"))
    if problems:
        raise TableError(problems)
    if not found:
        raise ServiceError("The file has no figures")
    with transaction.atomic():
        for year, name in {(y, t) for y, t, _ in found}:
            NationalFigure.objects.filter(year=year, table=name).delete()
        for (year, name, label), percent in found.items():
            NationalFigure.objects.create(
                year=year, table=name, row=label, percent=percent, source=source
            )
    return len(found)
