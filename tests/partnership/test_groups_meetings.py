from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.partnership import selectors, services
from safeboard.partnership.models import (
    Attendance,
    GroupKind,
    GroupMembership,
    MemberRole,
    Objective,
    Paper,
    Role,
)

from .. import factories as f
from ..conftest import consume, sign_in


@pytest.fixture
def board(alpha: Any) -> Any:
    return f.group(alpha, "Alpha Board", GroupKind.BOARD)


@pytest.mark.django_db
def test_alice_builds_a_group_with_terms_of_reference(
    as_alice: Client, alpha: Any, board: Any, police: Any
) -> None:
    response = as_alice.post(
        "/p/alpha/groups/new/",
        {
            "name": "Exploitation subgroup",
            "kind": "subgroup",
            "parent": board.pk,
            "purpose": "Leads the response to exploitation.",
        },
    )
    assert response.status_code == 302
    group_url = response.url
    pk = int(group_url.rstrip("/").split("/")[-1])
    as_alice.post(f"/p/alpha/groups/{pk}/objectives/", {"number": "1", "text": "Map risk"})
    as_alice.post(f"/p/alpha/groups/{pk}/objectives/", {"number": "2", "text": "Audit cases"})
    response = as_alice.post(
        f"/p/alpha/groups/{pk}/objectives/", {"number": "2", "text": "Dup"}, follow=True
    )
    assert "Objective 2 already exists" in response.content.decode()
    person = f.person(alpha, "Pat Police", police)
    as_alice.post(f"/p/alpha/groups/{pk}/members/", {"person": person.pk, "role": "chair"})
    page = as_alice.get(group_url).content.decode()
    assert "Map risk" in page and "Audit cases" in page
    with tenancy.partnership_scope(alpha):
        assert list(Objective.objects.filter(group_id=pk).values_list("number", "text")) == [
            (1, "Map risk"),
            (2, "Audit cases"),
        ]
        membership = GroupMembership.objects.get(group_id=pk)
        assert membership.agency == police  # the person's own agency, by default
        assert membership.role == MemberRole.CHAIR
    assert "Pat Police" in page
    assert "Alpha Board" in page  # reports to


@pytest.mark.django_db
def test_the_group_list_shows_the_structure(as_bob: Client, alpha: Any, board: Any) -> None:
    f.group(alpha, "Exec", GroupKind.EXECUTIVE, parent=board)
    body = as_bob.get("/p/alpha/groups/").content.decode()
    assert body.index("Alpha Board") < body.index("Exec")


def _seat(group: Any, person: Any, role: str = MemberRole.MEMBER) -> Any:
    with tenancy.partnership_scope(group.partnership):
        return services.add_member(group, person=person, role=role, start=date(2020, 1, 1))


