"""The partnership's home page panels and navigation entries (registered in apps.ready)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from safeboard.core.navigation import (
    register_fragment,
    register_nav,
    register_panel,
    register_waiting,
    waiting_for,
)
from safeboard.core.periods import current_financial_year

from . import clocks, selectors
from .access import MEMBER, PartnershipRequest, partnerships_of
from .models import Agency, Group, GroupKind, Meeting, MeetingStatus, Person, Role


def _you(request: PartnershipRequest) -> dict[str, Any]:
    member = request.member
    roles = [Role(r).label for r in sorted(member.roles)]
    agencies = Agency.objects.filter(pk__in=member.agency_ids)
    groups = (
        Group.objects.filter(memberships__person=member.person)
        .filter(Q(memberships__end__isnull=True) | Q(memberships__end__gte=date.today()))
        .distinct()
    )
    return {"person": member.person, "roles": roles, "agencies": agencies, "groups": groups}


def _meetings(request: PartnershipRequest) -> dict[str, Any]:
    member = request.member
    mine = Group.objects.filter(memberships__person=member.person).distinct()
    groups = None if member.is_admin or not mine.exists() else mine
    return {"meetings": selectors.upcoming_meetings(groups)}


def _admin(request: PartnershipRequest) -> dict[str, Any] | None:
    today = date.today()
    return {
        "agencies": selectors.current_agencies(today).count(),
        "people": Person.objects.filter(active=True).count(),
        "groups": selectors.current_groups(today).count(),
        "unrecorded": Meeting.objects.filter(date__lt=today, status=MeetingStatus.SCHEDULED)
        .select_related("group")
        .order_by("-date")[:5],
    }


def _attendance(request: PartnershipRequest) -> dict[str, Any] | None:
    year = current_financial_year().previous()
    boards = list(Group.objects.filter(kind=GroupKind.BOARD))
    if not boards:
        return None
    report = selectors.attendance_by_agency(year, boards)
    if report.overall_rate is None:
        return None
    return {"report": report}


def register() -> None:
    register_nav("Home", "partnership:home", perm=MEMBER, order=0)
    register_nav("Groups", "partnership:groups", perm=MEMBER, order=20)
    register_nav("Meetings", "partnership:meetings", perm=MEMBER, order=30)
    register_nav("Agencies", "partnership:agencies", perm=MEMBER, order=40)
    register_nav("People", "partnership:people", perm=MEMBER, order=50)
    register_nav("Attendance", "partnership:attendance", perm=MEMBER, order=60)
    register_nav("Areas", "partnership:areas", perm=MEMBER, order=70)
    register_panel("partnership/panels/you.html", _you, perm=MEMBER, order=0)
    register_panel("partnership/panels/admin.html", _admin, perm="partnership.manage", order=5)
    register_panel("partnership/panels/meetings.html", _meetings, perm=MEMBER, order=10)
    register_panel("partnership/panels/attendance.html", _attendance, perm=MEMBER, order=60)
    register_panel("partnership/panels/clocks.html", clocks.panel, perm=MEMBER, order=3)
    register_panel("partnership/panels/waiting.html", _waiting, perm=MEMBER, order=-10)
    register_waiting(clocks.waiting, perm=MEMBER, order=5)
    register_fragment(
        "account",
        "partnership/fragments/your_partnerships.html",
        _your_partnerships,
        perm="accounts.own_account",
    )


def _waiting(request: PartnershipRequest) -> dict[str, Any]:
    return {"items": waiting_for(request)}


def _your_partnerships(request: Any) -> dict[str, Any]:
    return {"partnerships": partnerships_of(request.user)}
