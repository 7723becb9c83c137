"""The register's navigation entry, and what waits for its keepers (registered at start-up)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeboard.core.navigation import Waiting, register_nav, register_waiting
from safeboard.partnership.access import PartnershipRequest

from .models import AgencyForm


def _late_forms(request: PartnershipRequest) -> list[Waiting]:
    today = timezone.localdate()
    late = AgencyForm.objects.filter(received_on__isnull=True, due__lt=today)
    count = late.count()
    if not count:
        return []
    first = late.order_by("due").values_list("due", flat=True).first()
    return [
        Waiting(
            "Late agency reporting forms (child death reviews)",
            count,
            reverse("child_deaths:agency-forms", args=[request.partnership.slug]),
            True,
            first,
            one="Late agency reporting form (child death reviews)",
        )
    ]


def register() -> None:
    register_nav("Child deaths", "child_deaths:index", perm="child_deaths.view", order=60)
    register_waiting(_late_forms, perm="child_deaths.view")
