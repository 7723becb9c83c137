"""PATCH bodies: a field may be left out (kept as it is); null is accepted only for a field the
record may lack (it clears it). Null for any other field is refused, 422 naming the field,
never a database error."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.test import Client
from ninja import Schema

from safeboard.api import api
from safeboard.core import tenancy
from safeboard.core.api_helpers import PatchSchema
from safeboard.learning import services as learning
from safeboard.partnership.models import Role
from safeboard.planning import services as planning

from .. import factories as f
from ..conftest import sign_in
from ..planning.conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


def _patch_operations() -> list[tuple[str, type[Schema]]]:
    found = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "PATCH" in operation.methods:
                    bodies = [
                        model
                        for model in operation.models
                        if getattr(model, "__ninja_param_source__", "") == "body"
                    ]
                    assert len(bodies) == 1, path
                    body = bodies[0].model_fields["payload"].annotation
                    found.append((path, body))
    return found


def test_every_patch_body_is_a_patch_schema() -> None:
    operations = _patch_operations()
    assert len(operations) >= 6
    for path, body in operations:
        assert issubclass(body, PatchSchema), path


@pytest.fixture
def records(alpha: Any, alice: Any, police: Any) -> dict[str, Any]:
    board = f.group(alpha, "Board")
    meeting = f.meeting(board, date(2025, 5, 1), start_time=time(10, 0))
    person = f.person(alpha, "Pat", police)
    action = make_action(alpha, police)
    with tenancy.partnership_scope(alpha):
        review = learning.create_review(
            partnership=alpha, reference="CR-1", child="Child N", kind="practice"
        )
        risk = planning.create_risk(
            partnership=alpha, title="Drift", likelihood=3, impact=3, target_score=4
        )
        challenge = planning.raise_challenge(
            partnership=alpha,
            agency=police,
            subject="Strategy meetings",
            detail="Why are police absent?",
            raised_on=TODAY,
            response_due=TODAY + timedelta(days=28),
        )
    from safeboard.allegations import services as allegations
    from safeboard.allegations.models import Term

    with tenancy.partnership_scope(alpha):
        allegations.ensure_default_terms(alpha)
        term = Term.objects.order_by("pk").first()
    from safeboard.child_deaths import services as child_deaths
    from safeboard.partnership.models import Area

    with tenancy.partnership_scope(alpha):
        death = child_deaths.notify(
            partnership=alpha,
            panel=None,
            home_area=Area.objects.first(),
            date_of_birth=date(2024, 1, 1),
            date_of_death=date(2025, 1, 1),
        )
    return {
        "death_id": death.pk,
        "term_id": term.pk if term else 0,
        "agency_id": police.pk,
        "person_id": person.pk,
        "meeting_id": meeting.pk,
        "action_id": action.pk,
        "risk_id": risk.pk,
        "challenge_id": challenge.pk,
        "review_id": review.pk,
    }


def test_null_for_a_field_a_record_cannot_lack_is_refused(
    as_alice: Client, alpha: Any, records: dict[str, Any]
) -> None:
    # Case records are changed by the case review officer only (alice does not open them).
    officer = sign_in(Client(), f.user("carol", p=alpha, roles=[(Role.CASE_REVIEW_OFFICER, None)]))
    # Child deaths by the CDOP coordinator only.
    coordinator = sign_in(Client(), f.user("cdop", p=alpha, roles=[(Role.CDOP_COORDINATOR, None)]))
    refused = 0
    for path, body in _patch_operations():
        url = "/api/v1" + path.format(partnership="alpha", **records)
        client = (
            officer
            if "/reviews/" in path
            else coordinator
            if "/child-deaths/" in path
            else as_alice
        )
        for name in body.model_fields:
            response = client.patch(url, {name: None}, content_type="application/json")
            assert response.status_code != 500, (url, name)
            if name in body.nullable:
                assert response.status_code in (200, 400), (url, name, response.content)
                continue
            assert response.status_code == 422, (url, name, response.status_code)
            problem = response.json()["detail"][0]
            assert problem["loc"][-1] == name and "null" in problem["msg"], problem
            refused += 1
    assert refused >= 25
    # The three of the security test.
    for url, name in (
        (f"/api/v1/partnerships/alpha/meetings/{records['meeting_id']}", "decisions"),
        (f"/api/v1/partnerships/alpha/meetings/{records['meeting_id']}", "location"),
        (f"/api/v1/partnerships/alpha/people/{records['person_id']}", "email"),
    ):
        assert as_alice.patch(url, {name: None}, content_type="application/json").status_code == 422
    # Null still clears what may be cleared; leaving a field out keeps it.
    meeting = f"/api/v1/partnerships/alpha/meetings/{records['meeting_id']}"
    response = as_alice.patch(meeting, {"start_time": None}, content_type="application/json")
    assert response.status_code == 200 and response.json()["start_time"] is None
    response = as_alice.patch(meeting, {"location": "Hall"}, content_type="application/json")
    assert response.json()["location"] == "Hall" and response.json()["decisions"] == ""
