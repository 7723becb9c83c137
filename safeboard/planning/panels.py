"""Planning's navigation entry and home page panels (registered in apps.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from safeboard.core import modules
from safeboard.core.navigation import (
    Waiting,
    register_fragment,
    register_nav,
    register_panel,
    register_waiting,
)
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.registers import RegisterReader

from . import selectors
from .models import OPEN_STATES, Action, Challenge, Risk, RiskStatus, State


def _your_actions(request: PartnershipRequest) -> dict[str, Any] | None:
    member = request.member
    counts = selectors.tracker_counts(member, timezone.localdate())
    # The completions waiting for this member's confirmation (a chair's groups' actions; the
    # business unit's, every one), the oldest first: the first few by name.
    to_confirm: list[Action] = []
    confirming = 0
    if member.is_admin or selectors.chaired_groups(member):
        awaiting = Action.objects.filter(
            selectors.readable(member),
            selectors.to_confirm(member),
            state=State.AWAITING_CONFIRMATION,
        ).order_by("completed_on", "pk")
        confirming = awaiting.count()
        to_confirm = RegisterReader.for_request(request).visible(awaiting[:5])
    if not (counts["mine"] or counts["agency"] or member.is_admin or confirming):
        return None
    return {
        "counts": counts,
        "is_admin": member.is_admin,
        "has_agency": bool(member.agency_ids),
        "to_confirm": to_confirm,
        "confirming": confirming,
    }


def _plan(request: PartnershipRequest) -> dict[str, Any] | None:
    today = timezone.localdate()
    plan = selectors.current_plan(today)
    if plan is None:
        return None
    return {
        "plan": plan,
        "indicators": selectors.plan_indicators(plan, today),
        "tracker_url": reverse(
            "planning:actions", kwargs={"partnership": request.partnership.slug}
        ),
    }


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


def _waiting(request: PartnershipRequest) -> list[Waiting]:
    """What waits for the person in planning: completions of actions to confirm (the chair of
    the overseeing group, or the business unit), challenges to their agencies to answer (its
    safeguarding lead), and their own and their agency's actions overdue."""
    member = request.member
    today = timezone.localdate()
    slug = request.partnership.slug
    tracker = reverse("planning:actions", kwargs={"partnership": slug})
    found = []
    seen = Action.objects.filter(selectors.readable(member))
    confirm = seen.filter(selectors.to_confirm(member), state=State.AWAITING_CONFIRMATION)
    if member.is_admin or selectors.chaired_groups(member):
        count = confirm.count()
        found.append(
            Waiting(
                "Completions of actions to confirm",
                count,
                f"{tracker}?who=confirm&when=awaiting",
                one="Completion of an action to confirm",
            )
        )
    to_answer = selectors.challenges_to_answer(member)
    if to_answer.exists():
        first = to_answer.aggregate(due=Min("response_due"))["due"]
        found.append(
            Waiting(
                "Challenges to answer",
                to_answer.count(),
                reverse("planning:challenges", kwargs={"partnership": slug}) + "?show=to_answer",
                first is not None and first < today,
                first,
                one="Challenge to answer",
            )
        )
    overdue = selectors.when_filter("overdue", today)
    mine = seen.filter(selectors.my_actions(member)).filter(overdue).count()
    found.append(
        Waiting(
            "Your actions overdue",
            mine,
            f"{tracker}?who=mine&when=overdue",
            True,
            one="Your action overdue",
        )
    )
    if member.agency_ids:
        agency = seen.filter(selectors.agency_actions(member.agency_ids)).filter(overdue).count()
        found.append(
            Waiting(
                "Your agency’s actions overdue",
                agency,
                f"{tracker}?who=agency&when=overdue",
                True,
                one="Your agency’s action overdue",
            )
        )
    return found


def register() -> None:
    register_waiting(_waiting, perm="planning.view", order=20)
    register_nav("Planning", "planning:index", perm="planning.view", order=35)
    register_panel("planning/panels/actions.html", _your_actions, perm="planning.view", order=8)
    register_panel("planning/panels/plan.html", _plan, perm="planning.view", order=40)
    register_panel("planning/panels/risks.html", _risks, perm="planning.view", order=45)
    register_fragment(
        "meeting", "planning/_meeting_summary.html", _meeting_actions, perm="planning.view"
    )
    register_fragment(
        "record_actions", "planning/_record_actions.html", _record_actions, perm="planning.view"
    )


def _meeting_actions(request: PartnershipRequest, meeting: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "from_meeting": selectors.actions_from_meeting(meeting, request.member).count(),
        "due": len(selectors.actions_due_to_meeting(meeting, request.member)),
    }


def _record_actions(request: PartnershipRequest, record: Any) -> dict[str, Any] | None:
    """The actions that came from a record of another module (an indicator of the exception
    report …): how many, open and overdue, with links to them in the tracker and to add one.
    For records of a kind no action source names, nothing."""
    label = record._meta.label
    source = next((k for k, s in modules.action_sources().items() if s.model == label), None)
    if source is None:
        return None
    today = timezone.localdate()
    actions = Action.objects.filter(
        selectors.readable(request.member),
        source_type=ContentType.objects.get_for_model(record),
        source_id=record.pk,
    )
    return {
        "record": record,
        "source": source,
        "total": actions.count(),
        "open": actions.filter(state__in=OPEN_STATES).count(),
        "overdue": actions.filter(selectors.when_filter("overdue", today)).count(),
        "can_add": request.user.has_perm("planning.manage", request.partnership),
    }
