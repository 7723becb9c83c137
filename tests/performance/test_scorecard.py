"""Scorecards: the figure as at the end of the period, target, RAG and its override, trend,
recent values, national comparators, the public edition, and a constant number of queries."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from safeboard.core import tenancy
from safeboard.core.periods import parse_period
from safeboard.performance import exports, selectors, services
from safeboard.performance.lait import import_lait
from safeboard.performance.selectors import SCORECARD_KEYS

from .conftest import indicator, put

HEADER = ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"]


def write_lait(folder: Path, measures: dict[str, dict[str, float | None]]) -> Path:
    """A LAIT long-format file: for each measure, a figure per area for the year 2025
    (England 970, North West 981, Alpha's area 909, its neighbours 901-903, others)."""
    areas = [
        ("England", 970, "NA"),
        ("North West", 981, "NA"),
        ("Alpha", 909, "North West"),
        ("Near One", 901, "North West"),
        ("Near Two", 902, "North West"),
        ("Near Three", 903, "Yorkshire and The Humber"),
        ("Far Away", 904, "Inner London"),
    ]
    path = folder / "bds_long.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for code, by_area in measures.items():
            for name, number, region in areas:
                value = by_area.get(name)
                writer.writerow(
                    [
                        code,
                        f"{code} measure",
                        "2025",
                        name,
                        "-" if value is None else value,
                        f"{number}.0",
                        region,
                    ]
                )
    return path


def write_neighbours(folder: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["A", "B", "C"])
    sheet.append([1, 2, 3])
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for n in range(1, 11):
        header += [f"SN{n}", "SNP"]
    sheet.append(header)
    row: list[Any] = [909, "Alpha", 909, 1, "North West"]
    for n in range(10):
        row += [901 + n if n < 3 else None, "Close"]
    sheet.append(row)
    path = folder / "sn.xlsx"
    workbook.save(path)
    return path


def write_dictionary(folder: Path, codes: list[str], year_type: str = "Annual") -> Path:
    path = folder / "dictionary.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Measure_code",
                "Measure_short",
                "Measure",
                "Polarity",
                "dps",
                "Year_Type",
                "y_axis_name",
            ]
        )
        for n, code in enumerate(codes):
            writer.writerow([n, code, f"{code} in full", "Low", "1", year_type, "Rate"])
    return path


@pytest.fixture
def national(tmp_path: Path) -> None:
    figures = {
        "England": 42.0,
        "North West": 50.0,
        "Alpha": 38.0,
        "Near One": 30.0,
        "Near Two": 40.0,
        "Near Three": None,
        "Far Away": 60.0,
    }
    data = write_lait(tmp_path, {"CPP_rate": figures})
    import_lait(
        data,
        dictionary=write_dictionary(tmp_path, ["CPP_rate"]),
        neighbours=write_neighbours(tmp_path),
    )


def test_a_row_has_value_target_rag_trend_and_comparators(
    alpha: Any, police: Any, population: None, national: None
) -> None:
    cpp = indicator(
        alpha,
        "CP1",
        title="Child protection plans per 10,000",
        unit="rate_per_10000",
        decimals=1,
        polarity="low",
        period_kind="snapshot",
        national_code="CPP_rate",
        target=(40.0, 40.0),
        owner=police,
    )
    put(alpha, cpp, "2025-12-31", numerator=230)  # 46.0 per 10,000
    put(alpha, cpp, "2026-03-31", numerator=215)  # 43.0
    with tenancy.partnership_scope(alpha):
        card = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
    (row,) = card.rows
    assert row.as_dict() == {
        "indicator": "CP1",
        "title": "Child protection plans per 10,000",
        "unit": "rate_per_10000",
        "period": "2026-03-31",
        "value": 43.0,
        "raw_value": pytest.approx(43.0),
        "status": "",
        "target": "40",
        "rag": "A",  # above 40 but within 10% (44)
        "rag_overridden": False,
        "previous_period": "2025-12-31",
        "previous_value": 46.0,
        "trend": "improving",
        "england": 42.0,
        "region": 50.0,
        "statistical_neighbours": 35.0,  # the mean of the two neighbours with a figure
        "rank": 3,  # among 30, 40, 60 (its own LA's published 38 is left out): 30, 40, 43
        "quartile": "C",
    }
    assert list(row.as_dict()) == SCORECARD_KEYS
    assert row.comparison is not None and row.comparison.period == "2025-03-31"


