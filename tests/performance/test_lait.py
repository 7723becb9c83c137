"""Importing DfE LAIT data: the real files in settings.LAIT_DIR, sliced to a few measures to stay
quick. By default that is the extract in the repository (safeboard/performance/data/lait/, every
area of the demo's measures, 23 areas of the others); with SAFEBOARD_LAIT_DIR naming the full
national files the same tests pass on them: what depends on the file's size is counted from it."""

from __future__ import annotations

import csv
import gzip
import itertools
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeboard.core.errors import ServiceError
from safeboard.performance.comparators import quartile, rank_position, ranking
from safeboard.performance.lait import import_lait, split_revision
from safeboard.performance.models import (
    AreaKind,
    ComparatorArea,
    ComparatorImport,
    ComparatorPeriod,
    ComparatorValue,
    Measure,
    StatisticalNeighbour,
)

from .conftest import lait_file

SLICE = {
    "CPP_rate",  # Annual: a bare year is a snapshot at 31 March
    "ReReferral",  # Financial Year: a bare year is the year ending in March
    "HE_19_All",  # Academic Year, written 2015-16
    "KS1P_all",  # Academic Year, with a provisional year
    "A3A",  # Academic Year, revised and final years
    "RTA",  # Calendar Year spans: 2014-16
    "Hosp_Adm_Alc_<18yrs",  # Financial Year spans written 2013/14-15/16
    "CINPermExclusion",  # has a junk year ‘0’
    "Work_Force_AvgNumCase_SW",  # Annual (end of Sept)
}


