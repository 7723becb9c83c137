"""Import of the DfE Local Authority Interactive Tool (LAIT) data: national comparators for
England, every region and every local authority, once per installation.

The data file is LAIT's long format (`bds_long`, CSV, gzipped or not) with the columns
`Short Desc` (measure code), `Data item` (measure name), `Years` (period label),
`LA and Regions` (area name), `Values` (a number, or `-` for not available), `LA Number` and
`Region`. Period labels are read by each measure's `Year_Type` from the data dictionary
(`core.periods.parse_year_type_label`): a bare `2017` is the financial year 2016-17 for a
financial-year measure, a snapshot at 31 March 2017 for an `Annual` count such as
`CPP_rate`, the academic year 2016/17 for an academic measure. Revised figures (`(Rev)`,
`(Final)`, `(OT)`) replace earlier ones for the same period; provisional ones (`(prov)`) are
kept only until then.

The import replaces the figures of every measure in the file, in one transaction, with one
bulk insert: it is built to take a few seconds for the 641,070 rows DfE publishes.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction

from safeboard.core.errors import ServiceError
from safeboard.core.periods import PeriodError, parse_year_type_label
from safeboard.core.tables import TableError, read_rows

from .models import (
    AreaKind,
    ComparatorArea,
    ComparatorImport,
    ComparatorPeriod,
    ComparatorValue,
    Measure,
    Polarity,
    StatisticalNeighbour,
)

REQUIRED = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number"]
# Later revisions win: provisional < first publication < outturn < revised < final.
REVISIONS = {"prov": 0, "": 1, "ot": 2, "rev": 3, "final": 4}
_SUFFIX = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")
POLARITIES = {"high": Polarity.HIGH, "low": Polarity.LOW}
INSERT_BATCH = 50_000


@dataclass
class ImportReport:
    rows_read: int = 0
    values: int = 0
    measures: int = 0
    areas: int = 0
    neighbours: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    record: ComparatorImport | None = None

    def lines(self) -> list[str]:
        lines = [
            f"Read {self.rows_read:,} rows: {self.values:,} figures for {self.measures:,} "
            f"measures and {self.areas:,} areas",
        ]
        if self.neighbours:
            lines.append(f"Statistical neighbours: {self.neighbours:,} links")
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"Skipped {count:,} rows: {reason}")
        return lines


@dataclass(frozen=True)
class DictionaryEntry:
    name: str
    polarity: str
    unit: str
    decimals: int | None
    year_type: str
    description: str
    source: str


def _open_text(path: Path) -> IO[str]:
    if not path.exists():
        raise ServiceError(f"{path} does not exist")
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_dictionary(path: Path) -> dict[str, DictionaryEntry]:
    """The LAIT data dictionary, by measure code (`Measure_short`); the first entry wins."""
    entries: dict[str, DictionaryEntry] = {}
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        needed = {"Measure_short", "Year_Type"}
        if not needed <= set(reader.fieldnames or []):
            raise ServiceError(
                f"{path.name} is not a LAIT data dictionary: it needs the columns "
                "Measure_short and Year_Type"
            )
        for row in reader:
            code = (row.get("Measure_short") or "").strip()
            if not code or code in entries:
                continue
            dps = (row.get("dps") or "").strip()
            entries[code] = DictionaryEntry(
                name=(row.get("Measure") or "").strip()[:400],
                polarity=POLARITIES.get((row.get("Polarity") or "").strip().lower(), "none"),
                unit=(row.get("y_axis_name") or "").strip()[:120],
                decimals=int(dps) if dps.isdigit() else None,
                year_type=(row.get("Year_Type") or "").strip()[:40],
                description=(row.get("Description") or "").strip(),
                source=(row.get("Data Owner (DO) /Supplier and Contact Details") or "").strip(),
            )
    return entries


def split_revision(label: str) -> tuple[str, str]:
    """'2025 (prov)' -> ('2025', 'prov'); '2024' -> ('2024', '')."""
    match = _SUFFIX.match(label)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    return label.strip(), ""


def _area_number(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def _region_key(name: str) -> str:
    """An LA's region as DfE names regions: 'Inner London' LAs are in London."""
    words = re.sub(r"[()]", " ", name.lower()).split()
    words = [w for w in words if w not in {"inner", "outer"}]
    return " ".join(words)


