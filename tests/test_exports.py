"""Every CSV and workbook Safeboard writes, fed with text a spreadsheet would run as a formula
(in names, action texts, indicator titles, notes, comments, paper titles and table labels): no
written CSV cell starts with a risky character unescaped, and no workbook cell is a formula.
A new export belongs here."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeboard.core import tenancy
from safeboard.core.tables import RISKY, TableRow, write_csv
from safeboard.learning import services as learning_services
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import GroupKind, Paper, Sector
from safeboard.performance import services as performance_services
from safeboard.planning import services as planning_services
from safeboard.planning.models import Progress

from . import factories as f
from .conftest import consume
from .performance.conftest import indicator, open_round, put

HYPERLINK = '=HYPERLINK("http://x","y")'
COMMAND = "+cmd|' /C calc'!A0"
SUM = "-2+3"
AT = "@SUM(A1)"
PAYLOADS = (HYPERLINK, COMMAND, SUM, AT)
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cells(data: bytes, name: str) -> set[str]:
    """The cells of a written CSV file, none of which a spreadsheet would run."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    found = {cell for row in rows for cell in row}
    for cell in found:
        assert not cell.startswith(RISKY) or NUMBER.fullmatch(cell), (name, cell)
    return found


def xlsx_cells(data: bytes, name: str) -> set[str]:
    """The text cells of a written workbook, every sheet, none of them a formula."""
    book = load_workbook(io.BytesIO(data))
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (name, cell.coordinate, cell.data_type)
                    found.add(cell.value)
    return found


def escaped(*payloads: str) -> set[str]:
    return {"'" + p for p in payloads}


def contains(cells: set[str], *payloads: str) -> bool:
    """Each payload is in a cell (perhaps within a longer text)."""
    return all(any(p in cell for cell in cells) for p in payloads)


