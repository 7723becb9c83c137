"""Planning's navigation entry and home page panels (registered in apps.ready)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeboard.core.navigation import register_fragment, register_nav, register_panel
from safeboard.partnership.access import PartnershipRequest

from . import selectors
from .models import Challenge, Risk, RiskStatus


def _your_actions(request: PartnershipRequest) -> dict[str, Any] | None:
    member = request.member
    counts = selectors.tracker_counts(member, timezone.localdate())
    if not (counts["mine"] or counts["agency"] or member.is_admin):
        return None
    return {"counts": counts, "is_admin": member.is_admin, "has_agency": bool(member.agency_ids)}


def _plan(request: PartnershipRequest) -> dict[str, Any] | None:
    today = timezone.localdate()
    plan = selectors.current_plan(today)
    if plan is None:
        return None
    return {"plan": plan, "indicators": selectors.plan_indicators(plan, today)}


def _risks(request: PartnershipRequest) -> dict[str, Any] | None:
    today = timezone.localdate()
    risks = list(Risk.objects.filter(status=RiskStatus.OPEN))
    challenges = list(Challenge.objects.filter(closed_on__isnull=True))
    if not risks and not challenges:
        return None
    return {
        "heat": selectors.heat_map(risks),
        "above_target": sum(1 for r in risks if r.above_target),
        "to_review": sum(1 for r in risks if r.review_overdue(today)),
        "challenges": len(challenges),
        "unanswered": sum(1 for c in challenges if c.needs_escalation(today)),
    }


def register() -> None:
    register_nav("Planning", "planning:index", perm="planning.view", order=35)
    register_panel("planning/panels/actions.html", _your_actions, perm="planning.view", order=8)
    register_panel("planning/panels/plan.html", _plan, perm="planning.view", order=40)
    register_panel("planning/panels/risks.html", _risks, perm="planning.view", order=45)
    register_fragment(
        "meeting", "planning/_meeting_summary.html", _meeting_actions, perm="planning.view"
    )


def _meeting_actions(request: PartnershipRequest, meeting: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "from_meeting": selectors.actions_from_meeting(meeting, request.member).count(),
        "due": len(selectors.actions_due_to_meeting(meeting, request.member)),
    }
