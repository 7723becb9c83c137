"""The tables people keep in spreadsheets: every file Safeboard reads as a table (CSV or an
Excel workbook) and every CSV or workbook it writes goes through this module.

Reading (`read_table`):

- CSV in UTF-8, UTF-8 with a byte-order mark (Excel's "CSV UTF-8") or Windows-1252 (Excel's
  plain "CSV" on Windows); an Excel workbook (`.xlsx`, `.xlsm`): its first sheet.
- The first row that is not blank names the columns. Rows are numbered as the spreadsheet
  numbers them (the header is row 1 in a file that starts with it; blank rows count), so a
  problem can name the row a person will find. Blank rows are skipped.
- At most `settings.MAX_IMPORT_ROWS` rows (50,000 unless configured); every row counts,
  blank or not, and reading stops at the limit. Only the header's columns are read (at most
  `MAX_COLUMNS`), whatever size the workbook says its sheet is: a tiny file that declares a
  million rows by 16,384 columns is refused in a moment, not read for minutes.
- Problems have one shape, `TableProblem(row, column, message)`; `TableError` carries a
  list of them.

Writing (`write_csv`, `write_xlsx`, `write_table`, `append_row` for styled workbooks):
a CSV keeps its columns' keys (for programs); a workbook is read by people (`write_sheet`):
its columns are named in words (`heading`: `source_details` is "Source details", which
`column_name` reads back as the key, so an exported workbook imports again), its header row
stands out and stays in view, and its ratings are words in their colours. Text a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
return) never runs. In CSV such a cell gets a leading apostrophe; in a workbook
every text cell is stored as text (never a formula), without the characters a workbook cannot
hold. Numbers stay numbers. Reading takes the apostrophe off again, so a table written and
read back is the table that was written.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from decimal import Decimal
from pathlib import PurePath
from typing import IO, Any, NoReturn

from defusedxml import ElementTree as defused
from django.conf import settings
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import ServiceError

DEFAULT_MAX_ROWS = 50_000
# The widest table read: columns right of the header's last name are never read.
MAX_COLUMNS = 200
# The header is the first row that is not blank, among the first this many.
HEADER_SEARCH_ROWS = 100
# A workbook is a zip file; refused when its parts would unpack to more than this.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# The text a workbook shares between its cells, unpacked: openpyxl reads it whole before the
# first row, so a tiny file must not declare millions of strings. 8 MB holds some 400,000.
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024
# Cells in one row of a sheet: openpyxl parses a whole row even when only a few columns are
# read, so a row of a million cells is refused before it is read.
MAX_CELLS_PER_ROW = 1_000
# The longest text an Excel cell holds.
XLSX_MAX_TEXT = 32_767

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}

# What a spreadsheet reads as the start of a formula (or of a cell it re-parses).
RISKY = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = (*RISKY, "'")

CSV_SUFFIXES = {".csv", ".txt", ""}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


def max_import_rows() -> int:
    """The most rows a file may have under its header (the `MAX_IMPORT_ROWS` setting)."""
    return int(getattr(settings, "MAX_IMPORT_ROWS", DEFAULT_MAX_ROWS))


# --- problems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableProblem:
    """One thing wrong in a table: its row as the spreadsheet numbers it (None for the whole
    file), its column's name ("" when it is not one cell's) and what is wrong."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row is not None else self.message


@dataclass
class ImportReport:
    """What an import of records did (or, in a dry run, would do), or every problem with its
    file: new records, records already there that it changed, and things it added to them
    (`added_noun`: a private fostering arrangement's visits)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    added: int = 0
    problems: list[TableProblem] = field(default_factory=list)
    dry_run: bool = False
    noun: str = "rows"
    added_noun: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        if self.problems:
            return [str(p) for p in self.problems]
        verb = "Would import" if self.dry_run else "Imported"
        line = f"{verb} {self.rows} {self.noun}: {self.created} new, {self.updated} changed"
        if self.updated:
            line += " (already in the register)"
        if self.added_noun:
            line += f", with {self.added} {self.added_noun}"
        return [line + "."]


class TableError(ServiceError):
    """A table that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[TableProblem], message: str | None = None) -> None:
        self.problems = list(problems)
        super().__init__(
            message if message is not None else "; ".join(str(p) for p in self.problems)
        )


