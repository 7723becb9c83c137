"""The annual tables: property tests (each table sums to its Total; every review falls in
exactly one row of each table), the command's files, the public edition and the imports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from safeboard.child_deaths import importer
from safeboard.child_deaths.models import ChildDeath, NationalFigure
from safeboard.child_deaths.selectors import ROWS, TABLES, Completed, row_of, year_tables
from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.partnership.models import Partnership

from .conftest import area_of, complete, notify


@st.composite
def reviews(draw: Any) -> Completed:
    died = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
    born = died - timedelta(days=draw(st.integers(0, 18 * 365 - 1)))
    done = died + timedelta(days=draw(st.integers(0, 2000)))
    return Completed(
        sex=draw(st.sampled_from(["male", "female", "unknown"])),
        born=born,
        died=died,
        category=draw(st.integers(1, 10)),
        modifiable=draw(st.booleans()),
        completed=done,
    )


@settings(deadline=None, max_examples=200)
@given(st.lists(reviews(), max_size=60))
def test_each_table_sums_to_its_total(found: list[Completed]) -> None:
    for key, table in year_tables(found, "2016-17").items():
        rows = table.csv_rows()
        assert rows[-1][0] == "Total" and rows[-1][1] == len(found)
        assert sum(r[1] for r in rows[:-1]) == rows[-1][1], key
        assert [r[0] for r in rows[:-1]] == list(ROWS[key])


@settings(deadline=None, max_examples=200)
@given(reviews())
def test_every_review_is_in_exactly_one_row_of_each_table(review: Completed) -> None:
    for key, _, _ in TABLES:
        assert [label for label in ROWS[key] if label == row_of(key, review)] == [
            row_of(key, review)
        ]


@settings(deadline=None, max_examples=100)
@given(st.lists(reviews(), max_size=40))
def test_the_public_edition_hides_small_counts_and_never_changes_the_others(
    found: list[Completed],
) -> None:
    for table in year_tables(found, "2016-17").values():
        internal, public = table.csv_rows(), table.csv_rows(public=True)
        for (label, n, share), (plabel, pn, pshare) in zip(internal, public, strict=True):
            assert label == plabel
            if 1 <= n <= 5:
                assert pn == pshare == "c"
            elif pn != "c":
                assert (pn, pshare) == (n, share)


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.django_db
def test_the_tables_command_counts_reviews_completed_in_the_year(
    alpha: Partnership, gamma: Partnership, panel: Any, tmp_path: Path
) -> None:
    # Two of Alpha's residents and one of Gamma's completed in 2016-17; one in 2017-18.
    for n, (area, done) in enumerate(
        [
            (alpha, date(2016, 5, 1)),
            (alpha, date(2017, 3, 31)),
            (gamma, date(2016, 9, 9)),
            (alpha, date(2017, 4, 1)),
        ]
    ):
        death = notify(alpha, panel, area=area_of(area), date_of_death=date(2016, 1, 10 + n))
        complete(death, on=done, category=8 if n else 1, modifiable=n == 0)
    call_command(
        "child-deaths",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path / "own"),
    )
    names = sorted(p.name for p in (tmp_path / "own").iterdir())
    assert names == ["age.csv", "category.csv", "modifiable.csv", "sex.csv", "time-to-review.csv"]
    category = _read(tmp_path / "own" / "category.csv")
    assert category[0] == ["Category of death", "Number", "Percent"]
    assert category[1] == ["1 Deliberately inflicted injury, abuse or neglect", "1", "50"]
    assert category[8] == ["8 Perinatal/neonatal event", "1", "50"]
    assert category[-1] == ["Total", "2", "100"]
    assert _read(tmp_path / "own" / "time-to-review.csv")[1:3] == [
        ["Under 6 months", "1", "50"],
        ["6-7 months", "0", "0"],
    ]
    call_command(
        "child-deaths",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path / "panel"),
        "--panel",
    )
    assert _read(tmp_path / "panel" / "sex.csv")[-1] == ["Total", "3", "100"]
    call_command(
        "child-deaths",
        "tables",
        "--partnership",
        "gamma",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path / "gamma"),
    )
    assert _read(tmp_path / "gamma" / "sex.csv")[-1] == ["Total", "1", "100"]
    call_command(
        "child-deaths",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path / "public"),
        "--public",
    )
    assert _read(tmp_path / "public" / "sex.csv")[2] == ["Female", "c", "c"]
    with pytest.raises(CommandError, match="financial year"):
        call_command(
            "child-deaths",
            "tables",
            "--partnership",
            "alpha",
            "--year",
            "2016",
            "--out",
            str(tmp_path),
        )


HEADER = "reference,date_of_birth,date_of_death,sex,ethnicity,category,modifiable,review_completed"


@pytest.mark.django_db
def test_import_checks_every_row_before_writing_any(alpha: Partnership, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "\n"
        "H1,2010-01-01,2015-06-01,female,white,8,no,2016-01-10\n"
        "H2,2010-01-01,2009-06-01,x,purple,11,maybe,2016-01-10\n"
        "H3,2010-01-01,2015-06-01,male,,4,,\n"
        "H1,1990-01-01,2015-06-01,male,,,,\n"
    )
    with pytest.raises(CommandError, match="problems"):
        call_command("child-deaths", "import", "--partnership", "alpha", str(bad))
    with tenancy.unscoped():
        assert not ChildDeath.objects.exists()
    with tenancy.partnership_scope(alpha):
        report = importer.import_deaths(alpha, bad.read_bytes(), "bad.csv")
    found = {(p.row, p.column) for p in report.problems}
    assert {
        (3, "date_of_death"),
        (3, "sex"),
        (3, "ethnicity"),
        (3, "category"),
        (3, "modifiable"),
        (4, "review_completed"),
        (5, "reference"),
        (5, "date_of_birth"),
    } <= found
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER + ",nhs_number\n"
        "H1,2010-01-01,2015-06-01,female,white,8,no,2016-01-10,9434765919\n"
        "H2,2015-05-01,2015-06-01,M,Asian or Asian British,,,\n"
    )
    call_command("child-deaths", "import", "--partnership", "alpha", str(good), "--dry-run")
    with tenancy.unscoped():
        assert not ChildDeath.objects.exists()
    call_command("child-deaths", "import", "--partnership", "alpha", str(good))
    with tenancy.partnership_scope(alpha):
        h1, h2 = ChildDeath.objects.order_by("reference")
        assert h1.review.completed_on == date(2016, 1, 10) and h1.review.category == 8
        assert h2.review_or_none() is None and h2.ethnicity == "asian" and h2.imported


@pytest.mark.django_db
def test_national_import(tmp_path: Path) -> None:
    path = tmp_path / "england.csv"
    path.write_text("year,table,row,percent\n2016-17,category,8 Perinatal/neonatal event,35\n")
    call_command("child-deaths", "national", "import", str(path))
    assert NationalFigure.objects.get().percent == 35
    path.write_text(
        "year,table,row,percent\n2016-17,category,8 Perinatal,35\n2016-17,sex,Male,101\n"
    )
    with pytest.raises(ServiceError, match=r"Row 2.*Row 3"):
        importer.import_national(path.read_bytes(), "england.csv")
    assert NationalFigure.objects.count() == 1


@pytest.mark.django_db
def test_import_checks_the_panel_date_before_writing(alpha: Partnership, tmp_path: Path) -> None:
    """A panel date after the review's completion, or before the death, is a problem of its
    row (found before anything is written), not an error half way through the writing."""
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + ",panel_date\n"
        "P1,2010-01-01,2015-06-01,female,white,8,no,2016-01-10,2016-02-01\n"
        "P2,2010-01-01,2015-06-01,female,white,,,,2015-05-01\n"
    )
    with tenancy.partnership_scope(alpha):
        report = importer.import_deaths(alpha, bad.read_bytes(), "bad.csv")
    assert {(2, "panel_date"), (3, "panel_date")} <= {(p.row, p.column) for p in report.problems}
    assert not report.written
    with pytest.raises(CommandError, match="problems"):
        call_command("child-deaths", "import", "--partnership", "alpha", str(bad))
    with tenancy.unscoped():
        assert not ChildDeath.objects.exists()


@settings(deadline=None, max_examples=300)
@given(st.lists(reviews(), max_size=40))
def test_no_suppressed_count_can_be_worked_back_from_the_total(found: list[Completed]) -> None:
    """The complement: with the Total shown, a hidden count would be the Total less the
    others if it were the only one hidden. So a table hides no row, or at least two of its
    non-zero rows (or a non-zero row and enough zeros that the sum does not pin it). A hidden
    count's percentage is hidden too (it gives the count back from the Total), and the Total,
    the same in every table, is hidden in all of them or in none."""
    tables = year_tables(found, "2016-17")
    totals = set()
    for key, table in tables.items():
        internal, public = table.csv_rows(), table.csv_rows(public=True)
        totals.add(public[-1][1])
        hidden = [
            row for row, shown in zip(internal[:-1], public[:-1], strict=True) if shown[1] == "c"
        ]
        for row, shown in zip(internal, public, strict=True):
            assert (shown[1] == "c") == (shown[2] == "c"), (key, row)
        if public[-1][1] == "c" or not hidden:
            continue
        visible = sum(
            row[1] for row, shown in zip(internal[:-1], public[:-1], strict=True) if shown[1] != "c"
        )
        worked_back = public[-1][1] - visible  # what the hidden rows sum to
        assert worked_back == sum(row[1] for row in hidden)
        assert len(hidden) >= 2, key  # one hidden row would be worked_back itself
        # Every hidden non-zero count shares the sum with another hidden row.
        assert sum(1 for row in hidden if row[1]) != 1 or len(hidden) >= 2
    assert len(totals) == 1


def test_englands_percentages_read_as_published() -> None:
    from decimal import Decimal

    from safeboard.child_deaths.selectors import as_published

    assert str(as_published(Decimal("35.00"))) == "35"
    assert str(as_published(Decimal("30.00"))) == "30"
    assert str(as_published(Decimal("35.50"))) == "35.5"
    assert str(as_published(Decimal("0.25"))) == "0.25"
