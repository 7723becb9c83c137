"""Private fostering's navigation entry (the annual figures are for every member) and, for
the service, the overdue visits waiting on the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeboard.core.navigation import Waiting, register_nav, register_waiting
from safeboard.partnership.access import PartnershipRequest

from . import selectors


def _overdue(request: PartnershipRequest) -> list[Waiting]:
    visits = list(selectors.overdue_visits(timezone.localdate()).values_list("due", flat=True))
    if not visits:
        return []
    url = reverse("private_fostering:overdue", args=[request.partnership.slug])
    return [
        Waiting(
            "Private fostering visits overdue",
            len(visits),
            url,
            True,
            min(visits),
            one="Private fostering visit overdue",
        )
    ]


def _soon(request: PartnershipRequest) -> list[Waiting]:
    due = list(selectors.visits_due_soon(timezone.localdate()).values_list("due", flat=True))
    if not due:
        return []
    url = reverse("private_fostering:overdue", args=[request.partnership.slug]) + "?when=soon"
    return [
        Waiting(
            f"Private fostering visits due within {selectors.SOON_WORKING_DAYS} working days",
            len(due),
            url,
            False,
            min(due),
            one=f"Private fostering visit due within {selectors.SOON_WORKING_DAYS} working days",
        )
    ]


def _unassessed(request: PartnershipRequest) -> list[Waiting]:
    count = selectors.awaiting_assessment().count()
    if not count:
        return []
    url = reverse("private_fostering:index", args=[request.partnership.slug]) + "?show=unassessed"
    return [
        Waiting(
            "Private fostering arrangements awaiting assessment",
            count,
            url,
            False,
            None,
            one="Private fostering arrangement awaiting assessment",
        )
    ]


def register() -> None:
    register_nav(
        "Private fostering",
        "private_fostering:figures",
        perm="private_fostering.view_figures",
        order=62,
    )
    register_waiting(_overdue, perm="private_fostering.view", order=41)
    register_waiting(_soon, perm="private_fostering.view", order=42)
    register_waiting(_unassessed, perm="private_fostering.view", order=43)
