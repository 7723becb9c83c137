"""The case reviews' navigation entry, and what waits for the case review officer (registered
in apps.ready): cases with a milestone overdue, awaiting an agency's assurance, or published
with dissemination outstanding. Each count links to the case list filtered to exactly those
cases. The statutory clocks of the cases wait in the core's own item ("Statutory clocks
overdue or about to run out", `partnership/clocks.py`), for the same people."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeboard.core.navigation import Waiting, register_nav, register_waiting
from safeboard.partnership.access import PartnershipRequest

from . import selectors
from .apps import CASE_REVIEWS


def _waiting(request: PartnershipRequest) -> list[Waiting]:
    # Counts only: no case is named, so nothing is read from the register (nor logged).
    if not request.member.may_open(CASE_REVIEWS):
        return []
    today = timezone.localdate()
    url = reverse("learning:index", args=[request.partnership.slug])
    found = []
    for waiting in selectors.WAITING:
        count = selectors.waiting(waiting.key, today).count()
        if not count:
            continue
        due = selectors.first_overdue_milestone(today) if waiting.urgent else None
        found.append(
            Waiting(
                waiting.label,
                count,
                f"{url}?show={waiting.key}",
                waiting.urgent,
                due,
                one=waiting.one,
            )
        )
    return found


def register() -> None:
    register_nav("Case reviews", "learning:index", perm="learning.view", order=38)
    register_waiting(_waiting, perm="learning.manage", order=45)
