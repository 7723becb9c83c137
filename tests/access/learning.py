"""Access expectations for case reviews (see tests/access/__init__.py).

Every member sees the list (the published reviews, for all but the case review officer), a
published review, and the learning themes. Case records are opened by the case review
officer only: anyone else gets 404 for an unpublished review (its existence is not
confirmed) and 403 for the pages that change one. The learning themes vocabulary is kept by
the business unit or the case review officer."""

from __future__ import annotations

from typing import Any

from safeboard.core import tenancy
from safeboard.learning.models import AssuranceRequest, Milestone, ParallelProcess

from . import Check, expect, only

P = {"partnership": "northdale"}
MEMBERS = expect(200)
OFFICER = only("casereview")
OFFICER_404 = only("casereview", other=404)
THEME_KEEPERS = only("admin", "casereview")
THEME_KEEPERS_POST = only("admin", "casereview", ok=302)


def _learning(ctx: Any) -> dict[str, Any]:
    return ctx.extra["learning"]


def _held(ctx: Any) -> dict:
    return {**P, "pk": _learning(ctx)["held"].pk}


def _published(ctx: Any) -> dict:
    return {**P, "pk": _learning(ctx)["published"].pk}


def _milestone(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        found = Milestone.objects.filter(review=_learning(ctx)["held"], done_on=None).first()
    return {**P, "pk": found.pk}


def _process(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        found = ParallelProcess.objects.filter(review=_learning(ctx)["held"]).first()
    return {**P, "pk": found.pk}


def _assurance(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        found = AssuranceRequest.objects.filter(
            review=_learning(ctx)["published"], responded_on=None
        ).first()
    return {**P, "pk": found.pk}


def _theme(ctx: Any) -> dict:
    return {"name": f"Walk theme {ctx.counter('theme')}"}


CHECKS = {
    "learning:index": Check(MEMBERS, P),
    "learning:review": Check(OFFICER_404, _held),
    "learning:review#published": Check(MEMBERS, _published),
    "learning:review-new": Check(OFFICER, P),
    "learning:review-edit": Check(OFFICER, _held),
    "learning:rapid-review": Check(OFFICER, _held),
    "learning:recategorise": Check(OFFICER, _held),
    "learning:local-review": Check(OFFICER, _held),
    "learning:panel-new": Check(OFFICER, _held),
    "learning:milestone-new": Check(OFFICER, _held),
    "learning:milestone-done": Check(OFFICER, _milestone),
    "learning:process-new": Check(OFFICER, _held),
    "learning:process-conclude": Check(OFFICER, _process),
    "learning:publish": Check(OFFICER, _held),
    "learning:lesson-new": Check(OFFICER, _held),
    "learning:recommendation-new": Check(OFFICER, _held),
    "learning:dissemination": Check(OFFICER, _held),
    "learning:assurance-new": Check(OFFICER, _held),
    "learning:assurance-response": Check(OFFICER, _assurance),
    "learning:themes": Check(MEMBERS, P),
    "learning:theme-new": Check(THEME_KEEPERS, P),
    "learning:theme-new#post": Check(THEME_KEEPERS_POST, P, method="post", data=_theme),
}


API = "/api/v1/partnerships/{partnership}"
API_MEMBERS = expect(200, anonymous=401)
API_OFFICER = only("casereview", anonymous=401)
API_OFFICER_404 = only("casereview", other=404, anonymous=401)
API_OFFICER_CREATE = only("casereview", ok=201, anonymous=401)


def _ago(ctx: Any, days: int) -> str:
    from datetime import timedelta

    return (ctx.today - timedelta(days=days)).isoformat()


def _review_id(ctx: Any) -> dict:
    return {"review_id": _learning(ctx)["held"].pk}


def _new_review(ctx: Any) -> dict:
    n = ctx.counter("review")
    return {
        "reference": f"WALK-{n}",
        "child": f"Child W{n}",
        "incident_known": _ago(ctx, 3),
        "harm": "serious_harm",
    }


def _any_milestone(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        found = Milestone.objects.filter(review=_learning(ctx)["held"]).order_by("pk").first()
    return {"milestone_id": found.pk}


def _any_assurance(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        found = AssuranceRequest.objects.filter(review=_learning(ctx)["published"]).first()
    return {"assurance_id": found.pk}


def _agency_not_asked(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        asked = set(
            AssuranceRequest.objects.filter(review=_learning(ctx)["held"]).values_list(
                "agency_id", flat=True
            )
        )
    agency = next(a for a in ctx.agencies.values() if a.pk not in asked)
    return {"agency_id": agency.pk, "requested_on": _ago(ctx, 1)}


API_CHECKS = {
    f"GET {API}/reviews": Check(API_MEMBERS),
    f"POST {API}/reviews": Check(API_OFFICER_CREATE, data=_new_review),
    f"GET {API}/reviews/clocks": Check(API_OFFICER_404),
    f"GET {API}/reviews/{{review_id}}": Check(API_OFFICER_404, _review_id),
    f"PATCH {API}/reviews/{{review_id}}": Check(
        API_OFFICER, _review_id, data={"reviewer": "Walk reviewer", "cost": "100.00"}
    ),
    f"POST {API}/reviews/{{review_id}}/recategorise": Check(
        API_OFFICER_CREATE,
        lambda c: {"review_id": _learning(c)["practice"].pk},
        data=lambda c: {"to_kind": "imr", "on": _ago(c, 1), "reason": "Walk"},
    ),
    f"POST {API}/reviews/{{review_id}}/panel": Check(
        API_OFFICER_CREATE,
        _review_id,
        data=lambda c: {"agency_id": c.agencies["NP"].pk, "name": "Walk member"},
    ),
    f"POST {API}/reviews/{{review_id}}/milestones": Check(
        API_OFFICER_CREATE, _review_id, data=lambda c: {"title": "Walk", "due": _ago(c, -10)}
    ),
    f"POST {API}/milestones/{{milestone_id}}/done": Check(
        API_OFFICER, _any_milestone, data=lambda c: {"on": _ago(c, 1)}
    ),
    f"POST {API}/reviews/{{review_id}}/assurance": Check(
        API_OFFICER_CREATE, _review_id, data=_agency_not_asked
    ),
    f"POST {API}/assurance/{{assurance_id}}/response": Check(
        API_OFFICER,
        _any_assurance,
        data=lambda c: {"response": "Walk response", "on": _ago(c, 1)},
    ),
    f"POST {API}/reviews/{{review_id}}/rapid-review": Check(
        API_OFFICER,
        lambda c: {"review_id": _learning(c)["notified"].pk},
        data=lambda c: {"held_on": _ago(c, 40), "outcome": "national"},
    ),
    f"POST {API}/reviews/{{review_id}}/processes": Check(
        API_OFFICER_CREATE, _review_id, data={"kind": "inquest"}
    ),
    f"POST {API}/processes/{{process_id}}/conclude": Check(
        API_OFFICER,
        lambda c: {"process_id": _process(c)["pk"]},
        data=lambda c: {"on": _ago(c, 1)},
    ),
    f"POST {API}/reviews/{{review_id}}/publish": Check(
        API_OFFICER,
        lambda c: {"review_id": _learning(c)["practice"].pk},
        data=lambda c: {"on": _ago(c, 1)},
    ),
    f"POST {API}/reviews/{{review_id}}/lessons": Check(
        API_OFFICER_CREATE, _review_id, data={"text": "Walk lesson"}
    ),
    f"POST {API}/reviews/{{review_id}}/recommendations": Check(
        API_OFFICER_CREATE,
        _review_id,
        data=lambda c: {
            "text": "Walk recommendation",
            "agency_id": c.agencies["NP"].pk,
            "due": _ago(c, -30),
        },
    ),
    f"GET {API}/learning-themes": Check(API_MEMBERS),
    f"POST {API}/learning-themes": Check(
        only("admin", "casereview", ok=201, anonymous=401),
        data=lambda c: {"name": f"API walk theme {c.counter('api-theme')}"},
    ),
}
