"""Importing indicators and values from real CSV and Excel files, from the command line; and
`publish-table`, disclosure control for any table."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from safeboard.core import tenancy
from safeboard.performance.models import DefinitionVersion, Indicator, Target, Value


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


INDICATORS = [
    [
        "code",
        "title",
        "unit",
        "polarity",
        "decimals",
        "frequency",
        "period_kind",
        "target",
        "tolerance",
        "definition",
        "owner",
        "themes",
        "national_code",
    ],
    [
        "CS2.3",
        "Re-referrals within 12 months",
        "percent",
        "low",
        "1",
        "quarterly",
        "flow",
        "20",
        "10%",
        "Referrals within 12 months of a previous one",
        "POL",
        "Child protection; Early help",
        "ReReferral",
    ],
    [
        "CP1",
        "Child protection plans per 10,000",
        "rate_per_10000",
        "none",
        "",
        "quarterly",
        "snapshot",
        "35-45",
        "",
        "",
        "",
        "Child protection",
        "CPP_rate",
    ],
    ["PB1", "Attendance at board meetings", "percent", "high", "", "", "", "", "", "", "", "", ""],
]


def test_indicators_are_imported_from_csv(
    alpha: Any, police: Any, tmp_path: Path, capsys: Any
) -> None:
    path = write_csv(tmp_path / "indicators.csv", INDICATORS)
    call_command("dataset", "import-indicators", "--partnership", "alpha", str(path), "--dry-run")
    assert "Dry run, nothing written" in capsys.readouterr().out
    with tenancy.partnership_scope(alpha):
        assert not Indicator.objects.exists()
    call_command("dataset", "import-indicators", "--partnership", "alpha", str(path))
    assert "3 were added" in capsys.readouterr().out
    with tenancy.partnership_scope(alpha):
        cs = Indicator.objects.get(code="CS2.3")
        assert (cs.unit, cs.polarity, cs.decimals, cs.owner, cs.national_code) == (
            "percent",
            "low",
            1,
            police,
            "ReReferral",
        )
        assert sorted(t.name for t in cs.themes.all()) == ["Child protection", "Early help"]
        target = cs.targets.get()
        assert (target.low, target.high, target.tolerance_is_percent) == (20, 20, True)
        band = Indicator.objects.get(code="CP1").targets.get()
        assert (band.low, band.high) == (35, 45)
        pb = Indicator.objects.get(code="PB1")
        assert (pb.decimals, pb.frequency, pb.period_kind) == (1, "quarterly", "flow")
        assert not pb.targets.exists()


def test_reimporting_records_a_changed_definition_and_target(
    alpha: Any, police: Any, tmp_path: Path, capsys: Any
) -> None:
    call_command(
        "dataset",
        "import-indicators",
        "--partnership",
        "alpha",
        str(write_csv(tmp_path / "a.csv", INDICATORS)),
    )
    changed = [row[:] for row in INDICATORS]
    changed[1][7] = "18"  # a new target
    changed[1][9] = "Referrals within 12 months of an earlier referral of the same child"
    with tenancy.partnership_scope(alpha):
        ind = Indicator.objects.get(code="CS2.3")
        Value.objects.create(
            partnership=alpha,
            indicator=ind,
            period="2024-25 Q1",
            period_start="2024-04-01",
            period_end="2024-06-30",
            value=19,
            entered_at="2024-07-01T10:00:00Z",
            released=True,
        )
    call_command(
        "dataset",
        "import-indicators",
        "--partnership",
        "alpha",
        str(write_csv(tmp_path / "b.csv", changed)),
    )
    assert "1 were changed, 2 unchanged" in capsys.readouterr().out
    with tenancy.partnership_scope(alpha):
        ind.refresh_from_db()
        assert ind.definition.endswith("of the same child")
        versions = list(DefinitionVersion.objects.filter(indicator=ind))
        assert [v.reason for v in versions] == ["First definition", "Imported from b.csv"]
        # With figures already given, the new target applies from this financial year.
        targets = {t.from_year is None: t.low for t in Target.objects.filter(indicator=ind)}
        assert targets == {True: 20, False: 18}


def test_indicator_problems_are_all_reported_and_nothing_is_written(
    alpha: Any, tmp_path: Path
) -> None:
    rows = [
        INDICATORS[0],
        ["bad code!", "Title", "count", "high"] + [""] * 9,
        ["OK1", "", "litres", "sideways", "9", "", "", "5-", "", "", "Nobody", "", ""],
        ["OK2", "Fine", "count", "high"] + [""] * 9,
    ]
    with pytest.raises(CommandError) as caught:
        call_command(
            "dataset",
            "import-indicators",
            "--partnership",
            "alpha",
            str(write_csv(tmp_path / "bad.csv", rows)),
        )
    message = str(caught.value)
    assert "Row 2: code ‘bad code!’ must be up to 20 letters" in message
    for expected in (
        "Row 3: title is missing",
        "Row 3: unit ‘litres’ is not one of count, percent",
        "Row 3: polarity ‘sideways’ is not one of high, low, none",
        "Row 3: decimals ‘9’ must be a whole number 0 to 4",
        "Row 3: target ‘5-’ is not a target",
        "Row 3: owner ‘Nobody’ is not an agency of this partnership",
    ):
        assert expected in message
    with tenancy.partnership_scope(alpha):
        assert not Indicator.objects.exists()


VALUES = [
    ["indicator", "period", "value", "numerator", "denominator", "status", "agency", "note"],
    ["CS2.3", "2025-26 Q1", "", "87", "443", "", "POL", "From the case system"],
    ["CS2.3", "2025-26 Q2", "tbc", "", "", "", "", ""],
    ["CP1", "2025-09-30", "", "230", "", "", "", ""],
    ["PB1", "2025-26 Q2", "76.5", "", "", "", "", ""],
]


def test_values_are_imported_from_excel(
    alpha: Any, police: Any, population: None, tmp_path: Path, capsys: Any
) -> None:
    call_command(
        "dataset",
        "import-indicators",
        "--partnership",
        "alpha",
        str(write_csv(tmp_path / "indicators.csv", INDICATORS)),
    )
    path = write_xlsx(tmp_path / "values.xlsx", VALUES)
    call_command("dataset", "import-values", "--partnership", "alpha", str(path))
    assert "4 were added" in capsys.readouterr().out
    with tenancy.partnership_scope(alpha):
        got = {
            (v.indicator.code, v.period): (v.value, v.status, v.released)
            for v in Value.objects.select_related("indicator")
        }
    assert got[("CS2.3", "2025-26 Q1")] == (pytest.approx(19.638826), "", True)
    assert got[("CS2.3", "2025-26 Q2")] == (None, "tbc", True)
    assert got[("CP1", "2025-09-30")] == (pytest.approx(46.0), "", True)
    assert got[("PB1", "2025-26 Q2")] == (76.5, "", True)


def test_value_problems_name_their_rows(alpha: Any, police: Any, tmp_path: Path) -> None:
    call_command(
        "dataset",
        "import-indicators",
        "--partnership",
        "alpha",
        str(write_csv(tmp_path / "indicators.csv", INDICATORS)),
    )
    rows = [
        VALUES[0],
        ["CS2.3", "2025-26 Q1", "20.1", "87", "443", "", "", ""],
        ["CS2.3", "2025-07", "20", "", "", "", "", ""],
        ["NOPE", "2025-26 Q1", "1", "", "", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "values.xlsx", rows)
    with pytest.raises(CommandError) as caught:
        call_command("dataset", "import-values", "--partnership", "alpha", str(path))
    lines = str(caught.value).splitlines()
    assert lines[0] == "Nothing was imported: 3 problems"
    assert lines[1] == "Row 2: value 20.1 disagrees with 87 / 443 = 19.6"
    assert lines[2].startswith("Row 3: period ‘2025-07’ does not fit the quarterly indicator")
    assert lines[3] == "Row 4: indicator ‘NOPE’ is unknown in this partnership"


def test_a_file_with_unknown_columns_is_refused(alpha: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", [["indicator", "period", "colour"], ["A", "B", "C"]])
    with pytest.raises(CommandError, match="columns Safeboard does not know: ‘colour’"):
        call_command("dataset", "import-values", "--partnership", "alpha", str(path))
    path = write_csv(tmp_path / "none.csv", [["title"], ["A"]])
    with pytest.raises(CommandError, match="no column ‘code’, ‘unit’, ‘polarity’"):
        call_command("dataset", "import-indicators", "--partnership", "alpha", str(path))


def test_publish_table_suppresses_small_counts_and_their_partners(
    tmp_path: Path, capsys: Any
) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        [
            ["Agency", "Q1", "Q2", "Total"],
            ["Police", "3", "10", "13"],
            ["Health", "7", "9", "16"],
            ["Total", "10", "19", "29"],
        ],
    )
    out = tmp_path / "out.csv"
    call_command("publish-table", str(source), str(out), "--row-totals", "--column-totals")
    published = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert published == [
        ["Agency", "Q1", "Q2", "Total"],
        ["Police", "c", "c", "13"],
        ["Health", "c", "c", "16"],
        ["Total", "10", "19", "29"],
    ]
    assert "4 cells suppressed (1 small count, 3 more to protect them)" in capsys.readouterr().out


def test_publish_table_refuses_totals_that_do_not_add_up(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [["A", "x", "Total"], ["r", "3", "4"]])
    with pytest.raises(CommandError, match="row 2, column 3: the total 4 is not the sum"):
        call_command("publish-table", str(source), str(tmp_path / "o.csv"), "--row-totals")
