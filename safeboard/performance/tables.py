"""Reading uploaded tables (CSV or XLSX) into rows of text, each with the row number a person
sees in their spreadsheet (the header is row 1), so every problem can name its row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from safeboard.core.errors import ServiceError

MAX_ROWS = 50_000


@dataclass(frozen=True)
class Row:
    number: int
    fields: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _normalise_header(names: Iterable[Any]) -> list[str]:
    return [_cell_text(name).strip().lower().replace(" ", "_") for name in names]


def read_table(handle: IO[bytes], filename: str) -> tuple[list[str], list[Row]]:
    """The header (lower case, spaces as underscores) and rows of a CSV or XLSX file."""
    suffix = Path(filename).suffix.lower()
    data = handle.read()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(data)
    if suffix in {".csv", ".txt", ""}:
        return _read_csv(data)
    raise ServiceError(f"{Path(filename).name} is not a CSV or XLSX file")


def _read_csv(data: bytes) -> tuple[list[str], list[Row]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # a CSV saved by Excel on Windows
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[Row] = []
    for record in reader:
        if header is None:
            if not any(cell.strip() for cell in record):
                continue
            header = _normalise_header(record)
            continue
        if not any(cell.strip() for cell in record):
            continue
        rows.append(
            Row(reader.line_num, dict(zip(header, (c.strip() for c in record), strict=False)))
        )
        if len(rows) > MAX_ROWS:
            raise ServiceError(f"The file has more than {MAX_ROWS:,} rows: split it")
    if header is None:
        raise ServiceError("The file is empty: the first row must name the columns")
    return header, rows


def _read_xlsx(data: bytes) -> tuple[list[str], list[Row]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ServiceError("The file could not be read as an Excel workbook (.xlsx)") from exc
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[Row] = []
        for number, record in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in record]
            if header is None:
                if not any(cells):
                    continue
                header = _normalise_header(cells)
                continue
            if not any(cells):
                continue
            rows.append(Row(number, dict(zip(header, cells, strict=False))))
            if len(rows) > MAX_ROWS:
                raise ServiceError(f"The file has more than {MAX_ROWS:,} rows: split it")
    finally:
        workbook.close()
    if header is None:
        raise ServiceError(
            "The workbook’s first sheet is empty: its first row must name the columns"
        )
    return header, rows


def require_columns(header: list[str], required: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse a file without the required columns, or with columns nobody will read."""
    missing = [name for name in required if name not in header]
    if missing:
        raise ServiceError(
            "The file has no column "
            + ", ".join(f"‘{m}’" for m in missing)
            + ": the first row must name the columns"
        )
    unknown = [name for name in header if name and name not in set(allowed)]
    if unknown:
        raise ServiceError(
            "The file has columns Safeboard does not know: "
            + ", ".join(f"‘{u}’" for u in unknown)
            + ". Accepted: "
            + ", ".join(allowed)
        )
