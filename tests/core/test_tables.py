"""core.tables: the one reader and writer of spreadsheets. Encodings, blank rows, the row
limit (every row counts), a hostile workbook, the shape of problems, and writing: text a
spreadsheet would run as a formula never runs, and a table read back is the table written."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from safeboard.core import tables
from safeboard.core.errors import ServiceError
from safeboard.core.tables import (
    TableError,
    TableProblem,
    TableRow,
    escape,
    read_rows,
    read_table,
    require_columns,
    table_from_rows,
    unescape,
    write_csv,
    write_table,
    write_xlsx,
)

RISKY_TEXT = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(table: tables.Table) -> list[tuple[int, list[str]]]:
    return [(row.number, list(row.cells)) for row in table.rows]


# --- reading: encodings, blank rows, numbering -------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252"], ids=["UTF-8", "UTF-8 with BOM", "Windows-1252"]
)
def test_csv_in_each_encoding_excel_writes(encoding: str) -> None:
    text = "Name,Note\r\nCafé ‘Olé’,£5 – “quoted”\r\n"
    table = read_table(text.encode(encoding), "people.csv")
    assert table.header == ["name", "note"]
    assert cells(table) == [(2, ["Café ‘Olé’", "£5 – “quoted”"])]


def test_text_in_no_encoding_it_knows_is_refused() -> None:
    # 0x81 is neither UTF-8 (a lone continuation byte) nor a Windows-1252 character.
    with pytest.raises(TableError) as caught:
        read_table(b"name\r\n\x81\x81\r\n", "x.csv")
    assert str(caught.value).startswith("The file is neither UTF-8 nor Windows-1252 text")


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers() -> None:
    text = "\n ,  \nCode, Period Kind ,\nA,flow,\n\n,,\n  ,\t\nB,snapshot,extra\n"
    table = read_table(text.encode(), "x.csv")
    assert table.header_row == 3
    assert table.labels == ["Code", " Period Kind "]  # the trailing blank label is no column
    assert table.header == ["code", "period_kind"]
    assert cells(table) == [(4, ["A", "flow"]), (8, ["B", "snapshot"])]
    assert table.rows[1].fields == {"code": "B", "period_kind": "snapshot"}
    assert table.rows[1].get("period_kind") == "snapshot" and table.rows[1].get("nope") == ""


def test_a_cell_over_several_lines_is_one_row() -> None:
    """A spreadsheet numbers records, not lines: a quoted cell with a new line is one row."""
    table = read_table(b'a,b\n"one\ntwo\nthree",x\nnext,y\n', "x.csv")
    assert cells(table) == [(2, ["one\ntwo\nthree", "x"]), (3, ["next", "y"])]


def test_a_workbook_reads_its_first_sheet_as_text() -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["Ref", "Due", "Count", "Share", "Done", "Month", "When"])
    first.append([1.3, date(2017, 7, 14), 12.0, 0.25, True, date(2017, 7, 1), None])
    first.cell(row=2, column=6).number_format = "mmm-yy"
    first.append([None] * 7)
    first.append(["'=SUM(A1)", datetime(2017, 7, 14, 9, 30), -4, None, False, None, "x"])
    book.create_sheet("Second").append(["ignored"])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "plan.XLSX")
    assert table.header == ["ref", "due", "count", "share", "done", "month", "when"]
    assert cells(table) == [
        (2, ["1.3", "2017-07-14", "12", "0.25", "yes", "2017-07", ""]),
        (4, ["=SUM(A1)", "2017-07-14 09:30:00", "-4", "", "no", "", "x"]),
    ]


def test_an_uploaded_file_object_is_read_too() -> None:
    table = read_table(io.BytesIO(b"a\n1\n"), "upload.csv")
    assert cells(table) == [(2, ["1"])]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"a\n1\n", "table.pdf", "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)"),
        (b"not a zip", "table.xlsx", "The file is not an Excel workbook (.xlsx) that can be read"),
        (b"", "table.csv", "The file is empty: its first row must name the columns"),
        (b"\n,\n \n", "table.csv", "The file is empty: its first row must name the columns"),
    ],
)
def test_files_that_are_not_tables_are_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(TableError) as caught:
        read_table(data, name)
    assert str(caught.value) == message
    assert caught.value.problems == [TableProblem(None, "", message)]


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(TableError, match="too large once unpacked"):
        read_table(workbook([["a"], ["b"]]), "x.xlsx")


def test_a_csv_cell_too_long_to_read_names_its_row() -> None:
    data = b"a,b\n1,2\n3," + b"x" * 200_000 + b"\n"
    with pytest.raises(TableError) as caught:
        read_table(data, "x.csv")
    (problem,) = caught.value.problems
    assert problem.row == 3
    assert str(problem).startswith("Row 3: the file cannot be read as CSV: field larger")


# --- the row limit: every row counts -----------------------------------------------------------


@pytest.fixture
def five_rows(settings: Any) -> None:
    settings.MAX_IMPORT_ROWS = 5


def test_the_default_limit_is_fifty_thousand_rows() -> None:
    assert tables.DEFAULT_MAX_ROWS == 50_000
    assert tables.max_import_rows() == 50_000


@pytest.mark.usefixtures("five_rows")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_row_limit_counts_blank_rows(fmt: str) -> None:
    def data(body: list[list[Any]]) -> bytes:
        if fmt == "xlsx":
            return workbook([["a", "b"], *body])
        return "".join(",".join(str(c or "") for c in row) + "\n" for row in [["a", "b"], *body])

    full = [["1", "x"], [None, None], ["3", "y"], [None, None], ["5", "z"]]
    assert [r.number for r in read_table(_bytes(data(full)), f"t.{fmt}").rows] == [2, 4, 6]
    # Three rows and three blank ones under the header: six rows, one too many.
    with pytest.raises(TableError, match=r"^The file has more than 5 rows: split it$"):
        read_table(_bytes(data([*full, [None, None]])), f"t.{fmt}")


def _bytes(data: bytes | str) -> bytes:
    return data if isinstance(data, bytes) else data.encode()


@pytest.mark.usefixtures("five_rows")
def test_blank_rows_above_the_header_count_too() -> None:
    with pytest.raises(TableError, match="The first 6 rows are blank"):
        read_table(b"\n" * 6 + b"a\n1\n", "x.csv")
    assert read_table(b"\n\na\n1\n\n\n", "x.csv").rows[0].number == 4


# --- a hostile workbook: tiny file, enormous declared sheet -------------------------------------


def hostile_workbook(last_row: int, real_rows: list[list[Any]], far_cell: bool = True) -> bytes:
    """A small real workbook whose sheet says it is A1:XFD`last_row` (16,384 columns), with
    (if `far_cell`) one cell at the far corner, so a reader that trusts the sheet's size pads
    every row to 16,384 cells and walks every row up to `last_row`."""
    source = zipfile.ZipFile(io.BytesIO(workbook(real_rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(
                    r'<dimension ref="[^"]*"\s*/>',
                    f'<dimension ref="A1:XFD{last_row}"/>',
                    data.decode(),
                )
                assert f"XFD{last_row}" in xml
                if far_cell:
                    xml = xml.replace(
                        "</sheetData>",
                        f'<row r="{last_row}"><c r="XFD{last_row}" t="inlineStr">'
                        "<is><t>far away</t></is></c></row></sheetData>",
                    )
                data = xml.encode()
            target.writestr(item, data)
    return out.getvalue()


REAL = [["code", "title"], ["A1", "A real row"]]


def test_a_workbook_declaring_a_million_rows_is_refused_at_the_limit() -> None:
    data = hostile_workbook(1_048_576, REAL)
    assert len(data) < 10_000
    with pytest.raises(TableError) as caught:
        read_table(data, "hostile.xlsx")
    assert str(caught.value) == "The file has more than 50,000 rows: split it"
    with pytest.raises(TableError, match="more than 50,000 rows"):
        read_rows(data, "hostile.xlsx")


def test_a_workbook_declaring_16384_columns_gives_only_its_real_rows_and_columns() -> None:
    # Rows up to 10,000 exist (one far-away cell at XFD10000): under the limit, so the rows
    # are read, but only the header's two columns of each; the far cell is no column.
    table = read_table(hostile_workbook(10_000, REAL), "hostile.xlsx")
    assert table.header == ["code", "title"]
    assert cells(table) == [(2, ["A1", "A real row"])]
    # A declared size with nothing out there: only the rows that exist.
    table = read_table(hostile_workbook(1_048_576, REAL, far_cell=False), "hostile.xlsx")
    assert cells(table) == [(2, ["A1", "A real row"])]


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def test_a_tiny_workbook_declaring_millions_of_shared_strings_is_refused_unread() -> None:
    """The security review's finding: openpyxl reads the shared strings whole before any row
    limit applies (a 43 KB file took 21 s and 162 MB)."""
    strings = b"<si><t>x</t></si>" * (tables.MAX_SHARED_STRINGS_BYTES // 17 + 1)
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org'
        b'/spreadsheetml/2006/main">' + strings + b"</sst>"
    )
    data = _with_part(workbook(REAL), "xl/sharedStrings.xml", sst)
    assert len(data) < 100_000
    with pytest.raises(TableError, match="holds more text than an import can"):
        read_table(data, "strings.xlsx")


def test_a_row_of_too_many_cells_is_refused_unread() -> None:
    """A row of a million cells is parsed whole by openpyxl even when two columns are read."""
    row = "".join(f"<c><v>{n}</v></c>" for n in range(tables.MAX_CELLS_PER_ROW + 1))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><sheetData><row r="1"><c t="inlineStr"><is><t>code</t>'
        f'</is></c></row><row r="2">{row}</row></sheetData></worksheet>'
    ).encode()
    data = _with_part(workbook(REAL), "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(TableError, match="more than 1,000 cells"):
        read_table(data, "wide.xlsx")


def test_a_workbook_with_a_doctype_is_refused() -> None:
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]><worksheet xmlns="'
        b'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    )
    with pytest.raises(TableError, match=r"can(not)? be read"):
        read_table(_with_part(workbook(REAL), "xl/worksheets/sheet1.xml", sheet), "dtd.xlsx")


def test_a_header_wider_than_the_widest_table_is_refused() -> None:
    wide = [[f"c{n}" for n in range(tables.MAX_COLUMNS + 1)], ["x"]]
    for data, name in ((workbook(wide), "w.xlsx"), (write_csv(wide[0], [wide[1]]), "w.csv")):
        with pytest.raises(TableError, match=f"more than {tables.MAX_COLUMNS} columns"):
            read_table(data, name)


# --- problems: one shape -------------------------------------------------------------------------


def test_a_problem_names_row_column_and_problem() -> None:
    problem = TableProblem(12, "value", "value 20.1 disagrees with 87 / 443 = 19.6")
    assert (problem.row, problem.column, problem.message) == (
        12,
        "value",
        "value 20.1 disagrees with 87 / 443 = 19.6",
    )
    assert str(problem) == "Row 12: value 20.1 disagrees with 87 / 443 = 19.6"
    assert str(TableProblem(None, "", "The file is empty")) == "The file is empty"
    error = TableError([problem, TableProblem(13, "period", "period is missing")])
    assert isinstance(error, ServiceError)
    assert str(error) == (
        "Row 12: value 20.1 disagrees with 87 / 443 = 19.6; Row 13: period is missing"
    )
    assert [p.row for p in error.problems] == [12, 13]


def test_required_unknown_and_repeated_columns() -> None:
    with pytest.raises(TableError, match="no column ‘code’, ‘unit’: the first row must name"):
        require_columns(["title"], ["code", "title", "unit"], ["code", "title", "unit"])
    with pytest.raises(TableError, match=r"Safeboard does not know: ‘colour’\. Accepted: a, b"):
        require_columns(["a", "colour"], ["a"], ["a", "b"])
    with pytest.raises(TableError, match="the column ‘a’ more than once"):
        require_columns(["a", "b", "a"], ["a"], ["a", "b"])
    require_columns(["a", ""], ["a"], ["a"])  # a blank label is no column


def test_rows_given_as_data_are_numbered_as_in_a_file() -> None:
    table = table_from_rows(["Ref", "Due"], [["1", 2017], ["", None], [1.5, "x"]])
    assert table.header == ["ref", "due"]
    assert cells(table) == [(2, ["1", "2017"]), (4, ["1.5", "x"])]


def test_rows_of_a_file_whose_header_is_not_its_first_row() -> None:
    data = workbook([["Statistical neighbours"], [], ["LA number", "SN1"], [202, 0.97]])
    assert read_rows(data, "sn.xlsx") == [
        (1, ["Statistical neighbours"]),
        (3, ["LA number", "SN1"]),
        (4, ["202", "0.97"]),
    ]


# --- writing: formulas never run ----------------------------------------------------------------


def test_csv_cells_a_spreadsheet_would_run_get_an_apostrophe() -> None:
    rows = [[text, "plain"] for text in RISKY_TEXT] + [[-5, "-5"], [2.5, "'quoted'"], [None, True]]
    data = write_csv(["text", "other"], rows)
    assert data.startswith(b"\xef\xbb\xbf")
    written = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in written[1 : len(RISKY_TEXT) + 1]] == ["'" + t for t in RISKY_TEXT]
    # A number is written as a number, and a negative one is not text to escape; the
    # same characters typed as text are.
    assert written[-3:] == [["-5", "'-5"], ["2.5", "'quoted'"], ["", "yes"]]


def test_workbook_cells_are_never_formulas() -> None:
    values = [*RISKY_TEXT, "#N/A", "=1+1", "'=A1", "ok\x00\x07", -5, 2.5, None, date(2017, 7, 31)]
    data = write_xlsx(["value"], [[v] for v in values])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    got = [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)]
    assert all(data_type != "f" for _, data_type in got)
    assert got[: len(RISKY_TEXT)] == [(text, "s") for text in RISKY_TEXT]
    assert got[len(RISKY_TEXT) :] == [
        ("#N/A", "s"),
        ("=1+1", "s"),
        ("''=A1", "s"),  # the apostrophe `unescape` would take off, doubled
        ("ok", "s"),  # characters a workbook cannot hold are left out
        (-5, "n"),
        (2.5, "n"),
        (None, "n"),
        ("2017-07-31", "s"),
    ]


def test_risky_text_reads_back_exactly_from_both_formats() -> None:
    rows = [[text, "'" + text, "''" + text] for text in RISKY_TEXT] + [["'plain", "x", "-"]]
    for fmt in ("csv", "xlsx"):
        table = read_table(write_table(["a", "b", "c"], rows, fmt), f"t.{fmt}")
        assert [list(row.cells) for row in table.rows] == rows, fmt


def test_a_download_has_its_type_and_a_safe_name() -> None:
    response = tables.table_response(["a"], [["=1"]], "xlsx", 'plan "2016-19"\r\n/..')
    assert response["Content-Type"] == tables.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="plan-2016-19.xlsx"'
    response = tables.table_response(["a"], [["=1"]], "pdf", "actions")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    assert response.content.decode("utf-8-sig") == "a\r\n'=1\r\n"


# --- properties ---------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
RISKY_START = st.builds(lambda c, t: c + t, st.sampled_from([*tables.RISKY, "'", "''"]), TEXT)
CELL = st.one_of(TEXT, RISKY_START)


@given(CELL)
def test_unescape_undoes_escape(text: str) -> None:
    assert unescape(escape(text)) == text
    assert not escape(text).startswith(tables.RISKY)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6))
def test_a_csv_table_reads_back_as_written(rows: list[list[str]]) -> None:
    table = read_table(write_csv(["a", "b", "c"], rows), "t.csv")
    assert [list(r.cells) for r in table.rows] == [r for r in rows if any(c.strip() for c in r)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELL, min_size=2, max_size=2), max_size=5))
def test_a_workbook_table_reads_back_as_written(rows: list[list[str]]) -> None:
    """Exactly, but for the characters a workbook cannot hold."""
    table = read_table(write_xlsx(["a", "b"], rows), "t.xlsx")
    legal = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in r] for r in rows]
    assert [list(r.cells) for r in table.rows] == [r for r in legal if any(c.strip() for c in r)]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_a_table_or_a_reason(data: bytes) -> None:
    for name in ("x.csv", "x.xlsx"):
        try:
            table = read_table(data, name)
        except TableError as exc:
            assert exc.problems and all(isinstance(p, TableProblem) for p in exc.problems)
        else:
            assert all(isinstance(row, TableRow) and row.number > 1 for row in table.rows)


def test_a_workbook_names_its_columns_in_words_and_colours_ratings() -> None:
    """A workbook is read by people: a column key is written as words (which `column_name`
    reads back as the key, so an exported file imports again), the header row stands out and
    stays in view, and a rating is written as its word in its colour. A header that is not a
    key (a label someone wrote, a formula) is left as it is."""
    data = tables.write_xlsx(
        ["source_details", "status", "Agency", "=1+1", "rag"],
        [["a", "amber", "x", "y", "R"], ["b", "Complete", "x", "y", "g"]],
        rag_columns=("status", "rag"),
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header == ["Source details", "Status", "Agency", "=1+1", "Rag"]
    assert sheet["D1"].data_type == "s"
    assert [tables.column_name(h) for h in header[:2]] == ["source_details", "status"]
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("1D5C63")
    assert sheet.freeze_panes == "A2"
    assert (sheet["B2"].value, sheet["B2"].fill.fgColor.rgb[-6:]) == ("Amber", "FFF2CC")
    assert (sheet["E2"].value, sheet["E2"].fill.fgColor.rgb[-6:]) == ("Red", "F4CDC6")
    assert (sheet["E3"].value, sheet["E3"].fill.fgColor.rgb[-6:]) == ("Green", "CCE2D8")
    assert sheet["B3"].value == "Complete" and sheet["B3"].fill.fill_type is None
    # Only the rating columns are coloured.
    data = tables.write_xlsx(["note"], [["red"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].value == "red" and sheet["A2"].fill.fill_type is None