def _refuse(message: str, row: int | None = None, column: str = "") -> NoReturn:
    raise TableError([TableProblem(row, column, message)])


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One row that is not blank: its number in the spreadsheet and its cells by column name
    (`cells` holds them in order, as many as the header has columns)."""

    number: int
    fields: dict[str, str]
    cells: tuple[str, ...] = ()

    def get(self, name: str) -> str:
        """The cell of column `name`, trimmed ("" when there is no such column)."""
        return self.fields.get(name, "").strip()


@dataclass(frozen=True)
class Table:
    """A table read from a file. `labels` are the header's cells as written; `header` the
    column names (trimmed, lower case, spaces as underscores)."""

    labels: list[str]
    header: list[str]
    rows: list[TableRow] = field(default_factory=list)
    header_row: int = 1


def column_name(label: str) -> str:
    """A header cell as a column name: `Period kind ` is `period_kind`."""
    return "_".join(label.split()).lower()


def escape(text: str) -> str:
    """Text as a CSV cell: a leading apostrophe when a spreadsheet would run it as a formula
    (or when it starts with an apostrophe that `unescape` would take off)."""
    if text.startswith(RISKY) or (text.startswith("'") and text[1:2] in _QUOTED):
        return "'" + text
    return text


def unescape(text: str) -> str:
    """A cell as written by `escape`, as it was: `'=SUM(A1)` is `=SUM(A1)`."""
    if text.startswith("'") and text[1:2] in _QUOTED:
        return text[1:]
    return text


def cell_text(value: Any) -> str:
    """A cell's value as text: whole numbers without `.0`, dates as `2017-07-31`, true and
    false as yes and no, text as written (an escaping apostrophe taken off)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unescape(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == clock():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


# A source of rows: `rows(start, width)` yields (row number, cells) from row `start` on,
# each row with at most `width` cells.
RowSource = Callable[[int, int], Iterator[tuple[int, list[str]]]]


def read_table(data: bytes | IO[bytes], filename: str) -> Table:
    """The table in a CSV file or an Excel workbook (by `filename`'s suffix). Raises
    `TableError` (a `ServiceError`) saying why a file cannot be read."""
    with _rows_of(data, filename) as rows:
        return _build(rows, max_rows=max_import_rows())


def read_rows(
    data: bytes | IO[bytes], filename: str, *, max_columns: int = MAX_COLUMNS
) -> list[tuple[int, list[str]]]:
    """Every row of a file that is not blank, numbered, as text (without blank cells at its
    end), without a header: for files whose header is not their first row. Only the first
    `max_columns` columns are read; the row limit is that of `read_table`."""
    limit = max_import_rows()
    with _rows_of(data, filename) as rows:
        found = []
        for number, cells in rows(1, max_columns):
            if number > limit + 1:
                _refuse(f"The file has more than {limit:,} rows: split it")
            if not _blank(cells):
                while not cells[-1].strip():
                    cells.pop()
                found.append((number, cells))
        return found


@contextmanager
def _rows_of(data: bytes | IO[bytes], filename: str) -> Iterator[RowSource]:
    raw = data if isinstance(data, bytes | bytearray) else data.read()
    suffix = PurePath(filename).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        with _sheet_rows(bytes(raw)) as rows:
            yield rows
    elif suffix in CSV_SUFFIXES:
        yield _csv_rows(bytes(raw))
    else:
        _refuse("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)")


def table_from_rows(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, first_row: int = 2
) -> Table:
    """A table given as data (the API's JSON rows): numbered as in a file whose header is
    row 1, blank rows skipped, cells as text."""
    labels = [cell_text(h) for h in header]
    records = ((n, [cell_text(c) for c in row]) for n, row in enumerate(rows, start=first_row))

    def source(start: int, width: int) -> Iterator[tuple[int, list[str]]]:
        if start <= 1:
            yield 1, labels[:width]
        else:
            yield from records

    return _build(source, max_rows=max_import_rows())


def _build(rows: RowSource, *, max_rows: int) -> Table:
    limit = max_rows
    too_many = f"The file has more than {limit:,} rows: split it"
    labels: list[str] | None = None
    header_row = 0
    for number, cells in rows(1, MAX_COLUMNS + 1):
        if number > min(limit + 1, HEADER_SEARCH_ROWS):
            _refuse(f"The first {number - 1:,} rows are blank: the first row must name the columns")
        if not _blank(cells):
            labels, header_row = cells, number
            break
    if labels is None:
        _refuse("The file is empty: its first row must name the columns")
    # The header's cells right of its last name are not columns.
    while labels and not labels[-1].strip():
        labels.pop()
    if len(labels) > MAX_COLUMNS:
        _refuse(f"The file has more than {MAX_COLUMNS} columns", header_row)
    header = [column_name(label) for label in labels]
    width = len(header)
    body: list[TableRow] = []
    for number, cells in rows(header_row + 1, width):
        if number > limit + 1:
            _refuse(too_many)
        if _blank(cells):
            continue
        cells = (cells + [""] * width)[:width]
        fields: dict[str, str] = {}
        for name, cell in zip(header, cells, strict=True):
            if name and name not in fields:
                fields[name] = cell
        body.append(TableRow(number, fields, tuple(cells)))
    return Table(labels=labels, header=header, rows=body, header_row=header_row)


def _csv_rows(data: bytes) -> RowSource:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # a CSV saved by Excel on Windows
        except UnicodeDecodeError:
            _refuse(
                "The file is neither UTF-8 nor Windows-1252 text: save it from Excel as ‘CSV UTF-8’"
            )
    records = enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    read = 0

    def rows(start: int, width: int) -> Iterator[tuple[int, list[str]]]:
        # One pass over the file: the header's search stops where the body starts.
        nonlocal read
        while True:
            try:
                number, record = next(records)
            except StopIteration:
                return
            except csv.Error as exc:
                _refuse(f"the file cannot be read as CSV: {exc}", read + 1)
            read = number
            yield number, [unescape(cell) for cell in record[:width]]

    return rows


@contextmanager
def _sheet_rows(data: bytes) -> Iterator[RowSource]:
    unreadable = "The file is not an Excel workbook (.xlsx) that can be read"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(item.file_size for item in parts) > MAX_UNPACKED_BYTES:
                _refuse(
                    "The workbook is too large once unpacked: save a smaller one, or a CSV file"
                )
            for item in parts:
                name = item.filename.lower()
                if name.endswith("sharedstrings.xml") and item.file_size > (
                    MAX_SHARED_STRINGS_BYTES
                ):
                    _refuse(
                        "The workbook holds more text than an import can: save the data you "
                        "are importing in a new workbook, or as a CSV file"
                    )
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    _check_row_widths(archive, item)
    except TableError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, defused.ParseError):
        _refuse(unreadable)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        _refuse(unreadable)
    try:
        if not book.worksheets:
            _refuse("The workbook has no sheet")
        sheet = book.worksheets[0]
        last = max_import_rows() + 2

        def rows(start: int, width: int) -> Iterator[tuple[int, list[str]]]:
            # Only `width` columns, and no further than just past the row limit: what the
            # sheet says its size is does not matter. Missing rows come as empty ones, so
            # they are numbered and counted like any other.
            cells = sheet.iter_rows(min_row=start, max_row=last, max_col=width)
            for number, row in enumerate(cells, start=start):
                yield number, [_xlsx_text(cell) for cell in row]

        yield rows
    except TableError:
        raise
    except Exception:  # a sheet whose XML openpyxl cannot parse
        _refuse(unreadable)
    finally:
        book.close()