def _rows(path: Path) -> Iterator[list[str]]:
    with _open_text(path) as handle:
        yield from csv.reader(handle)


@transaction.atomic
def import_lait(
    path: Path,
    *,
    dictionary: Path | None = None,
    neighbours: Path | None = None,
    measures: set[str] | None = None,
    progress: Callable[[str], Any] | None = None,
) -> ImportReport:
    """Import `path` (and the dictionary and statistical neighbours, when given); replace
    the figures of every measure it holds. `measures` limits the import to those codes."""
    report = ImportReport()
    entries = read_dictionary(dictionary) if dictionary else {}
    rows = _rows(path)
    header = next(rows, None)
    if header is None:
        raise ServiceError(f"{path.name} is empty")
    header = [h.strip() for h in header]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ServiceError(
            f"{path.name} is not LAIT long-format data: it has no column "
            + ", ".join(f"‘{m}’" for m in missing)
        )
    i_code, i_years, i_area, i_value, i_number = (header.index(name) for name in REQUIRED)
    i_item = header.index("Data item") if "Data item" in header else None
    i_region = header.index("Region") if "Region" in header else None

    known = {m.code: m for m in Measure.objects.all()}
    names: dict[str, str] = {}
    areas: dict[int, tuple[str, str]] = {}
    # measure -> label -> (canonical period, period end, revision rank, revision), or None
    period_cache: dict[str, dict[str, tuple[str, date, int, str] | None]] = {}
    best: dict[tuple[str, str, int], tuple[int, float | None, str, date]] = {}
    skipped: dict[str, int] = defaultdict(int)
    year_types: dict[str, str] = {}

    # The loop runs 641,070 times: state that changes rarely (the measure, its periods, the
    # area numbers) is looked up once and kept in locals.
    numbers: dict[str, int | None] = {}
    current_code = None
    periods_of_code: dict[str, tuple[str, date, int, str] | None] = {}
    year_type = ""
    read = 0
    for row in rows:
        read += 1
        try:
            code = row[i_code]
            label = row[i_years]
            raw_value = row[i_value]
            number_text = row[i_number]
        except IndexError:
            skipped["the row has too few columns"] += 1
            continue
        if code != current_code:
            if measures is not None and code not in measures:
                continue
            current_code = code
            if code not in names:
                item = row[i_item].strip() if i_item is not None and i_item < len(row) else ""
                names[code] = item
                entry = entries.get(code)
                existing = known.get(code)
                year_types[code] = (
                    entry.year_type if entry else existing.year_type if existing else ""
                )
            year_type = year_types[code]
            periods_of_code = period_cache.setdefault(code, {})
        if not names[code] and i_item is not None and i_item < len(row):
            names[code] = row[i_item].strip()
        number = numbers.get(number_text, -1)
        if number == -1:
            number = numbers[number_text] = _area_number(number_text)
        if number is None:
            skipped["no LA number"] += 1
            continue
        if number not in areas:
            region = row[i_region].strip() if i_region is not None and i_region < len(row) else ""
            areas[number] = (row[i_area].strip(), region)
        mapped = periods_of_code.get(label, False)
        if mapped is False:
            mapped = periods_of_code[label] = _period(label, year_type)
        if mapped is None:
            skipped[f"period ‘{label}’ could not be read"] += 1
            continue
        canonical, end, rank, revision = mapped  # type: ignore[misc]
        if raw_value == "-" or not raw_value:
            value = None
        else:
            try:
                value = float(raw_value)
            except ValueError:
                skipped["a value that is not a number or ‘-’"] += 1
                continue
        slot = (code, canonical, number)
        previous = best.get(slot)
        if previous is None or rank >= previous[0]:
            best[slot] = (rank, value, revision, end)
    report.rows_read = read

    if progress:
        progress(f"Read {report.rows_read:,} rows; writing {len(best):,} figures")
    area_ids, kinds = _save_areas(areas)
    measure_ids = _save_measures(names, entries, year_types, known)
    _replace_values(best, measure_ids, area_ids, kinds)
    if neighbours is not None:
        report.neighbours = import_neighbours(neighbours)
    report.values = len(best)
    report.measures = len(measure_ids)
    report.areas = len(areas)
    report.skipped = dict(skipped)
    report.record = ComparatorImport.objects.create(
        source=path.name,
        neighbour_model=neighbours.name if neighbours else "",
        rows_read=report.rows_read,
        values=report.values,
        measures=report.measures,
        areas=report.areas,
        skipped=[f"{count} rows: {reason}" for reason, count in sorted(skipped.items())],
    )
    return report


