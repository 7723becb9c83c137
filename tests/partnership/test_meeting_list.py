"""The meetings list: the latest first, 25 a page, filtered by group, when and status."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import GroupKind, Meeting, MeetingStatus

from .. import factories as f


@pytest.fixture
def many(alpha: Any) -> Any:
    board = f.group(alpha, "Alpha Board", GroupKind.BOARD)
    with tenancy.partnership_scope(alpha):
        start = date(2020, 1, 6)
        for week in range(30):
            Meeting.objects.create(
                partnership=alpha,
                group=board,
                date=start + timedelta(weeks=week),
                status=MeetingStatus.CANCELLED if week == 3 else MeetingStatus.HELD,
            )
    return board


def _dates(html: str) -> list[str]:
    return re.findall(r'/meetings/\d+/">([^<]+)</a>', html)


@pytest.mark.django_db
def test_the_latest_meetings_come_first_a_page_at_a_time(as_bob: Client, many: Any) -> None:
    html = as_bob.get("/p/alpha/meetings/").content.decode()
    shown = _dates(html)
    assert len(shown) == 25
    assert shown[0] == "27 Jul 2020" and shown[-1] == "10 Feb 2020"
    assert "Page 1 of 2" in html and "page=2" in html
    rest = _dates(as_bob.get("/p/alpha/meetings/?page=2").content.decode())
    assert rest == ["3 Feb 2020", "27 Jan 2020", "20 Jan 2020", "13 Jan 2020", "6 Jan 2020"]


@pytest.mark.django_db
def test_meetings_are_filtered_by_status_keeping_the_filter_across_pages(
    as_bob: Client, many: Any
) -> None:
    html = as_bob.get("/p/alpha/meetings/?status=cancelled").content.decode()
    assert _dates(html) == ["27 Jan 2020"]
    html = as_bob.get(f"/p/alpha/meetings/?group={many.pk}&when=past").content.decode()
    assert f"group={many.pk}&amp;when=past&amp;page=2" in html