@pytest.mark.django_db
def test_every_export_writes_risky_text_as_text(
    as_alice: Client, alpha: Any, police: Any, tmp_path: Path, capsys: Any
) -> None:
    # Governance: an agency, a person and a paper whose names are formulas; the police
    # renamed to one (an audit-trail change), a board meeting the agency attended.
    risky = f.agency(alpha, "RSK", HYPERLINK, Sector.HEALTH_PROVIDER)
    member = f.person(alpha, AT, risky)
    board = f.group(alpha, "Board", GroupKind.BOARD)
    with tenancy.partnership_scope(alpha):
        police.name = COMMAND
        partnership_services.save(police, alpha)
        seat = partnership_services.add_member(board, person=member, start=date(2016, 1, 1))
        partnership_services.record_attendance(
            f.meeting(board, date(2016, 6, 1)),
            [partnership_services.AttendanceLine(seat, member, None, "present")],
        )
        paper = Paper(partnership=alpha, meeting=f.meeting(board, date(2016, 7, 1)), title=SUM)
        paper.sensitivity = "restricted"
        paper.file.save("q.txt", ContentFile(b"x"), save=False)
        partnership_services.save(paper, alpha)
    consume(as_alice.get(f"/p/alpha/papers/{paper.pk}/"))  # in the access log

    # Performance: an indicator titled and defined as formulas, a figure with a note and a
    # contributor's comment in the police's return.
    ind = indicator(alpha, "R1", title=COMMAND, owner=police, definition=SUM)
    put(alpha, ind, "2025-26 Q1", 5, note=SUM)
    collection = open_round(alpha, "2025-26 Q2")
    with tenancy.partnership_scope(alpha):
        police_return = collection.returns.get(agency=police)
        performance_services.enter_return_values(
            police_return,
            [
                TableRow(
                    2,
                    {
                        "indicator": "R1",
                        "period": "2025-26 Q2",
                        "value": "50",
                        "note": SUM,
                        "comment": AT,
                    },
                )
            ],
        )

    # Planning: a theme, an action, its aim and its latest update.
    with tenancy.partnership_scope(alpha):
        plan = planning_services.create_plan(partnership=alpha, first_year=2024, last_year=2026)
        theme = planning_services.add_theme(plan=plan, title=COMMAND)
        action = planning_services.create_action(
            partnership=alpha,
            plan=plan,
            theme=theme,
            reference="1.1",
            text=HYPERLINK,
            aim=SUM,
            owner=member,
            due=date(2025, 3, 31),
        )
        planning_services.record_update(
            action, by=None, status=Progress.AMBER, text=AT, on=date(2025, 1, 1), author_name="x"
        )

    def get(url: str) -> bytes:
        response = as_alice.get(url)
        assert response.status_code == 200, url
        return consume(response)

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"partnership": "alpha", **kwargs})

    # The audit trail and the access log.
    trail = csv_cells(get(url("audit:trail-export")), "audit trail")
    assert escaped(HYPERLINK, COMMAND, AT) <= trail
    access = csv_cells(get(url("audit:access-export")), "access log")
    assert escaped(SUM) <= access
    # Attendance by agency.
    attendance = csv_cells(get(url("partnership:attendance-export") + "?year=2016"), "attendance")
    assert escaped(HYPERLINK) <= attendance
    attendance = xlsx_cells(
        get(url("partnership:attendance-export-xlsx") + "?year=2016"), "attendance.xlsx"
    )
    assert HYPERLINK in attendance
    # The scorecard, CSV and workbook, and the command's CSV.
    period = "?period=2025-26+Q1"
    assert escaped(COMMAND) <= csv_cells(get(url("performance:scorecard-csv") + period), "card")
    assert COMMAND in xlsx_cells(get(url("performance:scorecard-xlsx") + period), "card.xlsx")
    call_command("scorecard", "--partnership", "alpha", "--period", "2025-26 Q1", "--format", "csv")
    assert escaped(COMMAND) <= csv_cells(capsys.readouterr().out.encode(), "scorecard command")
    # The police's return template: title, definition, note, comment, agency name.
    template = xlsx_cells(
        get(url("performance:return-template", pk=collection.pk, agency=police.pk)), "template"
    )
    assert {COMMAND, SUM, AT} <= template and contains(template, COMMAND + ": return for")
    # The plan and the action tracker, CSV and workbook, from the page and the command.
    plan_url = url("planning:plan-export", pk=plan.pk)
    tracker_url = url("planning:actions-export")
    for name, address in (("plan", plan_url), ("tracker", tracker_url)):
        cells = csv_cells(get(address + "?format=csv"), name)
        assert escaped(HYPERLINK, COMMAND, SUM) <= cells and contains(cells, AT), name
        cells = xlsx_cells(get(address + "?format=xlsx"), name + ".xlsx")
        assert {HYPERLINK, COMMAND, SUM} <= cells and contains(cells, AT), name
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"plan.{suffix}"
        call_command("plan", "export", "--partnership", "alpha", "--plan", "2024-27", "-o", out)
        check = csv_cells if suffix == "csv" else xlsx_cells
        cells = check(out.read_bytes(), f"plan command {suffix}")
        assert contains(cells, HYPERLINK, COMMAND, SUM, AT)
    # A table published with disclosure control: its labels are formulas.
    source = tmp_path / "in.csv"
    source.write_bytes(
        write_csv(["Agency", HYPERLINK, COMMAND], [[SUM, "3", "10"], [AT, "7", "9"]])
    )
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"published.{suffix}"
        call_command("publish-table", str(source), str(out))
        check = csv_cells if suffix == "csv" else xlsx_cells
        cells = check(out.read_bytes(), f"publish-table {suffix}")
        expected = set(PAYLOADS) if suffix == "xlsx" else escaped(*PAYLOADS)
        assert expected <= cells, suffix
    # Case reviews: the clocks command's CSV, for a review whose reference is a formula.
    with tenancy.partnership_scope(alpha):
        learning_services.create_review(
            partnership=alpha,
            reference=COMMAND,
            child="Child X",
            incident_known=date(2026, 1, 5),
            notified_on=date(2026, 1, 6),
        )
    call_command("reviews", "clocks", "--partnership", "alpha", "--format", "csv")
    assert escaped(COMMAND) <= csv_cells(capsys.readouterr().out.encode(), "reviews clocks")


