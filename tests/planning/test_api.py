"""The planning API enforces the same rules as the pages: alice (business unit) manages, bob
updates his agency's actions only, charlie (another partnership) gets 404."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.planning.models import Action, DueDateChange, Plan, State

from .. import factories as f
from .conftest import TODAY

pytestmark = pytest.mark.django_db
API = "/api/v1/partnerships/alpha"


def bearer(user: Any) -> dict:
    key = f.api_key(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client: Client, method: str, path: str, auth: dict, data: Any = None) -> Any:
    if data is None:
        return getattr(client, method)(API + path, **auth)
    return getattr(client, method)(
        API + path, json.dumps(data), content_type="application/json", **auth
    )


def test_alice_builds_a_plan_through_the_api(
    client: Client, alice: Any, police: Any, board: Any
) -> None:
    auth = bearer(alice)
    response = call(client, "post", "/plans", auth, {"years": "2025-28", "title": "Safe"})
    assert response.status_code == 201, response.content
    plan = response.json()
    assert (plan["label"], plan["first_financial_year"], plan["last_financial_year"]) == (
        "2025-28",
        "2025-26",
        "2027-28",
    )
    theme = call(
        client,
        "post",
        f"/plans/{plan['id']}/themes",
        auth,
        {"title": "Exploitation", "lead_group_id": board.pk},
    )
    assert theme.status_code == 201 and theme.json()["number"] == 1
    rows = [
        {
            "theme": "Exploitation",
            "ref": "1.1",
            "action": "Strategy",
            "owner": "POL",
            "due": "Jul-26",
        },
        {"theme": "Exploitation", "ref": "1.1", "action": "Again", "owner": "POL", "due": "soon"},
    ]
    report = call(client, "post", f"/plans/{plan['id']}/import", auth, {"rows": rows}).json()
    assert not report["written"]
    assert report["problems"] == [
        "Row 3: the reference 1.1 is used twice (rows 2 and 3)",
        "Row 3: due date: ‘soon’ is not a date: give a date (2017-07-31, 31/07/2017 or 31 July "
        "2017) or a month (Jul-17, July 2017 or 2017-07)",
    ]
    report = call(client, "post", f"/plans/{plan['id']}/import", auth, {"rows": rows[:1]}).json()
    assert report["written"] and report["actions"] == 1
    exported = call(client, "get", f"/plans/{plan['id']}/export", auth).json()
    assert exported == [
        {
            "theme": "Exploitation",
            "ref": "1.1",
            "action": "Strategy",
            "owner": "Alpha Police",
            "due": "2026-07-31",
            "aim": "",
            "update": "",
            "status": "not started",
            "links": "",
        }
    ]
    detail = call(client, "get", f"/plans/{plan['id']}", auth).json()
    assert [t["title"] for t in detail["themes"]] == ["Exploitation"]
    assert detail["indicators"]["rag_by_theme"][0]["not_started"] == 1
    assert [y["period"] for y in detail["indicators"]["completion_in_time"]] == [
        "2025-26",
        "2026-27",
        "2027-28",
    ]


def test_bob_updates_his_agencys_action_and_nothing_else(
    client: Client, bob: Any, alpha: Any, police_action: Action, health_action: Action
) -> None:
    auth = bearer(bob)
    new_due = (police_action.due + timedelta(days=14)).isoformat()
    response = call(
        client,
        "post",
        f"/actions/{police_action.pk}/updates",
        auth,
        {"status": "amber", "text": "Delayed", "new_due": new_due},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Give the reason the due date is changing"
    response = call(
        client,
        "post",
        f"/actions/{police_action.pk}/updates",
        auth,
        {"status": "amber", "text": "Delayed", "new_due": new_due, "due_reason": "Sickness"},
    )
    assert response.status_code == 201 and response.json()["status"] == "amber"
    detail = call(client, "get", f"/actions/{police_action.pk}", auth).json()
    assert detail["slippage_days"] == 14 and detail["due_changes"][0]["reason"] == "Sickness"
    assert detail["owner"] == {
        "kind": "agency",
        "id": police_action.owner_agency_id,
        "name": "Alpha Police",
    }
    completion = call(
        client, "post", f"/actions/{police_action.pk}/completion", auth, {"evidence": "Done"}
    )
    assert completion.status_code == 201
    with tenancy.partnership_scope(alpha):
        police_action.refresh_from_db()
        assert DueDateChange.objects.filter(action=police_action).count() == 1
    assert police_action.state == State.AWAITING_CONFIRMATION  # bob cannot confirm
    for path, data in (
        (f"/actions/{health_action.pk}/updates", {"status": "green", "text": "x"}),
        (f"/actions/{health_action.pk}/completion", {"evidence": "x"}),
        (f"/actions/{police_action.pk}/confirmation", {"decision": "confirm"}),
        ("/plans", {"years": "2030-31"}),
        ("/risks", {"title": "x", "likelihood": 1, "impact": 1, "target_score": 1}),
    ):
        assert call(client, "post", path, auth, data).status_code == 403, path
    assert (
        call(client, "patch", f"/actions/{police_action.pk}", auth, {"aim": "x"}).status_code == 403
    )


def test_the_chair_confirms_and_records_impact(
    client: Client, alpha: Any, dora: Any, police_action: Action
) -> None:
    auth = bearer(dora)
    call(client, "post", f"/actions/{police_action.pk}/completion", auth, {"evidence": "Done"})
    # The chair may confirm: her own report is complete at once.
    action = call(client, "get", f"/actions/{police_action.pk}", auth).json()
    assert action["state"] == "complete" and action["completed_in_time"] is True
    impact = call(
        client, "post", f"/actions/{police_action.pk}/impact", auth, {"impact": "Audited"}
    )
    assert impact.status_code == 200 and impact.json()["impact"] == "Audited"


def test_the_tracker_filters_through_the_api(
    client: Client, bob: Any, police_action: Action, health_action: Action, theme: Any
) -> None:
    auth = bearer(bob)
    ids = lambda query: [a["id"] for a in call(client, "get", f"/actions?{query}", auth).json()]  # noqa: E731
    assert ids("who=agency") == [police_action.pk]
    assert sorted(ids(f"theme_id={theme.pk}")) == sorted([police_action.pk, health_action.pk])
    assert ids("when=overdue") == []
    assert ids("plan_id=999999") == []
    assert call(client, "get", "/actions?when=someday", auth).status_code == 422


def test_alice_creates_and_changes_actions(
    client: Client, alice: Any, alpha: Any, board: Any, police: Any, police_action: Action
) -> None:
    auth = bearer(alice)
    meeting = f.meeting(board, TODAY - timedelta(days=3))
    response = call(
        client,
        "post",
        f"/meetings/{meeting.pk}/actions",
        auth,
        {
            "text": "Report back",
            "owner": {"kind": "agency", "id": police.pk},
            "due": (TODAY + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 201 and response.json()["source"] == "meeting"
    from_meeting = response.json()["id"]
    listing = call(client, "get", f"/meetings/{meeting.pk}/actions", auth).json()
    assert [a["text"] for a in listing["from_meeting"]] == ["Report back"]
    response = call(
        client,
        "post",
        "/actions",
        auth,
        {
            "text": "Unknown owner",
            "owner": {"kind": "person", "id": 999999},
            "due": TODAY.isoformat(),
        },
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "There is no person 999999 in this partnership"
    new_due = police_action.due + timedelta(days=7)
    response = call(
        client,
        "patch",
        f"/actions/{police_action.pk}",
        auth,
        {"due": new_due.isoformat(), "due_reason": "Holidays", "link_ids": [from_meeting]},
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["link_ids"] == [from_meeting] and changed["due"] == new_due.isoformat()
    assert changed["original_due"] == police_action.due.isoformat()
    assert changed["due_changes"][0]["reason"] == "Holidays"
    assert changed["text"] == police_action.text and changed["theme_id"] == police_action.theme_id


def test_the_year_end_through_the_api(
    client: Client, alice: Any, alpha: Any, police_action: Action, plan: Plan
) -> None:
    auth = bearer(alice)
    later = call(
        client,
        "post",
        "/plans",
        auth,
        {"years": f"{plan.last_year + 1}-{(plan.last_year + 4) % 100:02d}"},
    ).json()
    preview = call(client, "get", f"/plans/{plan.pk}/close?next_plan_id={later['id']}", auth).json()
    assert preview["can_close"] and [c["reference"] for c in preview["carry_forward"]] == ["1.1"]
    wrong = call(
        client,
        "post",
        f"/plans/{plan.pk}/close",
        auth,
        {"next_plan_id": later["id"], "expected_action_ids": []},
    )
    assert wrong.status_code == 400
    closed = call(
        client,
        "post",
        f"/plans/{plan.pk}/close",
        auth,
        {"next_plan_id": later["id"], "expected_action_ids": [police_action.pk]},
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["next_plan_id"] == later["id"]


def test_risks_and_challenges_through_the_api(
    client: Client, alice: Any, hana: Any, health: Any, board: Any
) -> None:
    auth = bearer(alice)
    risk = call(
        client,
        "post",
        "/risks",
        auth,
        {
            "title": "Funding",
            "likelihood": 4,
            "impact": 5,
            "target_score": 8,
            "owner": {"kind": "group", "id": board.pk},
        },
    ).json()
    assert (risk["reference"], risk["score"], risk["band"]) == ("R1", 20, "very_high")
    review = call(
        client, "post", f"/risks/{risk['id']}/reviews", auth, {"likelihood": 2, "impact": 5}
    )
    assert review.status_code == 201 and review.json()["score"] == 10
    detail = call(client, "get", f"/risks/{risk['id']}", auth).json()
    assert [r["score"] for r in detail["reviews"]] == [10, 20]
    changed = call(client, "patch", f"/risks/{risk['id']}", auth, {"status": "closed"}).json()
    assert changed["status"] == "closed"
    challenge = call(
        client,
        "post",
        "/challenges",
        auth,
        {
            "agency_id": health.pk,
            "subject": "Data",
            "detail": "Why late?",
            "raised_on": TODAY.isoformat(),
            "response_due": (TODAY + timedelta(21)).isoformat(),
        },
    ).json()
    assert challenge["status"] == "awaiting" and challenge["reference"] == "C1"
    answer = call(
        client,
        "post",
        f"/challenges/{challenge['id']}/response",
        bearer(hana),
        {"response": "Fixed"},
    )
    assert answer.status_code == 200 and answer.json()["status"] == "responded"
    closed = call(
        client, "post", f"/challenges/{challenge['id']}/outcome", auth, {"outcome": "resolved"}
    )
    assert closed.json()["status"] == "closed"
    again = call(client, "post", f"/challenges/{challenge['id']}/escalation", auth, {"to": "CEO"})
    assert again.status_code == 400 and again.json()["detail"] == "This challenge is closed"


def test_charlie_gets_404_everywhere(
    client: Client, charlie: Any, police_action: Action, plan: Plan
) -> None:
    auth = bearer(charlie)
    for method, path in (
        ("get", "/plans"),
        ("get", f"/plans/{plan.pk}"),
        ("get", "/actions"),
        ("get", f"/actions/{police_action.pk}"),
        ("get", "/risks"),
        ("get", "/challenges"),
    ):
        assert call(client, method, path, auth).status_code == 404
    # Nor through his own partnership.
    response = client.get(f"/api/v1/partnerships/beta/actions/{police_action.pk}", **auth)
    assert response.status_code == 404