@pytest.fixture(scope="module")
def lait_slice(tmp_path_factory: Any) -> Path:
    """The real bds_long rows of a few measures, written out as a plain (not gzipped) CSV."""
    source = lait_file("bds_long.csv.gz")
    folder = tmp_path_factory.mktemp("lait")
    target = folder / "slice.csv"
    with (
        gzip.open(source, "rt", encoding="utf-8", newline="") as handle,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(handle)
        writer = csv.writer(out)
        writer.writerow(next(reader))
        for row in reader:
            if row[0] in SLICE:
                writer.writerow(row)
    return target


def rows_by_measure(path: Path, years: str | None = None) -> Counter[str]:
    """The rows of a bds_long file (gzipped or not) by measure, read with the csv module alone;
    only those of the period label `years` when it is given."""
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return Counter(row[0] for row in reader if years is None or row[2] == years)


def value(code: str, la_number: int, period: str) -> float | None:
    return ComparatorValue.objects.get(
        measure__code=code, area__la_number=la_number, period=period
    ).value


@pytest.mark.django_db
def test_periods_are_read_by_each_measures_year_type(lait_slice: Path) -> None:
    report = import_lait(
        lait_slice,
        dictionary=lait_file("lait_data_dictionary.csv"),
        neighbours=lait_file("sn_may_2025.xlsx"),
    )
    assert report.measures == len(SLICE)
    assert report.areas == 170
    # One junk row for each area of the measure: 170 in DfE's file, 23 in the extract.
    zeros = rows_by_measure(lait_slice, years="0")
    assert set(zeros) == {"CINPermExclusion"} and zeros["CINPermExclusion"] >= 23
    assert report.skipped == {"period ‘0’ could not be read": zeros["CINPermExclusion"]}
    periods = {
        code: sorted(
            ComparatorPeriod.objects.filter(measure__code=code).values_list("period", flat=True)
        )
        for code in SLICE
    }
    assert "2017-03-31" in periods["CPP_rate"]
    assert "2016-17" in periods["ReReferral"]
    assert "2016/17" in periods["HE_19_All"]  # written 2016-17 by DfE, an academic year
    assert "2024/25" in periods["KS1P_all"]  # 2025 (prov)
    assert "2014-16" in periods["RTA"]
    assert "2013-14 to 2015-16" in periods["Hosp_Adm_Alc_<18yrs"]
    assert "2017-09-30" in periods["Work_Force_AvgNumCase_SW"]
    # Wigan's published figure: CPP_rate 2017 is 38.7 per 10,000 at 31 March 2017.
    assert value("CPP_rate", 359, "2017-03-31") == pytest.approx(38.7)
    revised = ComparatorValue.objects.filter(measure__code="A3A", period="2017/18").first()
    assert revised is not None and revised.revision == "Rev"
    cpp = Measure.objects.get(code="CPP_rate")
    assert (cpp.year_type, cpp.polarity) == ("Annual", "none")
    assert Measure.objects.get(code="ReReferral").polarity == "low"


@pytest.mark.django_db
def test_areas_regions_and_neighbours(lait_slice: Path) -> None:
    import_lait(lait_slice, neighbours=lait_file("sn_may_2025.xlsx"))
    england = ComparatorArea.objects.get(la_number=970)
    wigan = ComparatorArea.objects.select_related("region").get(la_number=359)
    camden = ComparatorArea.objects.select_related("region").get(la_number=202)
    barnsley = ComparatorArea.objects.select_related("region").get(la_number=370)
    assert england.kind == AreaKind.ENGLAND
    assert wigan.kind == AreaKind.LA and wigan.region is not None
    assert wigan.region.name == "North West"
    assert camden.region is not None and camden.region.name == "London"  # ‘Inner London’
    assert barnsley.region is not None and barnsley.region.la_number == 982  # case differs
    neighbours = list(
        StatisticalNeighbour.objects.filter(area=wigan)
        .order_by("position")
        .values_list("position", "neighbour__la_number", "closeness")
    )
    assert [n[0] for n in neighbours] == list(range(1, 11))
    # The May 2025 model: Lancashire, Lincolnshire, Sefton ...
    assert [n[1] for n in neighbours] == [888, 925, 343, 877, 860, 332, 929, 884, 808, 893]
    assert neighbours[0][2] == "Very close"


@pytest.mark.django_db
def test_the_gzipped_file_imports_only_the_measures_asked_for() -> None:
    path = lait_file("bds_long.csv.gz")
    in_file = rows_by_measure(path)
    assert len(in_file) >= 18 and in_file["CPP_rate"] == 170 * 10
    report = import_lait(path, measures={"CPP_rate"})
    # Every row is read (641,070 in DfE's file, 21,155 in the extract); one measure is written.
    assert report.rows_read == in_file.total()
    assert list(Measure.objects.values_list("code", flat=True)) == ["CPP_rate"]
    assert ComparatorValue.objects.count() == report.values == 170 * 10
    # Without the dictionary a bare year is a financial year ending in that year.
    assert ComparatorPeriod.objects.filter(period="2016-17").exists()


@pytest.mark.django_db
def test_a_later_revision_replaces_an_earlier_one_and_dashes_are_not_available(
    tmp_path: Path,
) -> None:
    path = tmp_path / "revisions.csv"
    path.write_text(
        "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
        "M1,Measure one,2024 (prov),Alpha,10,909.0,North West\n"
        "M1,,2024 (Rev),Alpha,12,909.0,North West\n"
        "M1,,2024,Alpha,11,909.0,North West\n"
        "M1,,2023,Alpha,-,909.0,North West\n"
        "M1,,2022 (Final),Alpha,8,909.0,North West\n"
        "M1,,2022 (Rev),Alpha,7,909.0,North West\n",
        encoding="utf-8",
    )
    import_lait(path)
    assert value("M1", 909, "2023-24") == 12
    assert value("M1", 909, "2022-23") is None
    assert value("M1", 909, "2021-22") == 8
    assert ComparatorValue.objects.count() == 3
    # Importing again replaces the measure's figures; it does not add to them.
    import_lait(path)
    assert ComparatorValue.objects.count() == 3
    assert ComparatorImport.objects.count() == 2


def test_revision_suffixes() -> None:
    assert split_revision("2025 (prov)") == ("2025", "prov")
    assert split_revision("2016-17 (OT)") == ("2016-17", "OT")
    assert split_revision("2024") == ("2024", "")


@pytest.mark.django_db
def test_files_that_are_not_lait_data_are_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("code,value\nA,1\n", encoding="utf-8")
    with pytest.raises(ServiceError, match=r"not LAIT long-format data.*Short Desc"):
        import_lait(wrong)
    with pytest.raises(ServiceError, match="does not exist"):
        import_lait(tmp_path / "missing.csv")


@pytest.mark.django_db
def test_ranking_all_las_for_a_measure(lait_slice: Path) -> None:
    import_lait(lait_slice, dictionary=lait_file("lait_data_dictionary.csv"))
    measure = Measure.objects.get(code="ReReferral")
    ranked = ranking(measure, "2023-24")
    assert len(ranked) > 140
    assert all(a.area.kind == AreaKind.LA for a in ranked)
    # Low is good: the lowest rate ranks first; ties share a rank.
    values = [a.value for a in ranked]
    assert values == sorted(values)
    assert ranked[0].rank == 1 and ranked[0].quartile == "A" and ranked[-1].quartile == "D"
    for earlier, later in itertools.pairwise(ranked):
        assert (
            later.rank == earlier.rank
            if later.value == earlier.value
            else later.rank > earlier.rank
        )


def test_rank_and_quartile_arithmetic() -> None:
    others = [10.0, 20.0, 20.0, 30.0]
    assert rank_position(others, 20.0, "high") == (2, 5)
    assert rank_position(others, 20.0, "low") == (2, 5)
    assert rank_position(others, 5.0, "low") == (1, 5)
    assert rank_position(others, 35.0, "none") == (1, 5)
    assert [quartile(r, 8, "high") for r in range(1, 9)] == list("AABBCCDD")
    assert quartile(1, 8, "none") is None


@pytest.mark.django_db
def test_the_command_imports_and_reports(lait_slice: Path, capsys: Any) -> None:
    call_command(
        "comparators",
        "import-lait",
        str(lait_slice),
        "--dictionary",
        str(lait_file("lait_data_dictionary.csv")),
        "--sn",
        str(lait_file("sn_may_2025.xlsx")),
        "--measures",
        "CPP_rate,ReReferral",
    )
    out = capsys.readouterr().out
    assert "figures for 2 measures and 170 areas" in out
    # Ten for each LA of the workbook: every LA's in DfE's, Wigan's in the extract.
    links = StatisticalNeighbour.objects.count()
    assert links >= 10 and links % 10 == 0
    assert f"Statistical neighbours: {links:,} links" in out
    assert StatisticalNeighbour.objects.filter(area__la_number=359).count() == 10
    call_command("comparators", "status")
    assert "2 measures" in capsys.readouterr().out
    assert date(2017, 3, 31) in set(
        ComparatorPeriod.objects.filter(measure__code="CPP_rate").values_list(
            "period_end", flat=True
        )
    )


@pytest.mark.django_db
def test_neighbours_alone_and_a_workbook_that_is_not_one(tmp_path: Path, capsys: Any) -> None:
    call_command("comparators", "import-neighbours", str(lait_file("sn_april_2021.xlsx")))
    links = StatisticalNeighbour.objects.count()
    assert links >= 10
    assert f"Statistical neighbours: {links:,} links" in capsys.readouterr().out
    camden = ComparatorArea.objects.get(la_number=202)
    assert StatisticalNeighbour.objects.filter(area=camden).count() == 10
    # Cumberland's neighbours are all ‘-’ in the April 2021 model: it has none.
    cumberland = ComparatorArea.objects.get(la_number=942)
    assert not StatisticalNeighbour.objects.filter(area=cumberland).exists()
    bad = tmp_path / "not.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CommandError, match="could not be read as an Excel workbook"):
        call_command("comparators", "import-neighbours", str(bad))
