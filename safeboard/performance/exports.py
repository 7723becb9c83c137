"""Files the module writes: scorecards as CSV and Excel (internal or public edition), and an
agency's return template (Excel, pre-filled with its indicators, to fill in and upload).
Every cell is written by core.tables: text people typed never runs as a formula."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from safeboard.core.statistics import MISSING_DESCRIPTIONS
from safeboard.core.tables import (
    append_row,
    style_header,
    workbook_bytes,
    write_csv,
    write_sheet,
)

from . import rag
from .models import RATIO_UNITS, AgencyReturn, Unit
from .selectors import (
    SCORECARD_KEYS,
    ExceptionLine,
    ReturnRow,
    Scorecard,
    ScorecardRow,
    return_rows,
)

EXTRA_KEYS = ["comparator_period", "region_name", "rank_of", "owner"]
# The Excel scorecard is read by people: its columns are named in words (the CSV and the API
# keep the keys, for programs).
HEADINGS = {
    "indicator": "Indicator",
    "title": "Title",
    "unit": "Unit",
    "period": "Period",
    "value": "Value",
    "raw_value": "Value (unrounded)",
    "status": "Reason there is no value",
    "target": "Target",
    "rag": "Rating",
    "rag_overridden": "Rating overridden",
    "previous_period": "Previous period",
    "previous_value": "Previous value",
    "trend": "Trend",
    "england": "England",
    "region": "Region",
    "statistical_neighbours": "Statistical neighbours",
    "rank": "Rank",
    "quartile": "Quartile",
    "comparator_period": "Comparator period",
    "region_name": "Region name",
    "rank_of": "Ranked out of",
    "owner": "Owner agency",
}


def scorecard_records(card: Scorecard) -> list[dict[str, Any]]:
    """The scorecard's rows with the JSON keys, and a few more for people."""
    records = []
    for row in card.rows:
        record = row.as_dict(card.public)
        comparison = row.comparison
        record["comparator_period"] = comparison.period if comparison else None
        record["region_name"] = comparison.region_name if comparison else None
        record["rank_of"] = comparison.rank_of if comparison and comparison.rank else None
        record["owner"] = row.indicator.owner.short_name if row.indicator.owner else None
        records.append(record)
    return records


def scorecard_csv(card: Scorecard) -> bytes:
    keys = SCORECARD_KEYS + EXTRA_KEYS
    return write_csv(keys, ([record[key] for key in keys] for record in scorecard_records(card)))


def _about(card: Scorecard) -> list[tuple[str, str]]:
    edition = (
        "Public: counts from 1 to 5, rates and percentages whose numerator is from 1 to 5, "
        "percentages of which the rest (denominator less numerator) is from 1 to 5, and a "
        "year's count that would give a suppressed quarter or month, are shown as c"
        if card.public
        else "Internal (board only): not for publication"
    )
    return [
        ("Partnership", card.partnership.name),
        ("Reporting period", f"{card.period.label} ({card.period.description})"),
        ("Theme", card.theme.name if card.theme else "All themes"),
        ("Edition", edition),
        ("Produced", f"{date.today():%d %B %Y} by Safeboard"),
        ("RAG rule", rag.RULE_SUMMARY),
        *[(f"Symbol {code}", text) for code, text in MISSING_DESCRIPTIONS.items()],
    ]


def scorecard_xlsx(card: Scorecard) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Scorecard"
    keys = SCORECARD_KEYS + EXTRA_KEYS
    records = scorecard_records(card)
    write_sheet(
        sheet,
        [HEADINGS.get(key, key) for key in keys],
        ([record[key] for key in keys] for record in records),
        rag_columns=(HEADINGS["rag"],),
    )
    sheet.freeze_panes = "B2"
    for number, row in enumerate(card.rows, start=2):
        _number_formats(sheet, number, keys, row)
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 40 if key == "title" else 14
    about = workbook.create_sheet("About")
    for label, text in _about(card):
        append_row(about, [label, text])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100
    for cells in about.iter_rows(min_col=1, max_col=1):
        cells[0].font = Font(bold=True)
    return workbook_bytes(workbook)


def _number_formats(sheet: Any, row_number: int, keys: Sequence[str], row: ScorecardRow) -> None:
    decimals = row.indicator.decimals
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    for key in ("value", "previous_value", "england", "region", "statistical_neighbours"):
        cell = sheet.cell(row=row_number, column=keys.index(key) + 1)
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            cell.number_format = pattern


# --- an agency's return template ----------------------------------------------------------

TEMPLATE_COLUMNS = [
    "indicator",
    "title",
    "unit",
    "period",
    "value",
    "numerator",
    "denominator",
    "status",
    "note",
    "comment",
]
TEMPLATE_WIDTHS = [12, 48, 22, 14, 12, 12, 12, 10, 40, 40]


