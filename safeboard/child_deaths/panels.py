"""The register's navigation entry, and what waits for its keepers (registered at start-up).

"Waiting for you" counts, for those who open the register only (`child_deaths.view`): late
agency forms, deaths ready for the panel (every form in, no completed review), and completed
reviews whose recommendations the panel has not released. Each links to the list filtered to
exactly what it counts; no label names a record. The forms' clocks also show on the clocks
page and in its own "waiting for you" item (the clock engine)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeboard.core.navigation import Waiting, register_nav, register_waiting
from safeboard.partnership.access import PartnershipRequest

from . import selectors
from .models import AgencyForm


def _waiting(request: PartnershipRequest) -> list[Waiting]:
    today = timezone.localdate()
    slug = request.partnership.slug
    index = reverse("child_deaths:index", args=[slug])
    found = []
    late = AgencyForm.objects.filter(received_on__isnull=True, due__lt=today)
    count = late.count()
    if count:
        first = late.order_by("due").values_list("due", flat=True).first()
        found.append(
            Waiting(
                "Late agency reporting forms (child death reviews)",
                count,
                reverse("child_deaths:agency-forms", args=[slug]) + "?show=late",
                True,
                first,
                one="Late agency reporting form (child death reviews)",
            )
        )
    ready = selectors.ready_for_panel().count()
    found.append(
        Waiting(
            "Child deaths ready for the panel",
            ready,
            f"{index}?status=awaiting_panel",
            one="Child death ready for the panel",
        )
    )
    to_release = selectors.to_release().count()
    found.append(
        Waiting(
            "Child death reviews with recommendations to release",
            to_release,
            f"{index}?status={selectors.TO_RELEASE}",
            one="Child death review with recommendations to release",
        )
    )
    return [w for w in found if w.count]


def register() -> None:
    register_nav("Child deaths", "child_deaths:index", perm="child_deaths.view", order=60)
    register_waiting(_waiting, perm="child_deaths.view", order=45)
