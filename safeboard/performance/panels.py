"""The performance module's navigation entries and home page panels."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeboard.core.navigation import register_nav, register_panel
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


def register() -> None:
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
