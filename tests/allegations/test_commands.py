"""`allegations terms import`, `allegations import` and `allegations tables`, as the issue
specifies them."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from .conftest import contact

pytestmark = pytest.mark.django_db


def read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_terms_and_contacts_imported_from_the_command_line(alpha: Any, tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("list,term\ncategory,Online\n")
    out = io.StringIO()
    call_command("allegations", "terms", "import", "--partnership", "alpha", str(terms), stdout=out)
    assert "Added 1 terms" in out.getvalue()
    data = tmp_path / "contacts.csv"
    data.write_text(
        "reference,kind,received,known,referrer,employer,category,restraint,outcomes,concluded\n"
        "L-1,allegation,2016-04-04,,Police,School staff,Online,no,Nonsense,\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("allegations", "import", "--partnership", "alpha", str(data), stderr=err)
    assert "Row 2: ‘Nonsense’ is not in the partnership's list of outcomes (outcome)" in (
        err.getvalue()
    )
    data.write_text(data.read_text().replace("Nonsense", "Unfounded"))
    call_command("allegations", "import", "--partnership", "alpha", str(data), stdout=out)
    assert "Imported 1 rows: 1 new" in out.getvalue()


def test_the_four_tables(alpha: Any, terms: Any, tmp_path: Path) -> None:
    contact(
        alpha,
        terms,
        "A",
        date(2016, 4, 4),
        known=date(2016, 4, 1),
        concluded=date(2016, 4, 20),
        outcomes=("Substantiated", "Dismissal"),
        restraint=True,
    )
    contact(
        alpha,
        terms,
        "B",
        date(2016, 9, 5),
        employer="Foster carer",
        category="Sexual",
        referrer="Police",
        outcomes=("Unfounded",),
        concluded=date(2017, 3, 1),
    )
    contact(alpha, terms, "C", date(2017, 4, 3))  # the next year
    contact(alpha, terms, "D", date(2016, 5, 3), kind="consultation")
    call_command(
        "allegations",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    grid = read(tmp_path / "employer-by-category.csv")
    assert grid[0] == ["Employer", "Physical", "Emotional", "Sexual", "Neglect", "Total"]
    assert grid[1] == ["Foster carer", "0", "0", "1", "0", "1"]
    assert grid[3] == ["School staff", "1", "0", "0", "0", "1"]
    assert grid[-1] == ["Total", "1", "0", "1", "0", "2"]
    assert len(grid) == 1 + 12 + 1
    referrals = read(tmp_path / "referrals-by-agency.csv")
    assert referrals[0] == ["Referrer", "Number"]
    assert ["Police", "1"] in referrals and ["Education", "1"] in referrals
    assert referrals[-1] == ["Total", "2"]
    outcomes = read(tmp_path / "outcomes.csv")
    assert outcomes[0] == ["Outcome", "Number"]
    assert outcomes[1] == ["Substantiated", "1"]
    assert ["Dismissal", "1"] in outcomes and ["Unfounded", "1"] in outcomes
    assert outcomes[-1] == ["Allegations", "2"]
    assert "Total" not in [row[0] for row in outcomes]
    timeliness = read(tmp_path / "timeliness.csv")
    assert timeliness == [
        ["Measure", "Number", "Of", "Percent"],
        ["Referred within one working day", "1", "1", "100"],  # Friday, then Monday
        ["Concluded within one month", "1", "2", "50"],
        ["Concluded within three months", "1", "2", "50"],
        ["Concluded within twelve months", "2", "2", "100"],
    ]
    public = tmp_path / "public"
    call_command(
        "allegations",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(public),
        "--public",
        stdout=io.StringIO(),
    )
    grid = read(public / "employer-by-category.csv")
    assert grid[-1][-1] == "c" and grid[1][3] == "c"
    assert read(public / "timeliness.csv")[3] == ["Concluded within three months", "c", "c", "c"]
