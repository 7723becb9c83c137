"""The performance module's navigation entries and home page panels."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from safeboard.core.navigation import Waiting, register_nav, register_panel, register_waiting
from safeboard.partnership.access import PartnershipRequest

from . import selectors
from .models import CollectionRound, ReturnStatus, RoundStatus


def _returns(request: PartnershipRequest) -> dict[str, Any] | None:
    """A contributor's or lead's returns in open rounds."""
    rounds = selectors.open_rounds_for(request.member)
    if not rounds:
        return None
    return {"rounds": rounds, "today": date.today()}


def _scorecard(request: PartnershipRequest) -> dict[str, Any] | None:
    period = selectors.default_period()
    card = selectors.scorecard(request.partnership, period)
    if not card.rows:
        return None
    return {
        "period": period,
        "counts": card.counts(),
        "exceptions": len(selectors.exceptions(card)),
    }


def _collection(request: PartnershipRequest) -> dict[str, Any] | None:
    collection = CollectionRound.objects.filter(status=RoundStatus.OPEN).first()
    if collection is None:
        return {"round": None}
    returns = list(collection.returns.all())
    signed = sum(1 for r in returns if r.status == ReturnStatus.SIGNED_OFF)
    overdue = 0
    if date.today() > collection.due:
        overdue = len(returns) - signed
    return {"round": collection, "signed": signed, "total": len(returns), "overdue": overdue}


def _waiting(request: PartnershipRequest) -> list[Waiting]:
    """Returns in open rounds that wait for the person: to sign off (ready, and theirs to
    sign: `performance.sign_off`), and to complete (in progress, of agencies they enter
    for). Each links to the round's returns at that stage."""
    today = date.today()
    found = []
    user = request.user
    for collection in CollectionRound.objects.filter(status=RoundStatus.OPEN):
        returns = list(collection.returns.select_related("agency"))
        url = reverse(
            "performance:round",
            kwargs={"partnership": request.partnership.slug, "pk": collection.pk},
        )
        late = collection.due < today
        to_sign = [
            r
            for r in returns
            if r.status == ReturnStatus.READY and user.has_perm("performance.sign_off", r)
        ]
        if to_sign:
            found.append(
                Waiting(
                    f"Returns for {collection.period} to sign off",
                    len(to_sign),
                    f"{url}?status={ReturnStatus.READY}",
                    late,
                    collection.due,
                    one=f"Return for {collection.period} to sign off",
                )
            )
        to_do = [
            r
            for r in returns
            if r.status == ReturnStatus.DRAFT
            and r.agency_id in request.member.agency_ids
            and user.has_perm("performance.enter_return", r)
        ]
        if to_do:
            found.append(
                Waiting(
                    f"Returns for {collection.period} to complete",
                    len(to_do),
                    f"{url}?status={ReturnStatus.DRAFT}",
                    late,
                    collection.due,
                    one=f"Return for {collection.period} to complete",
                )
            )
    return found


def register() -> None:
    register_waiting(_waiting, perm="performance.view_rounds", order=10)
    register_nav("Performance", "performance:scorecard", perm="performance.view", order=15)
    register_nav("Data returns", "performance:rounds", perm="performance.view_rounds", order=16)
    register_panel(
        "performance/panels/returns.html", _returns, perm="performance.view_rounds", order=2
    )
    register_panel(
        "performance/panels/collection.html", _collection, perm="performance.manage", order=6
    )
    register_panel(
        "performance/panels/scorecard.html", _scorecard, perm="performance.view", order=20
    )
