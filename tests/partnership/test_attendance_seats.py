"""Attendance by seat as well as by agency (seed 004 counts each of a council's four seats),
and people who hold no agency never merged into one row."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.partnership import selectors
from safeboard.partnership import services as ps
from safeboard.partnership.models import Agency, GroupKind, MemberRole

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_seats_and_people_without_an_agency(alpha: Any, police: Any) -> None:
    board = f.group(alpha, "Board", GroupKind.BOARD)
    with tenancy.unscoped():
        council = ps.save(Agency(name="Alpha Council", short_name="AC", sector="other"), alpha)
    dcs = f.person(alpha, "Director of Children's Services", council)
    edu = f.person(alpha, "Head of Education", council)
    chair = f.person(alpha, "Independent Chair")
    lay = f.person(alpha, "Lay Member")
    with tenancy.partnership_scope(alpha):
        seats = [
            ps.add_member(board, person=chair, role=MemberRole.CHAIR),
            ps.add_member(board, person=lay),
            ps.add_member(board, person=dcs),
            ps.add_member(board, person=edu),
        ]
        for when, statuses in (
            (date(2016, 6, 1), ["present", "present", "present", "absent"]),
            (date(2016, 12, 1), ["present", "absent", "apologies", "absent"]),
        ):
            ps.record_attendance(
                f.meeting(board, when),
                [
                    ps.AttendanceLine(seat, seat.person, None, status)
                    for seat, status in zip(seats, statuses, strict=True)
                ],
            )
        by_agency = selectors.attendance_by_agency(FinancialYear(2016), [board])
        by_seat = selectors.attendance_by_seat(FinancialYear(2016), [board])
    rows = {r.label: (r.expected, r.attended) for r in by_agency.rows}
    # The council counts once a meeting (came to the first, not the second); the chair and
    # the lay member are each their own row.
    assert rows == {
        "Alpha Council": (2, 1),
        "Independent Chair (no agency)": (2, 2),
        "Lay Member (no agency)": (2, 1),
    }
    seats_ = {r.label: (r.expected, r.attended) for r in by_seat.rows}
    assert seats_ == {
        "Director of Children's Services, Alpha Council": (2, 1),
        "Head of Education, Alpha Council": (2, 0),
        "Independent Chair (no agency), chair": (2, 2),
        "Lay Member (no agency)": (2, 1),
    }
    assert by_seat.overall_rate == pytest.approx(100 * 4 / 8)


def _board_with_seats(alpha: Any) -> Any:
    board = f.group(alpha, "Board", GroupKind.BOARD)
    with tenancy.unscoped():
        council = ps.save(Agency(name="Alpha Council", short_name="AC", sector="other"), alpha)
    people = [
        f.person(alpha, "Independent Chair"),
        f.person(alpha, "Lay Member"),
        f.person(alpha, "Director of Children's Services", council),
        f.person(alpha, "Head of Education", council),
    ]
    with tenancy.partnership_scope(alpha):
        seats = [ps.add_member(board, person=p) for p in people]
        ps.record_attendance(
            f.meeting(board, date(2016, 6, 1)),
            [
                ps.AttendanceLine(seat, seat.person, None, status)
                for seat, status in zip(
                    seats, ["present", "absent", "present", "absent"], strict=True
                )
            ],
        )
    return board


def test_the_attendance_page_shows_attendance_by_seat_as_well_as_by_agency(
    as_alice: Any, alpha: Any
) -> None:
    _board_with_seats(alpha)
    by_agency = as_alice.get("/p/alpha/attendance/?year=2016").content.decode()
    assert "Attendance by agency" in by_agency and 'value="seat"' in by_agency
    assert "Head of Education, Alpha Council" not in by_agency
    page = as_alice.get("/p/alpha/attendance/?year=2016&by=seat").content.decode()
    assert "Attendance by seat" in page
    for label in (
        "Director of Children&#x27;s Services, Alpha Council",
        "Head of Education, Alpha Council",
        "Independent Chair (no agency)",
        "Lay Member (no agency)",
    ):
        assert page.count(label) == 2, label  # the table and the meetings grid
    # The grid marks each seat's own attendance, never its agency's or another person's.
    grid = page.split('data-testid="attendance-grid"')[1]
    row = grid.split("Head of Education, Alpha Council")[1].split("</tr>")[0]
    assert "<strong>Absent</strong>" in row and "Came" not in row
    export = as_alice.get("/p/alpha/attendance/export.csv?year=2016&by=seat").content.decode()
    assert export.lstrip("\ufeff").splitlines()[0].startswith("seat,")
    assert "Head of Education, Alpha Council" in export


def test_the_grid_never_merges_people_without_an_agency(as_alice: Any, alpha: Any) -> None:
    _board_with_seats(alpha)
    page = as_alice.get("/p/alpha/attendance/?year=2016").content.decode()
    grid = page.split('data-testid="attendance-grid"')[1]
    lay = grid.split("Lay Member (no agency)")[1].split("</tr>")[0]
    chair = grid.split("Independent Chair (no agency)")[1].split("</tr>")[0]
    assert "<strong>Absent</strong>" in lay and "Came" not in lay
    assert "Came" in chair and "Absent" not in chair
