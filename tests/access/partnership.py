"""Expectations for the partnership, accounts, audit and site-wide pages and endpoints."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeboard.core import tenancy
from safeboard.partnership import services
from safeboard.partnership.models import Objective

from . import Check, expect, only, past_meeting

MEMBERS = expect(200)
ADMIN = only("admin")
# A write by the administrator that ends in a redirect back to the page.
ADMIN_POST = only("admin", ok=302)


def _objective(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        group = ctx.groups["pqa"]
        objective = services.save(
            Objective(group=group, number=900 + Objective.objects.count(), text="Temporary"),
            ctx.partnership,
        )
    return {"pk": group.pk, "objective_pk": objective.pk}


def _membership(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        group = ctx.groups["twd"]
        member = services.add_member(group, person=ctx.people["Kevin Marsh"])
    return {"pk": group.pk, "member_pk": member.pk}


def _role(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        person = ctx.people["Linda Moore"]
        assignment = services.assign_role(person, "scrutiny")
    return {"pk": person.pk, "role_pk": assignment.pk}


def prepare(ctx: Any) -> None:
    """The demo's area, and a paper of each tier on the board's last meeting."""
    from django.core.files.base import ContentFile

    from safeboard.partnership.models import Area, Paper

    with tenancy.partnership_scope(ctx.partnership):
        ctx.extra["area"] = Area.objects.get()
        papers = {}
        for tier, agency in (
            ("partnership", None),
            ("agency", ctx.agencies["NHFT"]),
            ("restricted", None),
        ):
            paper = Paper(
                partnership=ctx.partnership,
                meeting=past_meeting(ctx),
                title=f"A {tier} paper",
                sensitivity=tier,
                agency=agency,
            )
            paper.file.save(f"{tier}.txt", ContentFile(b"paper"), save=False)
            papers[tier] = services.save(paper, ctx.partnership)
        ctx.extra["papers"] = papers


def _notification(ctx: Any) -> dict:
    from safeboard.partnership.notifications import notify

    found = notify(ctx.people["admin"], "test", text="Something to see", url="/")
    assert found is not None
    return {**P, "pk": found.pk}


def _past_meeting(ctx: Any) -> dict:
    return {"pk": past_meeting(ctx).pk}


P = {"partnership": "northdale"}

CHECKS = {
    # Site-wide pages.
    "home": Check(expect(302, outsider=302)),
    "accessibility": Check(expect(200, outsider=200, anonymous=200)),
    "healthz": Check(expect(200, outsider=200, anonymous=200)),
    "accounts:sign-in": Check(expect(302, outsider=302, anonymous=200)),
    "accounts:verify": Check(expect(302, outsider=302)),
    "accounts:sign-out": Check(expect(405, outsider=405, anonymous=405)),
    "accounts:account": Check(expect(200, outsider=200)),
    "accounts:two-factor-setup": Check(
        expect(
            302,
            outsider=302,
            police=200,
            health=200,
            healthlead=200,
            viewer=200,
            analyst=200,
            chair=200,
        )
    ),
    "accounts:password-change": Check(expect(200, outsider=200)),
    "accounts:notification-email": Check(
        expect(302, outsider=302), method="post", data={"notification_email": "daily"}
    ),
    "accounts:tokens": Check(expect(200, outsider=200)),
    "accounts:token-revoke": Check(expect(404, outsider=404), {"pk": 999999}, method="post"),
    # The partnership.
    "partnership:home": Check(MEMBERS, P),
    "partnership:agencies": Check(MEMBERS, P),
    "partnership:agency-new": Check(ADMIN, P),
    "partnership:agency": Check(MEMBERS, lambda c: {**P, "pk": c.agencies["NP"].pk}),
    "partnership:agency-edit": Check(ADMIN, lambda c: {**P, "pk": c.agencies["NP"].pk}),
    "partnership:people": Check(MEMBERS, P),
    "partnership:person-new": Check(ADMIN, P),
    "partnership:person": Check(MEMBERS, lambda c: {**P, "pk": c.people["police"].pk}),
    "partnership:person-edit": Check(ADMIN, lambda c: {**P, "pk": c.people["police"].pk}),
    "partnership:role-add": Check(
        ADMIN_POST,
        lambda c: {**P, "pk": c.people["Linda Moore"].pk},
        method="post",
        data={"role": "board_member"},
    ),
    "partnership:role-remove": Check(ADMIN_POST, lambda c: {**P, **_role(c)}, method="post"),
    "partnership:areas": Check(MEMBERS, P),
    "partnership:area-new": Check(ADMIN, P),
    "partnership:area-edit": Check(ADMIN, lambda c: {**P, "pk": c.extra["area"].pk}),
    "partnership:population-set": Check(
        ADMIN_POST,
        lambda c: {**P, "pk": c.extra["area"].pk},
        method="post",
        data={"year": "2024", "children": "70000"},
    ),
    "partnership:groups": Check(MEMBERS, P),
    "partnership:group-new": Check(ADMIN, P),
    "partnership:group": Check(MEMBERS, lambda c: {**P, "pk": c.groups["board"].pk}),
    "partnership:group-edit": Check(ADMIN, lambda c: {**P, "pk": c.groups["board"].pk}),
    "partnership:member-add": Check(
        ADMIN_POST,
        lambda c: {**P, "pk": c.groups["pp"].pk},
        method="post",
        data=lambda c: {"person": c.people["Gary Turner"].pk, "role": "member"},
    ),
    "partnership:member-end": Check(ADMIN_POST, lambda c: {**P, **_membership(c)}, method="post"),
    "partnership:objective-add": Check(
        ADMIN_POST,
        lambda c: {**P, "pk": c.groups["pp"].pk},
        method="post",
        data={"number": "77", "text": "New aim"},
    ),
    "partnership:objective-delete": Check(
        ADMIN_POST, lambda c: {**P, **_objective(c)}, method="post"
    ),
    "partnership:meetings": Check(MEMBERS, P),
    "partnership:meeting-new": Check(ADMIN, P),
    "partnership:meeting": Check(MEMBERS, lambda c: {**P, **_past_meeting(c)}),
    "partnership:meeting-edit": Check(ADMIN, lambda c: {**P, **_past_meeting(c)}),
    # The board's chair may record its attendance, as may the business unit.
    "partnership:attendance-record": Check(
        only("admin", "chair"), lambda c: {**P, **_past_meeting(c)}
    ),
    "partnership:paper-upload": Check(
        only("admin", "chair", ok=400), lambda c: {**P, **_past_meeting(c)}, method="post"
    ),
    # Papers: a partnership paper for every member; an agency paper for its agency and the
    # business unit; a restricted paper only for roles entitled to restricted records.
    "partnership:paper": Check(MEMBERS, lambda c: {**P, "pk": c.extra["papers"]["partnership"].pk}),
    "partnership:paper#agency": Check(
        only("admin", "analyst", "health", "healthlead", other=404),
        lambda c: {**P, "pk": c.extra["papers"]["agency"].pk},
    ),
    "partnership:paper#restricted": Check(
        # The restricted papers register opens to the business unit only: not to the LADO.
        only("admin", other=404),
        lambda c: {**P, "pk": c.extra["papers"]["restricted"].pk},
    ),
    "partnership:attendance": Check(MEMBERS, P),
    "partnership:attendance-export": Check(MEMBERS, P),
    "partnership:attendance-export-xlsx": Check(MEMBERS, P),
    # Every member sees the clocks of the records they may open (none, for most).
    "partnership:clocks": Check(MEMBERS, P, query="view=running"),
    "partnership:clock-settings": Check(ADMIN, P),
    # Each member's own notifications: the administrator's is nobody else's (404).
    "partnership:notifications": Check(MEMBERS, P, query="show=unread"),
    "partnership:notifications-read": Check(expect(302), P, method="post"),
    "partnership:notification-open": Check(
        only("admin", ok=302, other=404), _notification, method="post"
    ),
    "partnership:clock-settings#post": Check(
        only("admin", ok=200),  # an unknown kind is shown back, not saved
        P,
        method="post",
        data={"kind": "nobody.runs.this", "count": "5", "unit": "working_days"},
    ),
}

API_MEMBERS = expect(200, anonymous=401)
API_ADMIN = only("admin", anonymous=401)
API_ADMIN_CREATE = only("admin", ok=201, anonymous=401)

API_CHECKS = {
    "GET /api/v1/me": Check(expect(200, outsider=200, anonymous=401)),
    "GET /api/v1/partnerships": Check(expect(200, outsider=200, anonymous=401)),
    "GET /api/v1/partnerships/{partnership}/agencies": Check(API_MEMBERS),
    "POST /api/v1/partnerships/{partnership}/agencies": Check(
        API_ADMIN_CREATE,
        data=lambda c: {
            "name": f"New agency {c.counter()}",
            "short_name": f"NEW{c.counter()}",
            "sector": "voluntary",
        },
    ),
    "GET /api/v1/partnerships/{partnership}/agencies/{agency_id}": Check(
        API_MEMBERS, lambda c: {"agency_id": c.agencies["NP"].pk}
    ),
    "PATCH /api/v1/partnerships/{partnership}/agencies/{agency_id}": Check(
        API_ADMIN, lambda c: {"agency_id": c.agencies["NVA"].pk}, data={"status": "other"}
    ),
    "GET /api/v1/partnerships/{partnership}/people": Check(API_MEMBERS),
    "POST /api/v1/partnerships/{partnership}/people": Check(
        API_ADMIN_CREATE, data={"name": "New Person"}
    ),
    "GET /api/v1/partnerships/{partnership}/people/{person_id}": Check(
        API_MEMBERS, lambda c: {"person_id": c.people["police"].pk}
    ),
    "PATCH /api/v1/partnerships/{partnership}/people/{person_id}": Check(
        API_ADMIN,
        lambda c: {"person_id": c.people["Linda Moore"].pk},
        data={"job_title": "Headteacher"},
    ),
    "POST /api/v1/partnerships/{partnership}/people/{person_id}/roles": Check(
        API_ADMIN_CREATE,
        lambda c: {"person_id": c.people["Linda Moore"].pk},
        data={"role": "board_member"},
    ),
    "DELETE /api/v1/partnerships/{partnership}/people/{person_id}/roles/{role_id}": Check(
        only("admin", ok=204, anonymous=401),
        lambda c: {"person_id": _role(c)["pk"], "role_id": _role(c)["role_pk"]},
    ),
    "GET /api/v1/partnerships/{partnership}/areas": Check(API_MEMBERS),
    "PUT /api/v1/partnerships/{partnership}/areas/{area_id}/populations/{year}": Check(
        API_ADMIN,
        lambda c: {"area_id": c.extra["area"].pk, "year": "2023-24"},
        data={"children": 70100},
    ),
    "GET /api/v1/partnerships/{partnership}/groups": Check(API_MEMBERS),
    "POST /api/v1/partnerships/{partnership}/groups": Check(
        API_ADMIN_CREATE, data={"name": "New task group", "kind": "task_and_finish"}
    ),
    "GET /api/v1/partnerships/{partnership}/groups/{group_id}": Check(
        API_MEMBERS, lambda c: {"group_id": c.groups["board"].pk}
    ),
    "POST /api/v1/partnerships/{partnership}/groups/{group_id}/members": Check(
        API_ADMIN_CREATE,
        lambda c: {"group_id": c.groups["pp"].pk},
        data=lambda c: {"person_id": c.people["Emma Walsh"].pk},
    ),
    "POST /api/v1/partnerships/{partnership}/groups/{group_id}/objectives": Check(
        API_ADMIN_CREATE,
        lambda c: {"group_id": c.groups["pp"].pk},
        data=lambda c: {"number": 100 + c.counter(), "text": "Another aim"},
    ),
    "GET /api/v1/partnerships/{partnership}/meetings": Check(API_MEMBERS),
    "POST /api/v1/partnerships/{partnership}/meetings": Check(
        API_ADMIN_CREATE,
        data=lambda c: {"group_id": c.groups["pp"].pk, "date": date(2030, 1, 9).isoformat()},
    ),
    "GET /api/v1/partnerships/{partnership}/meetings/{meeting_id}": Check(
        API_MEMBERS, lambda c: {"meeting_id": past_meeting(c).pk}
    ),
    "PATCH /api/v1/partnerships/{partnership}/meetings/{meeting_id}": Check(
        API_ADMIN,
        lambda c: {"meeting_id": past_meeting(c).pk},
        data={"location": "Town Hall"},
    ),
    "GET /api/v1/partnerships/{partnership}/meetings/{meeting_id}/attendance": Check(
        API_MEMBERS, lambda c: {"meeting_id": past_meeting(c).pk}
    ),
    "PUT /api/v1/partnerships/{partnership}/meetings/{meeting_id}/attendance": Check(
        only("admin", "chair", anonymous=401),
        lambda c: {"meeting_id": past_meeting(c).pk},
        data=lambda c: [{"person_id": c.people["chair"].pk, "status": "present"}],
    ),
    "GET /api/v1/partnerships/{partnership}/meetings/{meeting_id}/papers": Check(
        API_MEMBERS, lambda c: {"meeting_id": past_meeting(c).pk}
    ),
    "GET /api/v1/partnerships/{partnership}/attendance": Check(API_MEMBERS, query="year=2024-25"),
    "GET /api/v1/partnerships/{partnership}/clocks": Check(API_MEMBERS, query="view=soon"),
}

CHECKS.update(
    {
        "partnership:person-sign-in": Check(
            ADMIN_POST,
            lambda c: {**P, "pk": c.people["Linda Moore"].pk},
            method="post",
            data=lambda c: {"username": f"linda{c.counter()}"},
        ),
        "partnership:person-password": Check(
            ADMIN_POST, lambda c: {**P, "pk": c.people["police"].pk}, method="post"
        ),
        "partnership:person-two-factor": Check(
            ADMIN_POST, lambda c: {**P, "pk": c.people["police"].pk}, method="post"
        ),
        "accounts:set-password": Check(
            expect(400, outsider=400, anonymous=400), {"uidb64": "MQ", "token": "not-a-token"}
        ),
    }
)
