"""The performance API: the same permissions as the web pages, figures POSTed by agency
systems with every problem reported, scorecards with exactly the documented keys."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.performance.models import ReturnStatus
from safeboard.performance.selectors import SCORECARD_KEYS

from .. import factories as f
from .conftest import indicator, open_round, put

API = "/api/v1/partnerships/alpha"


def call(client: Client, user: Any, method: str, path: str, data: Any = None) -> Any:
    key = f.api_key(user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if data is None:
        return getattr(client, method)(API + path, **headers)
    return getattr(client, method)(
        API + path, json.dumps(data), content_type="application/json", **headers
    )


@pytest.fixture
def data(alpha: Any, police: Any, health: Any) -> dict[str, Any]:
    p1 = indicator(alpha, "P1", owner=police, polarity="low", target=(10.0, 10.0))
    p2 = indicator(alpha, "P2", owner=police, unit="percent", decimals=1)
    indicator(alpha, "H1", owner=health)
    put(alpha, p1, "2025-26 Q2", 12)
    collection = open_round(alpha, "2025-26 Q3", due=date(2026, 1, 30))
    return {"p1": p1, "p2": p2, "round": collection}


def test_the_scorecard_has_exactly_the_documented_keys(
    client: Client, alice: Any, data: dict
) -> None:
    response = call(client, alice, "get", "/scorecard?period=2025-26%20Q2")
    assert response.status_code == 200
    rows = response.json()
    assert [list(r) for r in rows] == [SCORECARD_KEYS] * 3
    p1 = next(r for r in rows if r["indicator"] == "P1")
    assert (p1["value"], p1["target"], p1["rag"]) == (12, "10", "R")
    bad = call(client, alice, "get", "/scorecard?period=someday")
    assert bad.status_code == 400 and "not a period" in bad.json()["detail"]


def test_bob_posts_police_figures_and_gets_every_problem(
    client: Client, bob: Any, police: Any, data: dict
) -> None:
    path = f"/rounds/{data['round'].pk}/returns/{police.pk}/values"
    response = call(
        client,
        bob,
        "post",
        path,
        {
            "values": [
                {"indicator": "P1", "period": "2025-26 Q3", "value": -1},
                {
                    "indicator": "P2",
                    "period": "2025-26 Q3",
                    "value": 20.1,
                    "numerator": 87,
                    "denominator": 443,
                },
                {"indicator": "H1", "period": "2025-26 Q3", "value": 1},
            ]
        },
    )
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert problems == [
        {"row": 1, "field": "value", "message": "value -1 is negative: a count cannot be"},
        {"row": 2, "field": "value", "message": "value 20.1 disagrees with 87 / 443 = 19.6"},
        {"row": 3, "field": "indicator", "message": "indicator H1 is not one of POL’s"},
    ]
    response = call(
        client,
        bob,
        "post",
        path,
        {
            "values": [
                {"indicator": "P1", "period": "2025-26 Q3", "value": 11},
                {"indicator": "P2", "period": "2025-26 Q3", "numerator": 87, "denominator": 443},
            ]
        },
    )
    assert response.status_code == 200
    rows = {r["indicator"]: r for r in response.json()["rows"]}
    assert rows["P2"]["value"] == pytest.approx(19.6388, rel=1e-4)
    assert rows["P1"]["given"] and not rows["P1"]["released"]


def test_a_return_is_signed_off_by_its_lead_only(
    client: Client, bob: Any, lead: Any, police: Any, alpha: Any, data: dict
) -> None:
    base = f"/rounds/{data['round'].pk}/returns/{police.pk}"
    call(
        client,
        bob,
        "post",
        base + "/values",
        {
            "values": [
                {"indicator": "P1", "period": "2025-26 Q3", "value": 12},
                {"indicator": "P2", "period": "2025-26 Q3", "status": "tbc"},
            ]
        },
    )
    assert call(client, bob, "post", base + "/sign-off").status_code == 403
    response = call(client, lead, "post", base + "/sign-off")
    assert response.status_code == 200 and response.json()["status"] == ReturnStatus.SIGNED_OFF


def test_an_unsigned_return_of_another_agency_is_not_found(
    client: Client, bob: Any, health: Any, data: dict
) -> None:
    path = f"/rounds/{data['round'].pk}/returns/{health.pk}"
    assert call(client, bob, "get", path).status_code == 404
    assert call(client, bob, "post", path + "/values", {"values": []}).status_code == 404


def test_contributors_do_not_read_scorecards_or_indicators(
    client: Client, bob: Any, data: dict
) -> None:
    assert call(client, bob, "get", "/indicators").status_code == 403
    assert call(client, bob, "get", "/scorecard?period=2025-26%20Q2").status_code == 403
    rounds = call(client, bob, "get", "/rounds").json()
    assert [r["agency"] for r in rounds[0]["returns"]] == ["POL"]


def test_charlie_finds_nothing_in_alpha(client: Client, charlie: Any, data: dict) -> None:
    for path in (
        "/indicators",
        "/rounds",
        f"/indicators/{data['p1'].pk}",
        "/scorecard?period=2025-26%20Q2",
    ):
        assert call(client, charlie, "get", path).status_code == 404


def test_alice_adds_an_indicator_sets_a_target_and_runs_a_round(
    client: Client, alice: Any, alpha: Any, data: dict
) -> None:
    created = call(
        client,
        alice,
        "post",
        "/indicators",
        {
            "code": "N1",
            "title": "New",
            "unit": "rate_per_10000",
            "polarity": "none",
            "themes": ["Neglect"],
            "target": "35-45",
            "tolerance": "2",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["decimals"] == 1 and body["themes"] == ["Neglect"]
    assert body["targets"] == [{"applies_from": None, "target": "35-45", "tolerance": "2"}]
    clash = call(
        client, alice, "post", "/indicators", {"code": "n1", "title": "Again", "unit": "count"}
    )
    assert clash.status_code == 400 and "already an indicator" in clash.json()["detail"]
    target = call(
        client,
        alice,
        "post",
        f"/indicators/{body['id']}/targets",
        {"applies_from": "2026-27", "target": "40"},
    )
    assert target.json() == {"applies_from": "2026-27", "target": "40", "tolerance": "10%"}
    opened = call(client, alice, "post", "/rounds", {"period": "2025-26 Q4", "due": "2026-04-30"})
    assert opened.status_code == 201
    locked = call(client, alice, "post", f"/rounds/{opened.json()['id']}/lock")
    assert locked.json()["status"] == "locked"
    with tenancy.partnership_scope(alpha):
        from safeboard.performance.models import CollectionRound

        assert CollectionRound.objects.get(period="2025-26 Q4").status == "locked"
