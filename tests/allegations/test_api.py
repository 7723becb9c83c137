"""The API of the partnership's lists of terms: list, add, import, rename, reorder, retire;
kept by the LADO and the business unit, read by every member, 404 to another partnership."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from safeboard.allegations.models import Term
from safeboard.core import tenancy

pytestmark = pytest.mark.django_db
API = "/api/v1/partnerships/alpha/allegations/terms"


def patch(client: Client, url: str, body: dict) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def post(client: Client, url: str, body: dict) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def names(client: Client, which: str) -> list[str]:
    return [t["name"] for t in client.get(API + f"?list={which}").json()]


def test_terms_listed_added_reordered_retired(visitors: dict[str, Client], alpha: Any) -> None:
    as_lara, as_alice, as_bob, as_charlie = visitors.values()
    assert names(as_bob, "category") == ["Physical", "Emotional", "Sexual", "Neglect"]
    assert post(as_lara, API, {"list": "category", "name": "Online"}).status_code == 201
    assert post(as_alice, API, {"list": "category", "name": "online"}).status_code == 200
    assert post(as_bob, API, {"list": "category", "name": "Other"}).status_code == 403
    with tenancy.partnership_scope(alpha):
        online = Term.objects.get(name="Online")
    url = f"{API}/{online.pk}"
    assert patch(as_lara, url, {"move": "up"}).json()["position"] == 4
    assert names(as_lara, "category") == ["Physical", "Emotional", "Sexual", "Online", "Neglect"]
    retired = patch(as_alice, url, {"retired_on": "2017-04-01", "name": "Online abuse"}).json()
    assert retired["retired_on"] == "2017-04-01" and retired["name"] == "Online abuse"
    assert patch(as_lara, url, {"retired_on": None}).json()["retired_on"] is None
    assert patch(as_lara, url, {"name": None}).status_code == 422  # null only for retired_on
    assert patch(as_lara, url, {"name": "Physical"}).status_code == 400  # already in the list
    assert patch(as_bob, url, {"move": "down"}).status_code == 403
    # Another partnership: 404, for its own path and for Alpha's.
    assert as_charlie.get(API).status_code == 404
    assert patch(as_charlie, url, {"move": "down"}).status_code == 404
    beta_url = f"/api/v1/partnerships/beta/allegations/terms/{online.pk}"
    assert patch(as_charlie, beta_url, {"move": "down"}).status_code == 404
    with tenancy.partnership_scope(alpha):
        online.refresh_from_db()
    assert online.retired_on is None and online.position == 4
    assert date(2017, 4, 1)  # the day retired above (ISO in the API)


def test_terms_import_over_the_api(visitors: dict[str, Client]) -> None:
    as_lara, _, as_bob, _ = visitors.values()
    body = {"csv": "list,term\ncategory,Online\noutcome,Caution\ncategory,physical\n"}
    found = post(as_lara, API + "/import", body).json()
    assert (found["ok"], found["added"], found["kept"]) == (True, 2, 1)
    bad = post(as_lara, API + "/import", {"csv": "list,term\nweather,Sunny\n"}).json()
    assert not bad["ok"] and bad["problems"][0].startswith("Row 2: ‘weather’ is not a list")
    assert post(as_bob, API + "/import", body).status_code == 403