@pytest.mark.django_db
def test_the_registers_exports_write_risky_text_as_text(alpha: Any, tmp_path: Path) -> None:
    """The LADO's contacts and tables, private fostering's arrangements and figures."""
    from safeboard.allegations import services as lado
    from safeboard.allegations.models import Allegation, TermList
    from safeboard.partnership.models import Role
    from safeboard.private_fostering import services as fostering
    from safeboard.private_fostering.models import Arrangement

    from .conftest import sign_in

    lara = f.user(
        "lara", p=alpha, roles=[(Role.LADO, None), (Role.PRIVATE_FOSTERING_OFFICER, None)]
    )
    client = sign_in(Client(), lara)
    with tenancy.partnership_scope(alpha):
        lado.ensure_default_terms(alpha)
        employer, _ = lado.add_term(alpha, TermList.EMPLOYER, HYPERLINK)
        category, _ = lado.add_term(alpha, TermList.CATEGORY, COMMAND)
        referrer, _ = lado.add_term(alpha, TermList.REFERRER, SUM)
        outcome, _ = lado.add_term(alpha, TermList.OUTCOME, AT)
        lado.save_allegation(
            Allegation(
                reference=AT,
                received=date(2016, 5, 3),
                referrer=referrer,
                employer_type=employer,
                category=category,
                adult_name=COMMAND,
                employer_name=HYPERLINK,
                offence=True,
            ),
            alpha,
            [outcome],
        )
        fostering.save_arrangement(
            Arrangement(reference=HYPERLINK, notified=date(2016, 5, 3), source="school"), alpha
        )
    base = "/p/alpha/"
    for url in (
        "allegations/export/",
        "allegations/export/?format=xlsx",
        "allegations/tables/download/?year=2016-17&file=employer-by-category.csv",
        "allegations/tables/download/?year=2016-17&file=outcomes.csv",
        "private-fostering/export/",
        "private-fostering/export/?format=xlsx",
    ):
        response = client.get(base + url)
        assert response.status_code == 200, url
        data = consume(response)
        cells = xlsx_cells(data, url) if "xlsx" in url else csv_cells(data, url)
        assert contains(cells, HYPERLINK) or contains(cells, AT), url
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
    grid = csv_cells((tmp_path / "employer-by-category.csv").read_bytes(), "tables")
    assert escaped(HYPERLINK, COMMAND) <= grid


