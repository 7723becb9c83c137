"""Build the DfE LAIT extract committed in safeboard/performance/data/lait/ from the full files.

    .venv/bin/python scripts/lait_extract.py [--source DIR] [--target DIR]

`--source` is the folder of the full national files (default: `../shared/data/lait/` beside
the project); `--target` the extract's folder (default: `safeboard/performance/data/lait/`).
It keeps what the demo and the tests need, and nothing else:

- `bds_long.csv.gz`: the rows of the measures below. The demo's measures keep every area and
  every period: the scorecard ranks the partnership among every LA and gives its quartile, the
  comparators page ranks every LA for any period, and the indicator chart draws England, the
  region and the statistical neighbours over every period. The measures the import tests read
  only for their period labels keep England, the regions, and the demo's LA with its
  statistical neighbours.
- `lait_data_dictionary.csv`: the rows of those measures (both, where DfE lists one twice).
- `sn_may_2025.xlsx`, `sn_april_2021.xlsx`: the title rows, the header row, the rows of the LAs
  below, and the rows without an LA number (blank lines and the "Old SNs:" label); the other
  LAs' rows are deleted.

Rows are copied byte for byte and in their order (CSV records are not rewritten), and the
output is deterministic (gzip without a name or time, the workbooks' zip entries with a fixed
date and their original modification time), so running the script again on the same files
leaves `git status` clean.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import load_workbook

PROJECT = Path(__file__).resolve().parents[1]
SOURCE = PROJECT.parent / "shared" / "data" / "lait"
TARGET = PROJECT / "safeboard" / "performance" / "data" / "lait"

# The national measures the demo's indicators compare with (`national=` in
# safeboard/performance/demo.py): every area, every period.
DEMO_MEASURES = (
    "CPP_Total_Rateper10,000",
    "ReReferral",  # also the ranking test
    "Continue_Assess_Comp",
    "CPP_rate",  # also the import, area, command and demo tests
    "CP_conf_15days",
    "CPPlans2yrsActive",
    "LAC",
    "CIN",
    "LACHealth%",
    "Work_Force_AvgNumCase_SW",  # also the year types test: Annual (end of Sept)
    "Work_Force_TO_Rate",
    "FirstYJS",
)
# Measures tests/performance/test_lait.py (SLICE) reads for how their periods are written:
# England, the regions, and the demo's LA and its statistical neighbours.
LABEL_MEASURES = (
    "HE_19_All",  # Academic Year, written 2015-16
    "KS1P_all",  # Academic Year, with a provisional year
    "A3A",  # Academic Year, revised and final years
    "RTA",  # Calendar Year spans: 2014-16
    "Hosp_Adm_Alc_<18yrs",  # Financial Year spans written 2013/14-15/16
    "CINPermExclusion",  # a junk year '0'
)
# Northdale, the demo partnership, borrows Wigan's DfE number (safeboard/partnership/demo.py).
DEMO_LA = 359
NEIGHBOURS = "sn_may_2025.xlsx"  # the model the demo imports
# The rows each statistical neighbour workbook keeps, by LA number.
NEIGHBOUR_ROWS = {
    "sn_may_2025.xlsx": {DEMO_LA},  # the demo, and the area and command tests
    # Camden: the neighbours-alone test; Cumberland: an LA whose neighbours are all '-'.
    "sn_april_2021.xlsx": {202, 942},
}
BDS = "bds_long.csv.gz"
DICTIONARY = "lait_data_dictionary.csv"
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def records(handle: io.TextIOBase | Iterable[str]) -> Iterator[tuple[list[str], str]]:
    """Each CSV record of `handle` with its text exactly as written (a quoted field may span
    lines)."""
    lines: list[str] = []

    def feed() -> Iterator[str]:
        for line in handle:
            lines.append(line)
            yield line

    for row in csv.reader(feed()):
        yield row, "".join(lines)
        lines.clear()


def la_number(text: object) -> int | None:
    try:
        return int(float(str(text)))
    except ValueError:
        return None


def neighbours_of(path: Path, number: int) -> set[int]:
    """The statistical neighbours (SN1 to SN10) of LA `number` in a DfE workbook."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    header_at = next(i for i, row in enumerate(rows) if "SN1" in row)
    header = [str(cell) for cell in rows[header_at]]
    columns = [header.index(f"SN{n}") for n in range(1, 11)]
    for row in rows[header_at + 1 :]:
        if la_number(row[0]) == number:
            return {n for n in (la_number(row[c]) for c in columns) if n is not None}
    raise SystemExit(f"{path.name} has no row for LA {number}")