@pytest.mark.django_db
def test_alice_records_attendance(
    as_alice: Client, alpha: Any, board: Any, police: Any, health: Any
) -> None:
    p1, p2 = f.person(alpha, "Pat", police), f.person(alpha, "Hana", health)
    s1, s2 = _seat(board, p1), _seat(board, p2)
    meeting = f.meeting(board, date.today() - timedelta(days=3))
    url = f"/p/alpha/meetings/{meeting.pk}/attendance/"
    page = as_alice.get(url).content.decode()
    assert "Pat" in page and "Hana" in page
    response = as_alice.post(url, {f"status-m{s1.pk}": "present", f"status-m{s2.pk}": "deputy"})
    assert "Enter the name of the deputy for Hana" in response.content.decode()
    response = as_alice.post(
        url,
        {
            f"status-m{s1.pk}": "present",
            f"status-m{s2.pk}": "deputy",
            f"deputy-m{s2.pk}": "Dr Deputy",
        },
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        rows = {
            a.person.name: (a.status, a.agency, a.deputy_name)
            for a in Attendance.objects.filter(meeting=meeting)
        }
        meeting.refresh_from_db()
    assert rows == {"Pat": ("present", police, ""), "Hana": ("deputy", health, "Dr Deputy")}
    assert meeting.status == "held"
    # Changing one answer changes only that row, and the audit trail says so.
    as_alice.post(
        url,
        {
            f"status-m{s1.pk}": "apologies",
            f"status-m{s2.pk}": "deputy",
            f"deputy-m{s2.pk}": "Dr Deputy",
        },
    )
    with tenancy.partnership_scope(alpha):
        pat = Attendance.objects.get(meeting=meeting, person=p1)
    entry = LogEntry.objects.get_for_object(pat).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["status"] == ["present", "apologies"]


@pytest.mark.django_db
def test_attendance_waits_for_the_meeting(
    as_alice: Client, alpha: Any, board: Any, police: Any
) -> None:
    seat = _seat(board, f.person(alpha, "Pat", police))
    meeting = f.meeting(board, date.today() + timedelta(days=10))
    response = as_alice.post(
        f"/p/alpha/meetings/{meeting.pk}/attendance/", {f"status-m{seat.pk}": "present"}
    )
    assert "once the meeting has taken place" in response.content.decode()


@pytest.mark.django_db
def test_the_chair_of_a_group_may_record_its_attendance_but_not_anothers(
    client: Client, alpha: Any, board: Any, police: Any
) -> None:
    chair_user = f.user("gina", p=alpha, agency=police, roles=[(Role.BOARD_MEMBER, None)])
    _seat(board, f.person_of(chair_user, alpha), MemberRole.CHAIR)
    other = f.group(alpha, "Other subgroup", GroupKind.SUBGROUP)
    sign_in(client, chair_user)
    yesterday = date.today() - timedelta(days=1)
    assert (
        client.get(f"/p/alpha/meetings/{f.meeting(board, yesterday).pk}/attendance/").status_code
        == 200
    )
    assert (
        client.get(f"/p/alpha/meetings/{f.meeting(other, yesterday).pk}/attendance/").status_code
        == 403
    )


@pytest.mark.django_db
def test_attendance_rate_by_agency_for_a_financial_year(
    alpha: Any, board: Any, police: Any, health: Any
) -> None:
    pat, hana, harry = (
        f.person(alpha, "Pat", police),
        f.person(alpha, "Hana", health),
        f.person(alpha, "Harry", health),
    )
    seats = {p.name: _seat(board, p) for p in (pat, hana, harry)}
    plan = [  # (date, Pat, Hana, Harry)
        (date(2016, 5, 18), "present", "apologies", "absent"),
        (date(2016, 9, 21), "deputy", "present", "apologies"),
        (date(2017, 1, 18), "absent", "apologies", "apologies"),
        (date(2017, 4, 19), "present", "present", "present"),  # next financial year
    ]
    with tenancy.partnership_scope(alpha):
        for when, *statuses in plan:
            meeting = f.meeting(board, when)
            services.record_attendance(
                meeting,
                [
                    services.AttendanceLine(
                        seats[p.name], p, None, s, "Deputy" if s == "deputy" else ""
                    )
                    for p, s in zip((pat, hana, harry), statuses, strict=True)
                ],
            )
        report = selectors.attendance_by_agency(FinancialYear(2016), [board])
    rows = {r.agency.short_name: (r.expected, r.attended, r.apologies) for r in report.rows}
    # Police came to 2 of 3; health (two seats, counted once a meeting) came to 1 of 3.
    assert rows == {"POL": (3, 2, 0), "HLT": (3, 1, 2)}
    assert report.meetings == 3
    assert round(report.overall_rate, 1) == 50.0


@pytest.mark.django_db
def test_the_attendance_page_and_csv_agree(
    as_bob: Client, alpha: Any, board: Any, police: Any
) -> None:
    pat = f.person(alpha, "Pat", police)
    seat = _seat(board, pat)
    with tenancy.partnership_scope(alpha):
        for day, status in ((date(2016, 6, 1), "present"), (date(2016, 7, 1), "absent")):
            services.record_attendance(
                f.meeting(board, day), [services.AttendanceLine(seat, pat, None, status)]
            )
    page = as_bob.get("/p/alpha/attendance/?year=2016").content.decode()
    assert "Alpha Police" in page and "50%" in page
    csv_text = as_bob.get("/p/alpha/attendance/export.csv?year=2016").content.decode()
    assert "Alpha Police,2,1,0,50.0" in csv_text
    assert "Overall,2,1,,50.0" in csv_text
    # The workbook is for people: columns in words, a rate below the target in red.
    book = load_workbook(
        io.BytesIO(consume(as_bob.get("/p/alpha/attendance/export.xlsx?year=2016")))
    )
    sheet = book.active
    assert [c.value for c in sheet[1]] == [
        "Agency",
        "Meetings expected",
        "Meetings attended",
        "Apologies",
        "Rate percent",
        "Against target",
    ]
    police_row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Alpha Police")
    assert police_row[4].value == 50.0
    assert police_row[5].value == "Below target"
    assert police_row[5].fill.fgColor.rgb.endswith("F4CDC6")
    fragment = as_bob.get("/p/alpha/attendance/?year=2016", HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()


@pytest.mark.django_db
def test_papers_follow_their_sensitivity(
    client: Client, alpha: Any, board: Any, police: Any, health: Any, alice: Any, bob: Any
) -> None:
    meeting = f.meeting(board, date.today() - timedelta(days=1))
    sign_in(client, alice)
    for title, tier, agency in (
        ("Minutes", "partnership", ""),
        ("Police draft", "agency", police.pk),
        ("Health draft", "agency", health.pk),
        ("Strategy minute", "restricted", ""),
    ):
        response = client.post(
            f"/p/alpha/meetings/{meeting.pk}/papers/",
            {
                "title": title,
                "sensitivity": tier,
                "agency": agency,
                "file": SimpleUploadedFile(f"{title}.txt", b"content"),
            },
        )
        assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        papers = {p.title: p for p in Paper.objects.all()}
    client.get(f"/p/alpha/meetings/{meeting.pk}/")  # shows (and so clears) the confirmations
    # Bob (police contributor) sees the partnership paper and his agency's, nothing else.
    client.force_login(bob)
    page = client.get(f"/p/alpha/meetings/{meeting.pk}/").content.decode()
    assert "Minutes" in page and "Police draft" in page
    assert "Health draft" not in page and "Strategy minute" not in page
    assert client.get(f"/p/alpha/papers/{papers['Health draft'].pk}/").status_code == 404
    assert client.get(f"/p/alpha/papers/{papers['Strategy minute'].pk}/").status_code == 404
    response = client.get(f"/p/alpha/papers/{papers['Police draft'].pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"content"
    # Reading a restricted paper is logged; reading others is not.
    sign_in(client, alice)
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    consume(client.get(f"/p/alpha/papers/{papers['Minutes'].pk}/"))
    consume(client.get(f"/p/alpha/papers/{papers['Strategy minute'].pk}/"))
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert reads.count() == before + 1
    entry = reads.latest("timestamp")
    assert entry.actor == alice and entry.object_repr == "Strategy minute"
    assert entry.additional_data["partnership"] == alpha.pk


@pytest.mark.django_db
def test_an_agency_paper_needs_its_agency(as_alice: Client, board: Any) -> None:
    meeting = f.meeting(board, date.today())
    as_alice.post(
        f"/p/alpha/meetings/{meeting.pk}/papers/",
        {"title": "Draft", "sensitivity": "agency", "file": SimpleUploadedFile("d.txt", b"x")},
        follow=True,
    )
    with tenancy.partnership_scope(board.partnership):
        assert not Paper.objects.exists()