def return_template(agency_return: AgencyReturn, rows: list[ReturnRow] | None = None) -> bytes:
    """An Excel workbook with one row per figure the agency owes, pre-filled with what it has
    given so far, and a guidance sheet with each indicator's definition."""
    rows = rows if rows is not None else return_rows(agency_return)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Return"
    append_row(sheet, TEMPLATE_COLUMNS)
    style_header(sheet, len(TEMPLATE_COLUMNS), freeze="B2")
    for row in rows:
        value = row.value
        derived = (
            value is not None
            and row.indicator.unit in RATIO_UNITS
            and value.numerator is not None
            and (value.denominator is not None or value.population_year is not None)
        )
        append_row(
            sheet,
            [
                row.indicator.code,
                row.indicator.title,
                Unit(row.indicator.unit).label,
                row.period.label,
                value.value if value is not None and not derived else None,
                value.numerator if value else None,
                value.denominator if value and value.population_year is None else None,
                value.status if value else None,
                value.note if value else None,
                value.query_comment if value else None,
            ],
        )
    for index, width in enumerate(TEMPLATE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if rows:
        last = len(rows) + 1
        statuses = DataValidation(
            type="list",
            formula1='"c,x,z,u,tbc"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a reason",
            error="Use c, x, z, u or tbc, or leave it empty and give a figure.",
        )
        sheet.add_data_validation(statuses)
        statuses.add(f"H2:H{last}")
        numbers = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a number",
            error="Give a number of 0 or more.",
        )
        sheet.add_data_validation(numbers)
        numbers.add(f"F2:G{last}")
    guidance = workbook.create_sheet("Guidance")
    agency = agency_return.agency
    lines = [
        [f"{agency.name}: return for {agency_return.round.period}"],
        [f"Due on {agency_return.round.due:%d %B %Y}."],
        [],
        ["Fill in the Return sheet, one row per figure, and upload it on the return’s page."],
        [
            "Give a value; or, for a percentage or rate, the numerator and denominator (the value "
            "is then worked out for you). For a rate per 10,000 children, the numerator alone is "
            "enough: the child population is the denominator."
        ],
        [
            "If there is no figure, give the reason in the status column: c (suppressed), x (not "
            "available), z (not applicable), u (low reliability) or tbc (to be confirmed)."
        ],
        [
            "A change of more than the indicator’s threshold from the previous period needs a "
            "comment explaining it before your lead can sign the return off."
        ],
        ["Do not change the indicator or period columns. Rows left empty are ignored."],
        [],
        ["indicator", "title", "unit", "definition", "numerator", "denominator", "threshold"],
    ]
    for line in lines:
        append_row(guidance, line)
    seen = set()
    for row in rows:
        indicator = row.indicator
        if indicator.pk in seen:
            continue
        seen.add(indicator.pk)
        append_row(
            guidance,
            [
                indicator.code,
                indicator.title,
                Unit(indicator.unit).label,
                indicator.definition,
                indicator.numerator_definition,
                indicator.denominator_definition,
                f"{rag.plain(indicator.change_threshold)}%",
            ],
        )
    guidance.column_dimensions["A"].width = 12
    guidance.column_dimensions["B"].width = 48
    guidance.column_dimensions["D"].width = 60
    guidance["A1"].font = Font(bold=True, size=14)
    return workbook_bytes(workbook)


# --- the exception report ------------------------------------------------------------------

EXCEPTION_HEADERS = [
    "Indicator",
    "Title",
    "Period",
    "Value",
    "Target",
    "RAG",
    "Trend",
    "Previous period",
    "Previous value",
    "Owner",
    "Agency’s note",
    "Explanation of the change",
    "Rating overridden because",
    "Indicator page",
    "Agency’s return",
]
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}


def exception_rows(lines: Sequence[ExceptionLine], site: str) -> list[list[Any]]:
    rows = []
    for line in lines:
        row = line.row
        indicator = row.indicator
        rows.append(
            [
                indicator.code,
                indicator.title,
                row.period.label,
                row.display,
                row.target_text,
                RAG_WORDS.get(row.rag or "", "No rating"),
                (row.trend or "").capitalize(),
                row.previous_period.label,
                row.previous_display,
                indicator.owner.name if indicator.owner else "Business unit",
                line.note,
                line.explanation,
                row.override.reason if row.override else "",
                site + indicator_url(indicator),
                site + line.return_url if line.return_url else "",
            ]
        )
    return rows


def indicator_url(indicator: Any) -> str:
    from django.urls import reverse

    return reverse(
        "performance:indicator",
        kwargs={"partnership": indicator.partnership.slug, "pk": indicator.pk},
    )


def exceptions_csv(card: Scorecard, lines: Sequence[ExceptionLine], site: str) -> bytes:
    return write_csv(EXCEPTION_HEADERS, exception_rows(lines, site))


def exceptions_xlsx(card: Scorecard, lines: Sequence[ExceptionLine], site: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Exceptions"
    write_sheet(sheet, EXCEPTION_HEADERS, exception_rows(lines, site), rag_columns=("RAG",))
    sheet.freeze_panes = "B2"
    for col in range(1, len(EXCEPTION_HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 18
    about = workbook.create_sheet("About")
    for pair in [
        *_about(card),
        ("Lines", "Indicators rated red, and amber ones getting worse"),
    ]:
        append_row(about, list(pair))
    return workbook_bytes(workbook)
