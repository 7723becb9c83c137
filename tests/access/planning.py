"""Access expectations for the planning module (see tests/access/__init__.py).

Every member reads the plan, the tracker, the risk register and the challenge log. The
business unit (admin) manages them. An action's owners update it: here a police action
overseen by the board, so the police contributor and the board's chair may, as may the
business unit; the board's chair or the business unit confirm completion and record impact.
The health lead answers challenges to the health trust. Read-only members (viewer), the
analyst and the LADO change nothing. Checks that change an action build a fresh one for
each visitor."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from safeboard.core import tenancy
from safeboard.planning import services
from safeboard.planning.models import Action

from . import Check, expect, only, past_meeting

P = {"partnership": "northdale"}
MEMBERS = expect(200)
ADMIN = only("admin")
ADMIN_POST = only("admin", ok=302)
# The police action overseen by the board: admin, its agency's contributor and the chair.
OWNERS = only("admin", "police", "chair")
OWNERS_POST = only("admin", "police", "chair", ok=302)
CONFIRMERS = only("admin", "chair")
CONFIRMERS_POST = only("admin", "chair", ok=302)
RESPONDERS = only("admin", "healthlead")


def _planning(ctx: Any) -> dict[str, Any]:
    return ctx.extra["planning"]


def _plan(ctx: Any) -> dict:
    return {"pk": _planning(ctx)["plan"].pk}


def _fresh_action(ctx: Any, *, complete: bool = False, confirm: bool = False) -> Action:
    """A new police action overseen by the board, optionally reported (and confirmed)
    complete, with an evidence file."""
    with tenancy.partnership_scope(ctx.partnership):
        action = services.create_action(
            partnership=ctx.partnership,
            source="inspection",
            source_label="Access walk",
            text=f"Walk action {ctx.counter()}",
            owner=ctx.agencies["NP"],
            group=ctx.groups["board"],
            due=ctx.today + timedelta(days=30),
        )
        if complete:
            services.record_completion(
                action,
                by=ctx.people["police"],
                evidence_text="Done",
                evidence_file=SimpleUploadedFile("evidence.txt", b"evidence"),
                confirm=confirm,
            )
    return action


def _action(ctx: Any) -> dict:
    return {"pk": _fresh_action(ctx).pk}


def _awaiting(ctx: Any) -> dict:
    return {"pk": _fresh_action(ctx, complete=True).pk}


def _completed(ctx: Any) -> dict:
    return {"pk": _fresh_action(ctx, complete=True, confirm=True).pk}


def _evidence(ctx: Any) -> dict:
    action = _fresh_action(ctx, complete=True)
    with tenancy.partnership_scope(ctx.partnership):
        return {"pk": action.updates.get(kind="completion").pk}


def _theme(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        return {"pk": _planning(ctx)["plan"].themes.first().pk}


def _meeting(ctx: Any) -> dict:
    return {"pk": past_meeting(ctx).pk}


def _risk(ctx: Any) -> dict:
    return {"pk": _planning(ctx)["risks"][0].pk}


def _challenge(ctx: Any, agency: str = "NHFT") -> Any:
    with tenancy.partnership_scope(ctx.partnership):
        return services.raise_challenge(
            partnership=ctx.partnership,
            agency=ctx.agencies[agency],
            subject=f"Walk challenge {ctx.counter()}",
            detail="Why?",
            raised_on=ctx.today - timedelta(days=10),
            response_due=ctx.today + timedelta(days=20),
        )


def _health_challenge(ctx: Any) -> dict:
    return {"pk": _challenge(ctx).pk}


def _plans_to_close(ctx: Any) -> dict:
    """A plan with one open action, and a later plan to carry it into (kept in ctx.extra for
    the request's data)."""
    # Plans of the 1950s on: far from the demo's, within the years periods hold.
    n = ctx.counter("close")
    with tenancy.partnership_scope(ctx.partnership):
        old = services.create_plan(
            partnership=ctx.partnership, first_year=1950 + 2 * n, last_year=1950 + 2 * n
        )
        new = services.create_plan(
            partnership=ctx.partnership, first_year=1951 + 2 * n, last_year=1951 + 2 * n
        )
        action = services.create_action(
            partnership=ctx.partnership,
            plan=old,
            reference="1.1",
            text="Carry me",
            owner=ctx.groups["pqa"],
            due=date(1951 + 2 * n, 3, 31),
        )
    ctx.extra["close"] = {"next": new.pk, "carry": [action.pk]}
    return {"pk": old.pk}


def _close_data(ctx: Any) -> dict:
    return {
        "next_plan": ctx.extra["close"]["next"],
        "confirm": "yes",
        "carry": ctx.extra["close"]["carry"],
    }


def _years(ctx: Any) -> str:
    n = 1900 + ctx.counter("years")  # the 1900s: far from the demo's plans
    return f"{n}-{(n + 1) % 100:02d}"


CHECKS = {
    "planning:index": Check(MEMBERS, P),
    "planning:plan-new": Check(ADMIN, P),
    "planning:plan-new#post": Check(
        ADMIN_POST, P, method="post", data=lambda c: {"years": _years(c), "title": "Walk"}
    ),
    "planning:plan": Check(MEMBERS, lambda c: {**P, **_plan(c)}),
    "planning:plan-edit": Check(ADMIN, lambda c: {**P, **_plan(c)}),
    "planning:theme-new": Check(ADMIN, lambda c: {**P, **_plan(c)}),
    "planning:theme-edit": Check(ADMIN, lambda c: {**P, **_theme(c)}),
    "planning:plan-import": Check(ADMIN, lambda c: {**P, **_plan(c)}),
    "planning:plan-export": Check(MEMBERS, lambda c: {**P, **_plan(c)}),
    "planning:plan-export#xlsx": Check(MEMBERS, lambda c: {**P, **_plan(c)}, query="format=xlsx"),
    "planning:plan-close": Check(ADMIN, lambda c: {**P, **_plan(c)}),
    "planning:plan-close#post": Check(
        ADMIN_POST, lambda c: {**P, **_plans_to_close(c)}, method="post", data=_close_data
    ),
    "planning:actions": Check(MEMBERS, P),
    "planning:actions#filtered": Check(MEMBERS, P, query="who=agency&when=overdue&status=red"),
    "planning:actions-export": Check(MEMBERS, P),
    "planning:actions-export#xlsx": Check(MEMBERS, P, query="format=xlsx&when=all"),
    "planning:action-new": Check(ADMIN, P),
    "planning:action": Check(MEMBERS, lambda c: {**P, **_action(c)}),
    "planning:action-edit": Check(ADMIN, lambda c: {**P, **_action(c)}),
    "planning:action-update": Check(OWNERS, lambda c: {**P, **_action(c)}),
    "planning:action-update#post": Check(
        OWNERS_POST,
        lambda c: {**P, **_action(c)},
        method="post",
        data=lambda c: {"status": "amber", "text": "Progress", "on": c.today.isoformat()},
    ),
    "planning:action-complete": Check(OWNERS, lambda c: {**P, **_action(c)}),
    "planning:action-complete#post": Check(
        OWNERS_POST,
        lambda c: {**P, **_action(c)},
        method="post",
        data=lambda c: {"evidence": "Done", "completed_on": c.today.isoformat()},
    ),
    "planning:action-confirm": Check(CONFIRMERS, lambda c: {**P, **_awaiting(c)}),
    "planning:action-confirm#post": Check(
        CONFIRMERS_POST,
        lambda c: {**P, **_awaiting(c)},
        method="post",
        data={"decision": "confirm"},
    ),
    "planning:action-impact": Check(CONFIRMERS, lambda c: {**P, **_completed(c)}),
    "planning:evidence": Check(MEMBERS, lambda c: {**P, **_evidence(c)}),
    "planning:meeting-actions": Check(MEMBERS, lambda c: {**P, **_meeting(c)}),
    # The board's chair may add actions from its meetings, as may the business unit.
    "planning:meeting-action-new": Check(CONFIRMERS, lambda c: {**P, **_meeting(c)}),
    "planning:meeting-action-new#post": Check(
        CONFIRMERS_POST,
        lambda c: {**P, **_meeting(c)},
        method="post",
        data=lambda c: {
            "text": "Report back",
            "owner": f"agency:{c.agencies['NP'].pk}",
            "due": (c.today + timedelta(days=30)).isoformat(),
        },
    ),
    "planning:risks": Check(MEMBERS, P),
    "planning:risk-new": Check(ADMIN, P),
    "planning:risk": Check(MEMBERS, lambda c: {**P, **_risk(c)}),
    "planning:risk-edit": Check(ADMIN, lambda c: {**P, **_risk(c)}),
    "planning:risk-review": Check(ADMIN, lambda c: {**P, **_risk(c)}),
    "planning:risk-review#post": Check(
        ADMIN_POST,
        lambda c: {**P, **_risk(c)},
        method="post",
        data=lambda c: {"reviewed_on": c.today.isoformat(), "likelihood": "3", "impact": "3"},
    ),
    "planning:challenges": Check(MEMBERS, P),
    "planning:challenge-new": Check(ADMIN, P),
    "planning:challenge": Check(MEMBERS, lambda c: {**P, **_health_challenge(c)}),
    "planning:challenge-edit": Check(ADMIN, lambda c: {**P, **_health_challenge(c)}),
    # The health trust's safeguarding lead answers a challenge to the trust.
    "planning:challenge-respond": Check(RESPONDERS, lambda c: {**P, **_health_challenge(c)}),
    "planning:challenge-respond#post": Check(
        only("admin", "healthlead", ok=302),
        lambda c: {**P, **_health_challenge(c)},
        method="post",
        data=lambda c: {"response": "Our answer", "responded_on": c.today.isoformat()},
    ),
    "planning:challenge-escalate": Check(ADMIN, lambda c: {**P, **_health_challenge(c)}),
    "planning:challenge-close": Check(ADMIN, lambda c: {**P, **_health_challenge(c)}),
}

API = "/api/v1/partnerships/{partnership}"
API_MEMBERS = expect(200, anonymous=401)
API_ADMIN = only("admin", anonymous=401)
API_ADMIN_CREATE = only("admin", ok=201, anonymous=401)
API_OWNERS = only("admin", "police", "chair", ok=201, anonymous=401)
API_CONFIRMERS = only("admin", "chair", anonymous=401)


def _plan_id(ctx: Any) -> dict:
    return {"plan_id": _planning(ctx)["plan"].pk}


def _action_id(ctx: Any) -> dict:
    return {"action_id": _fresh_action(ctx).pk}


def _ids(ctx: Any, key: str) -> int:
    return _planning(ctx)[key][0].pk


API_CHECKS = {
    f"GET {API}/plans": Check(API_MEMBERS),
    f"POST {API}/plans": Check(API_ADMIN_CREATE, data=lambda c: {"years": _years(c)}),
    f"GET {API}/plans/{{plan_id}}": Check(API_MEMBERS, _plan_id),
    f"POST {API}/plans/{{plan_id}}/themes": Check(
        API_ADMIN_CREATE, _plan_id, data=lambda c: {"title": f"Walk theme {c.counter()}"}
    ),
    f"POST {API}/plans/{{plan_id}}/import": Check(
        API_ADMIN,
        _plan_id,
        data={
            "dry_run": True,
            "rows": [
                {
                    "theme": "Walk",
                    "ref": "W1",
                    "action": "Walk",
                    "owner": "Northdale Police",
                    "due": "Jul-30",
                }
            ],
        },
    ),
    f"GET {API}/plans/{{plan_id}}/export": Check(API_MEMBERS, _plan_id),
    f"GET {API}/plans/{{plan_id}}/close": Check(API_ADMIN, _plan_id),
    f"POST {API}/plans/{{plan_id}}/close": Check(
        API_ADMIN,
        lambda c: {"plan_id": _plans_to_close(c)["pk"]},
        data=lambda c: {"next_plan_id": c.extra["close"]["next"]},
    ),
    f"GET {API}/actions": Check(API_MEMBERS),
    f"POST {API}/actions": Check(
        API_ADMIN_CREATE,
        data=lambda c: {
            "text": "Walk",
            "owner": {"kind": "agency", "id": c.agencies["NP"].pk},
            "source": "inspection",
            "due": (c.today + timedelta(days=9)).isoformat(),
        },
    ),
    f"GET {API}/actions/{{action_id}}": Check(API_MEMBERS, _action_id),
    f"PATCH {API}/actions/{{action_id}}": Check(API_ADMIN, _action_id, data={"aim": "Better"}),
    f"POST {API}/actions/{{action_id}}/updates": Check(
        API_OWNERS, _action_id, data={"status": "green", "text": "On track"}
    ),
    f"POST {API}/actions/{{action_id}}/completion": Check(
        API_OWNERS, _action_id, data={"evidence": "Done"}
    ),
    f"POST {API}/actions/{{action_id}}/confirmation": Check(
        API_CONFIRMERS,
        lambda c: {"action_id": _awaiting(c)["pk"]},
        data={"decision": "confirm"},
    ),
    f"POST {API}/actions/{{action_id}}/impact": Check(
        API_CONFIRMERS,
        lambda c: {"action_id": _completed(c)["pk"]},
        data={"impact": "Tested by audit"},
    ),
    f"GET {API}/meetings/{{meeting_id}}/actions": Check(
        API_MEMBERS, lambda c: {"meeting_id": c.extra["past_meeting"].pk}
    ),
    f"POST {API}/meetings/{{meeting_id}}/actions": Check(
        only("admin", "chair", ok=201, anonymous=401),
        lambda c: {"meeting_id": c.extra["past_meeting"].pk},
        data=lambda c: {
            "text": "From the meeting",
            "owner": {"kind": "person", "id": c.people["admin"].pk},
            "due": (c.today + timedelta(days=20)).isoformat(),
        },
    ),
    f"GET {API}/risks": Check(API_MEMBERS),
    f"POST {API}/risks": Check(
        API_ADMIN_CREATE,
        data={"title": "Walk risk", "likelihood": 2, "impact": 3, "target_score": 4},
    ),
    f"GET {API}/risks/{{risk_id}}": Check(API_MEMBERS, lambda c: {"risk_id": _ids(c, "risks")}),
    f"PATCH {API}/risks/{{risk_id}}": Check(
        API_ADMIN, lambda c: {"risk_id": _ids(c, "risks")}, data={"controls": "More controls"}
    ),
    f"POST {API}/risks/{{risk_id}}/reviews": Check(
        API_ADMIN_CREATE,
        lambda c: {"risk_id": _ids(c, "risks")},
        data={"likelihood": 3, "impact": 4, "note": "Reviewed"},
    ),
    f"GET {API}/challenges": Check(API_MEMBERS),
    f"POST {API}/challenges": Check(
        API_ADMIN_CREATE,
        data=lambda c: {
            "agency_id": c.agencies["NP"].pk,
            "subject": "Walk",
            "detail": "Why?",
            "raised_on": c.today.isoformat(),
            "response_due": (c.today + timedelta(days=28)).isoformat(),
        },
    ),
    f"GET {API}/challenges/{{challenge_id}}": Check(
        API_MEMBERS, lambda c: {"challenge_id": _ids(c, "challenges")}
    ),
    f"PATCH {API}/challenges/{{challenge_id}}": Check(
        API_ADMIN,
        lambda c: {"challenge_id": _health_challenge(c)["pk"]},
        data={"subject": "Changed"},
    ),
    f"POST {API}/challenges/{{challenge_id}}/response": Check(
        only("admin", "healthlead", anonymous=401),
        lambda c: {"challenge_id": _health_challenge(c)["pk"]},
        data={"response": "Our answer"},
    ),
    f"POST {API}/challenges/{{challenge_id}}/escalation": Check(
        API_ADMIN,
        lambda c: {"challenge_id": _health_challenge(c)["pk"]},
        data={"to": "Chief executive"},
    ),
    f"POST {API}/challenges/{{challenge_id}}/outcome": Check(
        API_ADMIN,
        lambda c: {"challenge_id": _health_challenge(c)["pk"]},
        data={"outcome": "resolved"},
    ),
}
