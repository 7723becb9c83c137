"""The LADO service's navigation entry (its tables are for every member) and, for those who
open the register, the open allegations that repeat an earlier subject or setting."""

from __future__ import annotations

from django.urls import reverse

from safeboard.core.navigation import Waiting, register_nav, register_waiting
from safeboard.partnership.access import PartnershipRequest

from . import selectors


def _repeats(request: PartnershipRequest) -> list[Waiting]:
    count = selectors.open_flagged().count()
    if not count:
        return []
    url = reverse("allegations:index", args=[request.partnership.slug]) + "?flagged=1&open=1"
    return [
        Waiting(
            "Open allegations about a repeat subject or setting",
            count,
            url,
            False,
            None,
            one="Open allegation about a repeat subject or setting",
        )
    ]


def _to_audit(request: PartnershipRequest) -> list[Waiting]:
    count = selectors.samples_to_audit().count()
    if not count:
        return []
    url = reverse("allegations:samples", args=[request.partnership.slug]) + "?show=to_audit"
    return [
        Waiting(
            "Audit samples with cases awaiting findings",
            count,
            url,
            False,
            None,
            one="Audit sample with cases awaiting findings",
        )
    ]


def register() -> None:
    register_nav(
        "Allegations (LADO)", "allegations:tables", perm="allegations.view_tables", order=60
    )
    register_waiting(_repeats, perm="allegations.view", order=40)
    register_waiting(_to_audit, perm="allegations.manage", order=40)