def test_child_death_exports_write_risky_text_as_text(
    client: Client, alpha: Any, tmp_path: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from safeboard.child_deaths import services as cd_services
    from safeboard.partnership.models import Area, Role

    from .conftest import sign_in

    coordinator = f.user("coord", p=alpha, roles=[(Role.CDOP_COORDINATOR, None)])
    sign_in(client, coordinator)
    today = timezone.localdate()
    with tenancy.partnership_scope(alpha):
        death = cd_services.notify(
            partnership=alpha,
            panel=None,
            home_area=Area.objects.first(),
            first_name=HYPERLINK,
            surname=AT,
            notifier=COMMAND,
            date_of_birth=today - timedelta(days=400),
            date_of_death=today - timedelta(days=10),
        )
        cd_services.record_review(
            death,
            panel_date=today,
            completed_on=today,
            category=3,
            modifiable=True,
            modifiable_factors=SUM,
            learning=COMMAND,
        )
    response = client.get(f"/p/alpha/child-deaths/{death.pk}/ncmd.csv")
    assert response.status_code == 200
    cells = csv_cells(response.content, "ncmd")
    assert escaped(HYPERLINK, AT, SUM, COMMAND) <= cells
    year = f"{today.year if today.month >= 4 else today.year - 1}"
    label = f"{year}-{(int(year) + 1) % 100:02d}"
    table = client.get(f"/p/alpha/child-deaths/tables/category.csv?year={label}")
    assert "Total" in csv_cells(table.content, "category table")
    call_command(
        "child-deaths", "tables", "--partnership", "alpha", "--year", label, "--out", str(tmp_path)
    )
    for path in tmp_path.iterdir():
        csv_cells(path.read_bytes(), path.name)


@pytest.mark.django_db
def test_the_exception_report_writes_risky_text_as_text(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    """The exception report's CSV and workbook: an indicator titled as a formula, red, with a
    note that is one."""
    ind = indicator(alpha, "R1", title=COMMAND, owner=police, polarity="low", target=(1.0, 1.0))
    put(alpha, ind, "2025-26 Q1", 50, note=SUM)
    base = reverse("performance:exceptions-csv", kwargs={"partnership": "alpha"})
    cells = csv_cells(consume(as_alice.get(base + "?period=2025-26+Q1")), "exceptions")
    assert escaped(COMMAND, SUM) <= cells
    book = reverse("performance:exceptions-xlsx", kwargs={"partnership": "alpha"})
    cells = xlsx_cells(consume(as_alice.get(book + "?period=2025-26+Q1")), "exceptions.xlsx")
    assert {COMMAND, SUM} <= cells


@pytest.mark.django_db
def test_allegation_exports_write_risky_text_as_text(
    client: Client, alpha: Any, tmp_path: Path
) -> None:
    """The LADO register's export (CSV and workbook), the year's tables (one file and the
    zip, as the LADO sees them and as published) and the tables command: an adult, a setting
    and an employer type named as formulas."""
    import zipfile

    from safeboard.allegations import services as lado_services
    from safeboard.allegations.models import Allegation, Kind, Term, TermList
    from safeboard.partnership.models import Role

    from .conftest import sign_in

    sign_in(client, f.user("lado", p=alpha, roles=[(Role.LADO, None)]))
    with tenancy.partnership_scope(alpha):
        lado_services.ensure_default_terms(alpha)
        employer, _ = lado_services.add_term(alpha, TermList.EMPLOYER, COMMAND)

        def first(list_name: str) -> Term:
            found = Term.objects.filter(list=list_name).first()
            assert found is not None
            return found

        lado_services.save_allegation(
            Allegation(
                reference="A-X",
                kind=Kind.ALLEGATION,
                received=date(2017, 1, 31),
                referrer=first(TermList.REFERRER),
                employer_type=employer,
                category=first(TermList.CATEGORY),
                adult_name=HYPERLINK,
                employer_name=AT,
                harmed_child=True,
            ),
            alpha,
            [],
        )
    base = "/p/alpha/allegations/"
    cells = csv_cells(consume(client.get(base + "export/?format=csv")), "allegations")
    assert escaped(HYPERLINK, AT, COMMAND) <= cells
    book = xlsx_cells(consume(client.get(base + "export/?format=xlsx")), "allegations.xlsx")
    assert {HYPERLINK, AT, COMMAND} <= book
    for public in ("", "&public=1"):
        archive = consume(client.get(base + f"tables/download/?year=2016-17{public}"))
        with zipfile.ZipFile(io.BytesIO(archive)) as found:
            names = found.namelist()
            tables = {n: csv_cells(found.read(n), n) for n in names}
        assert any(escaped(COMMAND) <= t for t in tables.values()), public
        for name in names:
            one = client.get(base + f"tables/download/?year=2016-17&file={name}{public}")
            csv_cells(consume(one), name)
    call_command(
        "allegations",
        "tables",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--out",
        str(tmp_path),
    )
    written = {p.name: csv_cells(p.read_bytes(), p.name) for p in tmp_path.iterdir()}
    assert any(escaped(COMMAND) <= cells for cells in written.values())