def extract_bds(source: Path, target: Path, few_areas: set[int]) -> tuple[int, int]:
    """Copy the rows of DEMO_MEASURES (every area) and LABEL_MEASURES (`few_areas`)."""
    demo, labels = set(DEMO_MEASURES), set(LABEL_MEASURES)
    kept = read = 0
    found: set[str] = set()
    out = io.BytesIO()
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        rows = records(handle)
        header, text = next(rows)
        out.write(text.encode("utf-8"))
        code_at, number_at = header.index("Short Desc"), header.index("LA Number")
        for row, text in rows:
            read += 1
            code = row[code_at]
            if code in demo or (code in labels and la_number(row[number_at]) in few_areas):
                out.write(text.encode("utf-8"))
                found.add(code)
                kept += 1
    missing = (demo | labels) - found
    if missing:
        raise SystemExit(f"{source.name} has no rows for {', '.join(sorted(missing))}")
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as zipped,
    ):
        zipped.write(out.getvalue())
    return read, kept


def few_areas_of(source: Path, demo_neighbours: set[int]) -> set[int]:
    """England, the regions (rows without a region), the demo's LA and its neighbours."""
    areas = {DEMO_LA, *demo_neighbours}
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if row["Region"].strip().upper() in {"", "NA"} or row["LA and Regions"] == "England":
                number = la_number(row["LA Number"])
                if number is not None:
                    areas.add(number)
    return areas


def extract_dictionary(source: Path, target: Path) -> int:
    wanted = set(DEMO_MEASURES) | set(LABEL_MEASURES)
    kept = 0
    with source.open(encoding="utf-8", newline="") as handle:
        rows = records(handle)
        header, text = next(rows)
        parts = [text]
        code_at = header.index("Measure_short")
        for row, text in rows:
            if len(row) > code_at and row[code_at] in wanted:
                parts.append(text)
                kept += 1
    target.write_bytes("".join(parts).encode("utf-8"))
    return kept


def extract_neighbours(source: Path, target: Path, keep: set[int]) -> int:
    """Delete the rows of LAs not in `keep`, leaving the rest of the workbook as it was."""
    workbook = load_workbook(source)
    sheet = workbook.worksheets[0]
    modified = workbook.properties.modified
    header_at = next(
        row[0].row
        for row in sheet.iter_rows()
        if "SN1" in [cell.value for cell in row]  # the header is the third row
    )
    drop = [
        row[0].row
        for row in sheet.iter_rows(min_row=header_at + 1)
        if (number := la_number(row[0].value)) is not None and number not in keep
    ]
    for index in reversed(drop):  # from the bottom, so the indexes stay right
        sheet.delete_rows(index)
    kept = sum(
        1 for row in sheet.iter_rows(min_row=header_at + 1) if la_number(row[0].value) is not None
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    _fix_zip(buffer.getvalue(), target, modified.isoformat() + "Z" if modified else None)
    return kept


def _fix_zip(data: bytes, target: Path, modified: str | None) -> None:
    """Rewrite the workbook's zip with fixed entry dates and its original modification time
    (openpyxl writes the time of saving), so that the same input gives the same bytes."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml" and modified:
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + modified.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(item.filename, date_time=FIXED_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, content)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"default: {SOURCE}")
    parser.add_argument("--target", type=Path, default=TARGET, help=f"default: {TARGET}")
    args = parser.parse_args(argv)
    source, target = args.source, args.target
    needed = [BDS, DICTIONARY, *NEIGHBOUR_ROWS]
    missing = [name for name in needed if not (source / name).exists()]
    if missing:
        raise SystemExit(
            f"lait_extract: {', '.join(missing)} not found in {source}: give the folder of the "
            "full DfE LAIT files with --source"
        )
    target.mkdir(parents=True, exist_ok=True)
    demo_neighbours = neighbours_of(source / NEIGHBOURS, DEMO_LA)
    few = few_areas_of(source / BDS, demo_neighbours)
    read, kept = extract_bds(source / BDS, target / BDS, few)
    print(f"{BDS}: {kept:,} of {read:,} rows ({len(few)} areas for the label measures)")
    print(f"{DICTIONARY}: {extract_dictionary(source / DICTIONARY, target / DICTIONARY)} rows")
    for name, keep in NEIGHBOUR_ROWS.items():
        print(f"{name}: {extract_neighbours(source / name, target / name, keep)} LA rows")
    total = sum(path.stat().st_size for path in target.iterdir() if path.is_file())
    print(f"{target}: {total / 1024:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
