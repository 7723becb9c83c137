from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import Agency, Attendance, GroupKind

from .. import factories as f


def _bearer(user: Any) -> dict:
    key = f.api_key(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client: Client, path: str, data: Any, auth: dict, method: str = "post") -> Any:
    return getattr(client, method)(path, json.dumps(data), content_type="application/json", **auth)


@pytest.mark.django_db
def test_alice_creates_an_agency_through_the_api(client: Client, alice: Any, alpha: Any) -> None:
    auth = _bearer(alice)
    response = _post(
        client,
        "/api/v1/partnerships/alpha/agencies",
        {"name": "Alpha Youth Justice", "short_name": "YJ", "sector": "youth_justice"},
        auth,
    )
    assert response.status_code == 201, response.content
    assert response.json()["short_name"] == "YJ"
    with tenancy.partnership_scope(alpha):
        assert Agency.objects.get(short_name="YJ").partnership == alpha
    # The write is in the audit trail under alice's name, though she used a token.
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(object_repr="Alpha Youth Justice").get()
    assert entry.actor == alice


@pytest.mark.django_db
def test_invalid_input_is_explained(client: Client, alice: Any) -> None:
    auth = _bearer(alice)
    response = _post(
        client,
        "/api/v1/partnerships/alpha/agencies",
        {"name": "X", "short_name": "X", "sector": "astrology"},
        auth,
    )
    assert response.status_code == 422
    assert "sector" in json.dumps(response.json())
    # The alice fixture comes with the police agency, short name POL.
    response = _post(
        client,
        "/api/v1/partnerships/alpha/agencies",
        {"name": "Dup", "short_name": "pol", "sector": "police"},
        auth,
    )
    assert response.status_code == 400
    assert "already has the short name" in response.json()["detail"]


@pytest.mark.django_db
def test_bob_may_read_but_not_write(client: Client, bob: Any) -> None:
    auth = _bearer(bob)
    assert client.get("/api/v1/partnerships/alpha/agencies", **auth).status_code == 200
    response = _post(
        client,
        "/api/v1/partnerships/alpha/agencies",
        {"name": "Z", "short_name": "Z", "sector": "police"},
        auth,
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_charlie_gets_404_before_any_input_is_read(
    client: Client, charlie: Any, police: Any
) -> None:
    auth = _bearer(charlie)
    assert client.get("/api/v1/partnerships/alpha/agencies", **auth).status_code == 404
    assert client.get(f"/api/v1/partnerships/alpha/agencies/{police.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/partnerships/beta/agencies/{police.pk}", **auth).status_code == 404
    response = _post(client, "/api/v1/partnerships/alpha/agencies", {"bad": "input"}, auth)
    assert response.status_code == 404


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(alice: Any) -> None:
    from ..conftest import sign_in

    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)
    response = client.post(
        "/api/v1/partnerships/alpha/agencies",
        json.dumps({"name": "C", "short_name": "C", "sector": "police"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get("/api/v1/partnerships/alpha/agencies").status_code == 200


@pytest.mark.django_db
def test_a_session_without_its_second_factor_is_refused(client: Client, alice: Any) -> None:
    client.force_login(alice)  # password only: alice must use two factors
    assert client.get("/api/v1/partnerships/alpha/agencies").status_code == 401


@pytest.mark.django_db
def test_attendance_through_the_api(client: Client, alice: Any, alpha: Any, police: Any) -> None:
    board = f.group(alpha, "Board", GroupKind.BOARD)
    person = f.person(alpha, "Pat", police)
    auth = _bearer(alice)
    response = _post(
        client,
        f"/api/v1/partnerships/alpha/groups/{board.pk}/members",
        {"person_id": person.pk},
        auth,
    )
    assert response.status_code == 201 and response.json()["agency_id"] == police.pk
    meeting = f.meeting(board, date.today() - timedelta(days=2))
    response = _post(
        client,
        f"/api/v1/partnerships/alpha/meetings/{meeting.pk}/attendance",
        [{"person_id": person.pk, "status": "deputy"}],
        auth,
        method="put",
    )
    assert response.status_code == 400 and "deputy" in response.json()["detail"]
    response = _post(
        client,
        f"/api/v1/partnerships/alpha/meetings/{meeting.pk}/attendance",
        [{"person_id": person.pk, "status": "present"}],
        auth,
        method="put",
    )
    assert response.status_code == 200
    with tenancy.partnership_scope(alpha):
        assert Attendance.objects.get(meeting=meeting).membership is not None
    fy = f"{meeting.date.year if meeting.date.month >= 4 else meeting.date.year - 1}"
    label = f"{fy}-{(int(fy) + 1) % 100:02d}"
    report = client.get(f"/api/v1/partnerships/alpha/attendance?year={label}", **auth).json()
    assert report["agencies"] == [
        {
            "agency_id": police.pk,
            "agency": "Alpha Police",
            "meetings_expected": 1,
            "meetings_attended": 1,
            "apologies": 0,
            "rate_percent": 100.0,
        }
    ]
    bad = client.get("/api/v1/partnerships/alpha/attendance?year=2017-03", **auth)
    assert bad.status_code == 400 and "not a financial year" in bad.json()["detail"]


@pytest.mark.django_db
def test_the_openapi_document_describes_every_endpoint(as_bob: Client) -> None:
    schema = as_bob.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Safeboard API"
    assert "/api/v1/partnerships/{partnership}/agencies" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert {"TokenAuth", "SessionAuth"} <= set(schemes)


@pytest.mark.django_db
def test_numbers_too_large_for_the_database_are_answered_not_crashed_on(
    client: Client, alice: Any, alpha: Any
) -> None:
    auth = _bearer(alice)
    huge = 2**64
    # No record can have such an id: not found.
    response = client.get(f"/api/v1/partnerships/alpha/meetings/{huge}", **auth)
    assert response.status_code == 404
    response = client.delete(f"/api/v1/partnerships/alpha/people/{huge}/roles/1", **auth)
    assert response.status_code == 404
    # As a filter it matches nothing: PostgreSQL compares it and finds no row; SQLite cannot
    # hold it, and the request is answered as wrong.
    response = client.get(f"/api/v1/partnerships/alpha/meetings?group_id={huge}", **auth)
    if response.status_code == 200:
        assert response.json() == []
    else:
        assert response.status_code == 400
        assert response.json()["detail"] == "A number in the request is too large"