def _check_row_widths(archive: zipfile.ZipFile, item: zipfile.ZipInfo) -> None:
    """Refuse a sheet with a row of more than MAX_CELLS_PER_ROW cells, reading its XML as a
    stream (quick, and without holding it in memory)."""
    cells = 0
    with archive.open(item) as stream:
        for event, element in defused.iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start" and tag == "row":
                cells = 0
            elif event == "end" and tag == "c":
                cells += 1
                element.clear()
                if cells > MAX_CELLS_PER_ROW:
                    _refuse(
                        f"A row of the workbook has more than {MAX_CELLS_PER_ROW:,} cells: "
                        "save only the columns you are importing"
                    )
            elif event == "end" and tag == "row":
                element.clear()


def _xlsx_text(cell: Any) -> str:
    """A workbook cell as text. A date shown without its day (`mmm-yy`, `mmmm yyyy`) is a
    month, as `Jul-17` typed in a CSV is: it reads as `2017-07`."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        shown = re.sub(r'"[^"]*"|\[[^\]]*\]', "", str(getattr(cell, "number_format", ""))).lower()
        if "y" in shown and "m" in shown and "d" not in shown:
            return f"{value.year:04d}-{value.month:02d}"
    return cell_text(value)


def require_columns(header: Sequence[str], required: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse a table without the `required` columns, with a column not `allowed` (so a
    misspelt column is never silently ignored) or with a column twice."""
    allowed = list(allowed)
    missing = [name for name in required if name not in header]
    if missing:
        _refuse(
            "The file has no column "
            + ", ".join(f"‘{m}’" for m in missing)
            + ": the first row must name the columns"
        )
    unknown = [name for name in header if name and name not in set(allowed)]
    if unknown:
        _refuse(
            "The file has columns Safeboard does not know: "
            + ", ".join(f"‘{u}’" for u in unknown)
            + ". Accepted: "
            + ", ".join(allowed)
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        _refuse(
            "The file has the column " + ", ".join(f"‘{r}’" for r in repeated) + " more than once"
        )


# --- writing --------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return math.isfinite(value)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: numbers as they are, text escaped (`escape`)."""
    if _is_number(value):
        return str(value)
    return escape(_plain(value))


def write_csv(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file: UTF-8 with a byte-order mark (so Excel reads it as UTF-8), lines ending
    in CR LF, no cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_text(value: Any) -> str:
    """Text as a workbook holds it: without the characters a workbook cannot hold, at most
    32,767 characters, a leading apostrophe doubled (see `unescape`)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", _plain(value))
    if text.startswith("'") and text[1:2] in _QUOTED:
        text = "'" + text
    return text[:XLSX_MAX_TEXT]


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """What to give `sheet.append` for a value: a number as a number, anything else as text,
    never a formula. Plain text goes as it is (openpyxl stores it as text); text openpyxl
    would take for a formula (`=…`) or an error (`#N/A`) goes as a cell forced to text."""
    if _is_number(value):
        return value
    if value is None or value == "":
        return None
    text = xlsx_text(value)
    if not text.startswith("=") and text not in ERROR_CODES:
        return text
    cell = Cell(sheet, row=1, column=1, value=text)
    cell.data_type = "s"
    return cell


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Add a row of safe cells (`xlsx_cell`) to a worksheet."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- workbooks people read ------------------------------------------------------------------

_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
HEADER_FILL = PatternFill("solid", fgColor="1D5C63")
HEADER_FONT = Font(bold=True, color="FFFFFF")
# A rating as people read it, in its colour (the site's tag colours).
RAG_FILLS = {
    "Red": PatternFill("solid", fgColor="F4CDC6"),
    "Amber": PatternFill("solid", fgColor="FFF2CC"),
    "Green": PatternFill("solid", fgColor="CCE2D8"),
}
RAG_WORDS = {
    "r": "Red",
    "red": "Red",
    "a": "Amber",
    "amber": "Amber",
    "g": "Green",
    "green": "Green",
}
MAX_WIDTH = 60


def heading(header: Any) -> Any:
    """A column's key as people read it: `source_details` is "Source details" (and
    `column_name` reads that back as `source_details`). A header that is not a key (a label
    someone wrote) is left as it is."""
    if isinstance(header, str) and _KEY.fullmatch(header):
        return header.replace("_", " ").capitalize()
    return header


def style_header(sheet: Any, count: int, *, freeze: str = "A2") -> None:
    """The first row of a sheet as its header: white on the house colour, wrapped, in view
    as the rows scroll."""
    for col in range(1, count + 1):
        cell = sheet.cell(row=1, column=col)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = freeze


def colour_rating(cell: Any, colours: dict[str, str] | None = None) -> None:
    """A rating cell as its word in its colour: R, red or RED is "Red" on light red. Other
    values (`colours` maps such a text to Red, Amber or Green: "Below target") keep their
    text and get their colour; anything else is left as it is."""
    if not isinstance(cell.value, str):
        return
    word = RAG_WORDS.get(cell.value.strip().lower())
    if word is not None:
        cell.value = word
    else:
        word = (colours or {}).get(cell.value)
        if word is None:
            return
    cell.fill = RAG_FILLS[word]
    cell.font = Font(bold=True)


def write_sheet(
    sheet: Any,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    rag_columns: Iterable[Any] = (),
    colours: dict[str, str] | None = None,
) -> None:
    """A sheet people read: the header in words (`heading`) and styled, the rows as safe
    cells (`append_row`), the cells of `rag_columns` (named as in `headers`) as ratings in
    their colours (`colour_rating`), each column as wide as its text (up to a limit)."""
    append_row(sheet, [heading(h) for h in headers])
    style_header(sheet, len(headers))
    rated = [i for i, h in enumerate(headers, start=1) if h in set(rag_columns)]
    widths = [len(str(heading(h))) for h in headers]
    for row in rows:
        append_row(sheet, row)
        for col in rated:
            colour_rating(sheet.cell(row=sheet.max_row, column=col), colours)
        for i, value in enumerate(row[: len(widths)]):
            longest = max((len(line) for line in _plain(value).splitlines()), default=0)
            widths[i] = max(widths[i], longest)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, width + 2))


def write_xlsx(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    rag_columns: Iterable[Any] = (),
    colours: dict[str, str] | None = None,
) -> bytes:
    """An Excel workbook of one sheet that people read (`write_sheet`)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    write_sheet(sheet, headers, rows, rag_columns=rag_columns, colours=colours)
    return workbook_bytes(book)


def write_table(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    *,
    rag_columns: Iterable[Any] = (),
    colours: dict[str, str] | None = None,
) -> bytes:
    """The rows as `csv` (the columns' keys, the values as they are) or `xlsx` (for people:
    `write_sheet`)."""
    if fmt == "xlsx":
        return write_xlsx(headers, rows, rag_columns=rag_columns, colours=colours)
    if fmt == "csv":
        return write_csv(headers, rows)
    raise ValueError(f"Unknown table format {fmt!r}")


def file_response(content: bytes, filename: str) -> HttpResponse:
    """A download of a file written here, its type from the name's suffix. Anything but
    letters, digits, dots, hyphens and underscores in the name becomes a hyphen."""
    stem, _, fmt = filename.rpartition(".")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "table"
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(fmt, "text/plain"))
    response["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'
    return response


def table_response(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    name: str,
    *,
    rag_columns: Iterable[Any] = (),
    colours: dict[str, str] | None = None,
) -> HttpResponse:
    """A CSV or XLSX download of the rows (CSV for a format it does not know)."""
    fmt = fmt if fmt in CONTENT_TYPES else "csv"
    content = write_table(headers, rows, fmt, rag_columns=rag_columns, colours=colours)
    return file_response(content, f"{name}.{fmt}")
