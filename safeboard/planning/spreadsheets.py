"""Reading and writing the tables people keep in spreadsheets: CSV (UTF-8, comma-separated)
and Excel workbooks (.xlsx, the first sheet).

Cells written out are protected against formula injection: a CSV cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, and workbook cells
are always stored as text. Reading strips that apostrophe again, so a round trip is exact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
_RISKY = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 5000


class SpreadsheetError(ValueError):
    """A file that cannot be read as a table; the message says why."""


def escape(value: str) -> str:
    return "'" + value if value.startswith(_RISKY) else value


def unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in _RISKY and value[1:2] else value


def _cell_text(value: Any) -> Any:
    """Text of a cell as read; dates stay dates (Excel stores them as such)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return unescape(value.strip())
    return str(value)


def read_table(data: bytes, filename: str) -> tuple[list[str], list[list[Any]]]:
    """The header (lower-cased, trimmed) and the rows of a CSV or XLSX file. Rows are padded to
    the header's width; wholly empty rows are kept (as empty lists) so row numbers stay those
    of the file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _read_csv(data)
    else:
        raise SpreadsheetError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)")
    if not rows:
        raise SpreadsheetError("The file is empty")
    header = [str(h).strip().lower() for h in rows[0]]
    body = [[_cell_text(c) for c in row] for row in rows[1:]]
    if len(body) > MAX_ROWS:
        raise SpreadsheetError(f"The file has more than {MAX_ROWS} rows")
    width = len(header)
    body = [
        (row + [""] * (width - len(row)))[:width] if any(c != "" for c in row) else []
        for row in body
    ]
    while body and not body[-1]:
        body.pop()
    return header, body


def _read_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError("The CSV file is not UTF-8 text") from exc
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _read_xlsx(data: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SpreadsheetError(
            "The file is not an Excel workbook (.xlsx) that can be read"
        ) from exc
    try:
        sheet = book.worksheets[0]
        return [[_xlsx_value(cell) for cell in row] for row in sheet.iter_rows()]
    finally:
        book.close()


def _xlsx_value(cell: Any) -> Any:
    """A cell's value. A date shown without its day (`mmm-yy`, `mmmm yyyy`) is a month, as
    `Jul-17` typed in a CSV is: it is read as `2017-07`, which means the end of July."""
    value = getattr(cell, "value", None)
    if isinstance(value, datetime | date):
        shown = re.sub(r'"[^"]*"|\[[^\]]*\]', "", str(getattr(cell, "number_format", "")))
        if "y" in shown.lower() and "m" in shown.lower() and "d" not in shown.lower():
            return f"{value.year:04d}-{value.month:02d}"
    return value


def write_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """A CSV or XLSX file of the rows, every cell written as text."""
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    if fmt != "csv":
        raise SpreadsheetError(f"Unknown format ‘{fmt}’")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape(_text(v)) for v in row])
    return text.getvalue().encode("utf-8-sig")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """A workbook cell: numbers as numbers, everything else as text (never a formula)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", _text(value)))
    cell.data_type = "s"
    return cell