def test_missing_figures_and_reasons_are_never_blank(alpha: Any) -> None:
    a = indicator(alpha, "A1")
    b = indicator(alpha, "B1")
    put(alpha, b, "2025-26 Q4", status="tbc")
    with tenancy.partnership_scope(alpha):
        card = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
    by_code = {r.indicator.code: r.as_dict() for r in card.rows}
    assert (by_code["A1"]["value"], by_code["A1"]["status"]) == ("x", "x")
    assert (by_code["B1"]["value"], by_code["B1"]["status"]) == ("tbc", "tbc")
    assert a.pk


def test_an_override_replaces_the_rating_and_says_so(alpha: Any, alice: Any) -> None:
    ind = indicator(alpha, "O1", unit="percent", polarity="high", target=(85.0, 85.0))
    put(alpha, ind, "2025-26 Q4", 80)
    with tenancy.partnership_scope(alpha):
        with pytest.raises(services.ServiceError, match="reason"):
            services.override_rag(ind, period="2025-26 Q4", rag="G", reason="  ")
        services.override_rag(ind, period="2025-26 Q4", rag="G", reason="Small numbers", user=alice)
        (row,) = selectors.scorecard(alpha, parse_period("2025-26 Q4")).rows
    assert (row.computed_rag, row.rag, row.as_dict()["rag_overridden"]) == ("A", "G", True)


def test_the_value_is_the_last_period_of_each_frequency_ending_by_the_period_end(
    alpha: Any,
) -> None:
    month = indicator(alpha, "M1", frequency="monthly")
    year = indicator(alpha, "Y1", frequency="annual")
    put(alpha, month, "2026-03", 7)
    put(alpha, year, "2024-25", 9)
    with tenancy.partnership_scope(alpha):
        card = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
        later = selectors.scorecard(alpha, parse_period("2026-27 Q1"))
    assert {r.indicator.code: (r.period.label, r.raw) for r in card.rows} == {
        "M1": ("2026-03", 7),
        "Y1": ("2025-26", None),
    }
    assert {r.indicator.code: r.period.label for r in later.rows} == {
        "M1": "2026-06",
        "Y1": "2025-26",
    }


def test_the_public_edition_suppresses_small_numbers(alpha: Any) -> None:
    count = indicator(alpha, "C1")
    share = indicator(alpha, "S1", unit="percent", target=(50.0, 50.0))
    put(alpha, count, "2025-26 Q4", 3)
    put(alpha, count, "2025-26 Q3", 30)
    put(alpha, share, "2025-26 Q4", numerator=4, denominator=10)
    with tenancy.partnership_scope(alpha):
        internal = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
        public = selectors.scorecard(alpha, parse_period("2025-26 Q4"), public=True)
    assert [r.as_dict()["value"] for r in internal.rows] == [3, 40.0]
    for row in public.rows:
        record = row.as_dict()
        assert (record["value"], record["raw_value"], record["status"]) == ("c", None, "c")
        assert record["rag"] is None and record["trend"] is None
    records = exports.scorecard_records(public)
    assert all(r["raw_value"] is None for r in records)


def test_the_number_of_queries_does_not_grow_with_the_indicators(
    alpha: Any, population: None, national: None
) -> None:
    def build(n: int, start: int) -> None:
        for i in range(start, start + n):
            ind = indicator(
                alpha,
                f"Q{i}",
                unit="rate_per_10000",
                national_code="CPP_rate",
                period_kind="snapshot",
                target=(40.0, 40.0),
                polarity="low",
            )
            for period in ("2025-09-30", "2025-12-31", "2026-03-31"):
                put(alpha, ind, period, numerator=200 + i)

    def count() -> int:
        with tenancy.partnership_scope(alpha), CaptureQueriesContext(connection) as queries:
            card = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
            assert all(r.comparison is not None for r in card.rows)
        return len(queries)

    build(3, 0)
    few = count()
    build(27, 3)
    many = count()
    assert few == many, f"{few} queries for 3 indicators, {many} for 30"