def _period(label: str, year_type: str) -> tuple[str, date, int, str] | None:
    base, suffix = split_revision(label)
    rank = REVISIONS.get(suffix.lower())
    if rank is None:
        return None
    try:
        period = parse_year_type_label(base, year_type)
    except PeriodError:
        return None
    return period.label, period.end, rank, suffix


def _save_areas(areas: dict[int, tuple[str, str]]) -> tuple[dict[int, int], dict[int, str]]:
    existing = {a.la_number: a for a in ComparatorArea.objects.all()}
    kinds: dict[int, str] = {}
    for number, (name, region) in areas.items():
        if name.lower() == "england":
            kind = AreaKind.ENGLAND
        elif region.upper() in {"", "NA"}:
            kind = AreaKind.REGION
        else:
            kind = AreaKind.LA
        kinds[number] = kind
        area = existing.get(number)
        if area is None:
            existing[number] = ComparatorArea.objects.create(la_number=number, name=name, kind=kind)
        elif (area.name, area.kind) != (name, kind):
            area.name, area.kind = name, kind
            area.save(update_fields=["name", "kind"])
    regions = {a.name.lower(): a for a in existing.values() if a.kind == AreaKind.REGION}
    for number, (_, region) in areas.items():
        if kinds[number] != AreaKind.LA:
            continue
        region_area = regions.get(region.lower()) or regions.get(_region_key(region))
        area = existing[number]
        if region_area is not None and area.region_id != region_area.pk:
            area.region = region_area
            area.save(update_fields=["region"])
    return {number: area.pk for number, area in existing.items()}, {
        number: area.kind for number, area in existing.items()
    }


