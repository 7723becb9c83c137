"""Recording attendance: everyone marked present at once, guests, and the meetings by agency
grid with each agency's trend against the year before."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership import services
from safeboard.partnership.models import Attendance, GroupKind, MemberRole

from .. import factories as f


@pytest.fixture
def board(alpha: Any) -> Any:
    return f.group(alpha, "Alpha Board", GroupKind.BOARD)


def _seat(group: Any, person: Any) -> Any:
    with tenancy.partnership_scope(group.partnership):
        return services.add_member(group, person=person, role=MemberRole.MEMBER)


@pytest.mark.django_db
def test_everyone_is_marked_present_then_saved_with_guests(
    as_alice: Client, alpha: Any, board: Any, police: Any, health: Any
) -> None:
    s1 = _seat(board, f.person(alpha, "Pat", police))
    s2 = _seat(board, f.person(alpha, "Hana", health))
    meeting = f.meeting(board, date.today() - timedelta(days=2))
    url = f"/p/alpha/meetings/{meeting.pk}/attendance/"
    response = as_alice.post(url, {"action": "all-present"})
    assert response.status_code == 200
    html = response.content.decode()
    for seat in (s1, s2):
        radio = f'name="status-m{seat.pk}" type="radio" value="present" checked'
        assert radio in html
    with tenancy.partnership_scope(alpha):
        assert not Attendance.objects.filter(meeting=meeting).exists()  # nothing saved yet
    response = as_alice.post(
        url,
        {
            "action": "save",
            f"status-m{s1.pk}": "present",
            f"status-m{s2.pk}": "apologies",
            "guests": "Sam Reed, Ofsted, observing\n",
        },
    )
    assert response.status_code == 302
    page = as_alice.get(f"/p/alpha/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="guests"' in page and "Sam Reed, Ofsted, observing" in page


@pytest.mark.django_db
def test_the_grid_shows_who_came_to_which_meeting_and_the_trend(
    as_bob: Client, alpha: Any, year_data: dict
) -> None:
    html = as_bob.get("/p/alpha/attendance/?year=2016").content.decode()
    assert 'data-testid="attendance-grid"' in html
    grid = html[html.index('data-testid="attendance-grid"') :]
    assert "15 Jun" in grid and "19 Oct" in grid and "15 Feb" in grid
    assert "Apologies" in grid and "Deputy" in grid and "Absent" in grid
    assert "No figure the year before" in grid
    # A meeting the year after: the trend is against 2016-17.
    board = year_data["board"]
    with tenancy.partnership_scope(alpha):
        seats = list(board.memberships.order_by("pk"))
        meeting = f.meeting(board, date(2017, 6, 14))
        services.record_attendance(
            meeting,
            [services.AttendanceLine(s, s.person, None, "present", "") for s in seats],
        )
    later = as_bob.get("/p/alpha/attendance/?year=2017").content.decode()
    assert "Up from 67%" in later or "Up from 33%" in later
