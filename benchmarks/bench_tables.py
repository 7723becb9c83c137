"""core.tables at the row limit, and with hostile workbooks: a tiny file whose sheet says it
is 16,384 columns wide and 10,000 or 1,048,576 rows long. Before core.tables, the readers
padded every row to the declared width: 10,000 such rows took 7.7 s in the dataset reader and
46 s in the plan reader, a million several minutes. No database."""

from __future__ import annotations

import io
import re
import statistics
import time
import zipfile
from collections.abc import Callable
from typing import Any

ROWS = 50_000
COLUMNS = ["indicator", "period", "value", "numerator", "denominator", "status", "agency", "note"]


def _time(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median milliseconds of `repeat` runs, and the last result (or the exception)."""
    times = []
    result: Any = None
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            result = fn()
        except Exception as exc:  # a refusal is a result too
            result = exc
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _hostile(last_row: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "title"])
    sheet.append(["A1", "A real row"])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
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
                xml = xml.replace(
                    "</sheetData>",
                    f'<row r="{last_row}"><c r="XFD{last_row}" t="inlineStr"><is><t>x</t></is>'
                    "</c></row></sheetData>",
                )
                data = xml.encode()
            target.writestr(item, data)
    return out.getvalue()


def main() -> list[str]:
    from safeboard.core.tables import read_table, write_csv, write_xlsx

    lines: list[str] = []
    for last_row in (10_000, 1_048_576):
        data = _hostile(last_row)
        ms, result = _time(lambda data=data: read_table(data, "hostile.xlsx"))
        outcome = (
            f"refused ({result})"
            if isinstance(result, Exception)
            else f"{len(result.rows)} real row"
        )
        lines.append(
            f"hostile workbook of {len(data):,} bytes declaring {last_row:,} rows x 16,384 "
            f"columns: {ms:.0f} ms, {outcome}"
        )
    rows = [
        ["CS2.3", "2016-17 Q4", "", str(n % 500), "443", "", "POL", f"=note {n}"]
        for n in range(ROWS)
    ]
    ms, csv_data = _time(lambda: write_csv(COLUMNS, rows))
    lines.append(f"write {ROWS:,} rows as CSV: {ms:.0f} ms ({len(csv_data) // 1024:,} KB)")
    ms, xlsx_data = _time(lambda: write_xlsx(COLUMNS, rows), repeat=1)
    lines.append(f"write {ROWS:,} rows as XLSX: {ms:.0f} ms ({len(xlsx_data) // 1024:,} KB)")
    ms, table = _time(lambda: read_table(csv_data, "values.csv"))
    lines.append(f"read {len(table.rows):,} rows of CSV: {ms:.0f} ms")
    ms, table = _time(lambda: read_table(xlsx_data, "values.xlsx"), repeat=1)
    lines.append(f"read {len(table.rows):,} rows of XLSX: {ms:.0f} ms")
    return lines
