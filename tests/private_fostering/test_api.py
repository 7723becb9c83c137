"""The private fostering API beyond records: awareness activity (every member reads it, the
service records it), the import (a reference already there updated) and an arrangement's end,
each with the owner / colleague / outsider answers; a record returned is a logged read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

pytestmark = pytest.mark.django_db
API = "/api/v1/partnerships/alpha/private-fostering"


def post(client: Client, url: str, body: dict) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_awareness_activity(visitors: dict[str, Client]) -> None:
    as_pia, as_alice, as_bob, as_charlie = visitors.values()
    body = {"held_on": "2016-09-14", "kind": "briefing", "title": "Head teachers", "reached": 40}
    made = post(as_pia, API + "/awareness", body)
    assert made.status_code == 201 and made.json()["title"] == "Head teachers"
    assert post(as_bob, API + "/awareness", body).status_code == 403
    assert post(as_pia, API + "/awareness", body | {"kind": "poster"}).status_code == 400
    assert [a["title"] for a in as_bob.get(API + "/awareness?year=2016-17").json()] == [
        "Head teachers"
    ]
    assert as_alice.get(API + "/awareness?year=2017-18").json() == []
    assert as_alice.get(API + "/awareness?year=2017").status_code == 400
    assert as_charlie.get(API + "/awareness").status_code == 404


def test_import_and_end_over_the_api(visitors: dict[str, Client], pia: Any) -> None:
    as_pia, as_alice, as_bob, as_charlie = visitors.values()
    csv = "reference,notified,source,start,visits\nA-1,2016-05-02,school,2016-05-01,2016-05-06\n"
    found = post(as_pia, API + "/import", {"csv": csv}).json()
    assert found["ok"] and (found["created"], found["updated"], found["visits"]) == (1, 0, 1)
    again = post(as_pia, API + "/import", {"csv": csv, "dry_run": True}).json()
    assert again["summary"] == [
        "Would import 1 arrangements: 0 new, 1 changed (already in the register), with 0 visits."
    ]
    assert post(as_alice, API + "/import", {"csv": csv}).status_code == 403
    assert post(as_bob, API + "/import", {"csv": csv}).status_code == 403
    assert post(as_charlie, API + "/import", {"csv": csv}).status_code == 404
    listed = as_pia.get(API).json()
    pk = listed[0]["id"]
    ended = post(as_pia, f"{API}/{pk}/end", {"ended": "2016-08-01", "reason": "returned_home"})
    assert ended.status_code == 200 and ended.json()["ended"] == "2016-08-01"
    assert (
        post(as_bob, f"{API}/{pk}/end", {"ended": "2016-08-01", "reason": "other"}).status_code
        == 404
    )
    assert (
        post(as_pia, f"{API}/{pk}/end", {"ended": "2016-08-01", "reason": "bored"}).status_code
        == 400
    )
    assert (
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS,
            actor=pia,
            object_pk=str(pk),
            additional_data__detail="read",
        ).count()
        == 2
    )
