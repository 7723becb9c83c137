"""Every count on the partnership's home panels is a link to the list it counts, filtered the
same way: following the link lists exactly that many."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.core.periods import current_financial_year
from safeboard.partnership import services
from safeboard.partnership.models import Agency, GroupKind, Sector

from .. import factories as f

pytestmark = pytest.mark.django_db


def _panel(body: str, panel_id: str) -> str:
    start = body.index(f'id="{panel_id}"')
    return body[start : body.index("</section>", start)]


def _links(panel: str) -> dict[str, tuple[int, str]]:
    found = re.findall(r'<a class="govuk-link" href="([^"]+)">(\d+) ([^<]+)</a>', panel)
    return {label: (int(count), href.replace("&amp;", "&")) for href, count, label in found}


def test_the_partnership_panel_counts_link_to_lists_of_as_many(
    as_alice: Client, alpha: Any, police: Any, health: Any
) -> None:
    today = date.today()
    # An agency that joins next month and one that left last year: not current.
    joining = f.agency(alpha, "NEW", "Joining Trust", Sector.HEALTH_PROVIDER)
    former = f.agency(alpha, "OLD", "Former Trust", Sector.HEALTH_PROVIDER)
    with tenancy.unscoped():
        Agency.objects.filter(pk=joining.pk).update(valid_from=today + timedelta(days=30))
        Agency.objects.filter(pk=former.pk).update(valid_to=today - timedelta(days=365))
    f.group(alpha, "Alpha Board", GroupKind.BOARD)
    f.group(alpha, "Old subgroup", GroupKind.SUBGROUP, ended=today - timedelta(days=10))
    f.group(alpha, "Ending subgroup", GroupKind.SUBGROUP, ended=today + timedelta(days=10))
    links = _links(_panel(as_alice.get("/p/alpha/").content.decode(), "panel-admin"))
    agencies, url = links["agencies"]
    assert agencies == 2  # the police and the hospitals trust
    page = as_alice.get(url).content.decode()
    assert "Alpha Police" in page and "Alpha Hospitals Trust" in page
    assert "Joining Trust" not in page and "Former Trust" not in page
    groups, url = links["groups"]
    assert groups == 2
    page = as_alice.get(url).content.decode()
    assert "Alpha Board" in page and "Ending subgroup" in page and "Old subgroup" not in page


def test_the_attendance_panels_meetings_count_links_to_that_years_meetings(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    year = current_financial_year().previous()
    board = f.group(alpha, "Alpha Board", GroupKind.BOARD)
    pat = f.person(alpha, "Pat", police)
    with tenancy.partnership_scope(alpha):
        seat = services.add_member(board, person=pat, start=year.start)
        for day in (year.start + timedelta(days=40), year.start + timedelta(days=100)):
            services.record_attendance(
                f.meeting(board, day), [services.AttendanceLine(seat, pat, None, "present")]
            )
    panel = _panel(as_alice.get("/p/alpha/").content.decode(), "panel-attendance")
    count, url = _links(panel)["board meetings"]
    assert count == 2
    page = as_alice.get(url).content.decode()
    assert f"{year.label}: 2 meetings" in page