def test_exports_in_csv_and_excel(alpha: Any, police: Any) -> None:
    ind = indicator(
        alpha,
        "E1",
        unit="percent",
        decimals=1,
        owner=police,
        polarity="high",
        target=(80.0, 80.0),
    )
    put(alpha, ind, "2025-26 Q4", numerator=87, denominator=443)
    with tenancy.partnership_scope(alpha):
        card = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
    records = list(csv.DictReader(io.StringIO(exports.scorecard_csv(card).decode("utf-8-sig"))))
    assert records[0]["indicator"] == "E1" and records[0]["value"] == "19.6"
    assert records[0]["rag"] == "R" and records[0]["owner"] == "POL"
    workbook = load_workbook(io.BytesIO(exports.scorecard_xlsx(card)))
    sheet = workbook["Scorecard"]
    header = [c.value for c in sheet[1]]
    # People read the workbook: the columns in words, the rating in words and its colour.
    assert header[: len(SCORECARD_KEYS)] == [exports.HEADINGS[k] for k in SCORECARD_KEYS]
    assert "previous_value" not in header and "Previous value" in header
    value = sheet.cell(row=2, column=header.index("Value") + 1)
    assert value.value == 19.6 and value.number_format == "#,##0.0"
    rating = sheet.cell(row=2, column=header.index("Rating") + 1)
    assert rating.value == "Red" and rating.fill.fgColor.rgb.endswith("F4CDC6")
    about = {r[0].value: r[1].value for r in workbook["About"].iter_rows()}
    assert about["Edition"].startswith("Internal")


def test_the_scorecard_command_prints_json_and_csv(alpha: Any, capsys: Any) -> None:
    ind = indicator(alpha, "J1", themes=["Early help"])
    indicator(alpha, "J2")
    put(alpha, ind, "2025-26 Q4", 12)
    call_command(
        "scorecard", "--partnership", "alpha", "--period", "2025-26 Q4", "--theme", "early help"
    )
    data = json.loads(capsys.readouterr().out)
    assert [list(d) for d in data] == [SCORECARD_KEYS]
    assert data[0]["indicator"] == "J1" and data[0]["value"] == 12
    call_command(
        "scorecard",
        "--partnership",
        "alpha",
        "--period",
        "2025-26 Q4",
        "--format",
        "csv",
        "--public",
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("indicator,title,unit,period,value")
    assert len(lines) == 3


def test_the_exception_report_is_red_and_declining_amber(alpha: Any) -> None:
    red = indicator(alpha, "R1", unit="percent", polarity="high", target=(90.0, 90.0))
    amber_worse = indicator(alpha, "A1", unit="percent", polarity="high", target=(90.0, 90.0))
    amber_better = indicator(alpha, "A2", unit="percent", polarity="high", target=(90.0, 90.0))
    for ind, before, now in ((red, 50, 60), (amber_worse, 90, 85), (amber_better, 80, 85)):
        put(alpha, ind, "2025-26 Q3", before)
        put(alpha, ind, "2025-26 Q4", now)
    with tenancy.partnership_scope(alpha):
        card = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
    assert [r.indicator.code for r in selectors.exceptions(card)] == ["R1", "A1"]


def test_targets_by_year(alpha: Any) -> None:
    ind = indicator(alpha, "T1", unit="percent", polarity="high", target=(85.0, 85.0))
    with tenancy.partnership_scope(alpha):
        services.set_target(ind, from_year=2025, target=(88.0, 88.0), tolerance=(5.0, False))
        targets = list(ind.targets.all())
    early = selectors.target_for(targets, parse_period("2024-25 Q4"))
    late = selectors.target_for(targets, parse_period("2025-26 Q1"))
    assert early is not None and late is not None
    assert (early.low, late.low, late.tolerance_label) == (85.0, 88.0, "5")


def test_default_reporting_period_is_the_latest_locked_round(alpha: Any, police: Any) -> None:
    indicator(alpha, "D1", owner=police)
    today = date(2026, 11, 23)
    with tenancy.partnership_scope(alpha):
        assert selectors.default_period(today).label == "2026-27 Q2"
        collection = services.open_round(alpha, period="2026-27 Q1", due=date(2026, 7, 30))
        services.lock_round(collection)
        assert selectors.default_period(today).label == "2026-27 Q1"


def test_the_public_json_carries_no_unrounded_figures(alpha: Any) -> None:
    share = indicator(alpha, "S2", unit="percent", target=(50.0, 50.0))
    put(alpha, share, "2025-26 Q4", numerator=87, denominator=443)  # 19.638826...%
    with tenancy.partnership_scope(alpha):
        internal = selectors.scorecard(alpha, parse_period("2025-26 Q4"))
        public = selectors.scorecard(alpha, parse_period("2025-26 Q4"), public=True)
    assert internal.as_list()[0]["raw_value"] == pytest.approx(100 * 87 / 443)
    (record,) = public.as_list()
    assert record["value"] == record["raw_value"] == 19.6
    assert exports.scorecard_records(public)[0]["raw_value"] == 19.6