def _save_measures(
    names: dict[str, str],
    entries: dict[str, DictionaryEntry],
    year_types: dict[str, str],
    known: dict[str, Measure],
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for code, item in names.items():
        entry = entries.get(code)
        measure = known.get(code) or Measure(code=code)
        if entry is not None:
            measure.name = entry.name or item[:400]
            measure.polarity = entry.polarity
            measure.unit = entry.unit
            measure.decimals = entry.decimals
            measure.description = entry.description
            measure.source = entry.source
        elif item and not measure.name:
            measure.name = item[:400]
        measure.year_type = year_types.get(code, "")
        measure.save()
        ids[code] = measure.pk
    return ids


def _replace_values(
    best: dict[tuple[str, str, int], tuple[int, float | None, str, date]],
    measure_ids: dict[str, int],
    area_ids: dict[int, int],
    kinds: dict[int, str],
) -> None:
    ids = list(measure_ids.values())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        ComparatorValue.objects.filter(measure_id__in=chunk).delete()
        ComparatorPeriod.objects.filter(measure_id__in=chunk).delete()
    table = ComparatorValue._meta.db_table
    sql = (
        f"INSERT INTO {table} (measure_id, period, area_id, period_end, value, revision) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    iso = connection.vendor == "sqlite"
    la_values: dict[tuple[int, str], list[float]] = defaultdict(list)
    ends: dict[tuple[int, str], date] = {}
    written: dict[date, date | str] = {}  # SQLite is given dates as text, once per date
    is_la = {number for number, kind in kinds.items() if kind == AreaKind.LA}
    params = []
    for (code, period, number), (_, value, revision, end) in best.items():
        measure_id = measure_ids[code]
        stored = written.get(end)
        if stored is None:
            stored = written[end] = end.isoformat() if iso else end
        params.append((measure_id, period, area_ids[number], stored, value, revision))
        if (measure_id, period) not in ends:
            ends[(measure_id, period)] = end
        if value is not None and number in is_la:
            la_values[(measure_id, period)].append(value)
    # In key order, so the key's index grows at its end.
    params.sort()  # the first three make the key: later items are never compared
    with connection.cursor() as cursor:
        for start in range(0, len(params), INSERT_BATCH):
            cursor.executemany(sql, params[start : start + INSERT_BATCH])
    ComparatorPeriod.objects.bulk_create(
        [
            ComparatorPeriod(
                measure_id=measure_id,
                period=period,
                period_end=end,
                la_values=sorted(la_values.get((measure_id, period), [])),
            )
            for (measure_id, period), end in ends.items()
        ],
        batch_size=2000,
    )


def import_neighbours(path: Path) -> int:
    """Replace the statistical neighbours of every LA in a DfE statistical neighbour workbook
    (a sheet with `LA number` and `SN1` to `SN10` columns, closeness after each)."""
    if not path.exists():
        raise ServiceError(f"{path} does not exist")
    try:
        # core.tables: only the first columns are read, whatever size the sheet declares.
        records = [cells for _, cells in read_rows(path.read_bytes(), path.name)]
    except TableError as exc:
        raise ServiceError(f"{path.name} could not be read as an Excel workbook: {exc}") from exc
    header_index = next(
        (i for i, record in enumerate(records[:20]) if "SN1" in [c.strip() for c in record]),
        None,
    )
    if header_index is None:
        raise ServiceError(f"{path.name} has no row naming the columns SN1 to SN10")
    header = [c.strip() for c in records[header_index]]
    number_col = next(
        (i for i, name in enumerate(header) if name.lower() in {"la number", "la num"}), None
    )
    if number_col is None:
        raise ServiceError(f"{path.name} has no ‘LA number’ column")
    sn_cols = []
    for position in range(1, 11):
        name = f"SN{position}"
        if name not in header:
            raise ServiceError(f"{path.name} has no {name} column")
        sn_cols.append((position, header.index(name)))
    areas = {a.la_number: a for a in ComparatorArea.objects.all()}
    links: list[StatisticalNeighbour] = []
    covered: set[int] = set()
    for record in records[header_index + 1 :]:
        if number_col >= len(record) or record[number_col] in (None, ""):
            continue
        number = _area_number(str(record[number_col]))
        if number is None:
            continue
        area = areas.get(number) or ComparatorArea.objects.create(
            la_number=number,
            name=str(record[1] or number) if len(record) > 1 else str(number),
            kind=AreaKind.LA,
        )
        areas[number] = area
        covered.add(area.pk)
        for position, col in sn_cols:
            cell = record[col] if col < len(record) else None
            neighbour_number = _area_number(str(cell)) if cell not in (None, "") else None
            if neighbour_number is None:
                continue
            neighbour = areas.get(neighbour_number) or ComparatorArea.objects.create(
                la_number=neighbour_number, name=str(neighbour_number), kind=AreaKind.LA
            )
            areas[neighbour_number] = neighbour
            closeness = record[col + 1] if col + 1 < len(record) else ""
            links.append(
                StatisticalNeighbour(
                    area=area,
                    neighbour=neighbour,
                    position=position,
                    closeness=str(closeness or "").strip()[:30],
                )
            )
    StatisticalNeighbour.objects.filter(area_id__in=covered).delete()
    StatisticalNeighbour.objects.bulk_create(links)
    return len(links)
