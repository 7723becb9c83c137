"""A recommendation becomes an action restricted to the child deaths register until the panel
releases it: nobody who cannot open the register sees it, is counted it, is asked to confirm
it or is told of it (the panel's chair included); once released it is an action like any
other."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.child_deaths import services
from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import Notification, Partnership, Role
from safeboard.planning import services as planning
from safeboard.planning.models import Action, State

from .. import factories as f
from ..conftest import sign_in
from .conftest import TODAY, complete

pytestmark = pytest.mark.django_db
CONFIRM = re.compile(r"completions? of (an )?actions? to confirm")


@pytest.fixture
def carol(alpha: Partnership, panel: Any) -> Any:
    """The panel's chair: a board member who does not open the child deaths register."""
    user = f.user("carol", p=alpha, roles=[(Role.BOARD_MEMBER, None)])
    with tenancy.unscoped():
        partnership_services.add_member(panel, person=f.person_of(user, alpha), role="chair")
    return user


@pytest.fixture
def action(death: Any, alpha: Partnership, alice: Any, carol: Any) -> Action:
    """An unreleased recommendation's action (owned and overseen by the panel), reported
    complete."""
    review = complete(death, on=TODAY - timedelta(days=5), modifiable=True)
    with tenancy.partnership_scope(alpha):
        recommendation = services.add_recommendation(
            review,
            partnership=alpha,
            text="Repeat safe sleep advice",
            owner=death.panel,
            due=TODAY + timedelta(days=30),
        )
        found = Action.objects.get(pk=recommendation.action_id)
        planning.record_completion(found, by=None, evidence_text="Leaflet reprinted")
        found.refresh_from_db()
    assert found.register == "child_deaths" and found.state == State.AWAITING_CONFIRMATION
    return found


def pages(action: Action) -> list[str]:
    return [
        f"/p/alpha/planning/actions/{action.pk}/",
        f"/p/alpha/planning/actions/{action.pk}/confirm/",
    ]


def test_the_chair_is_not_shown_asked_or_told_until_release(
    client: Client, action: Action, carol: Any, alice: Any, alpha: Partnership
) -> None:
    with tenancy.unscoped():
        told = set(
            Notification.objects.filter(event="action.completed").values_list("user", flat=True)
        )
    assert carol.pk not in told  # never asked to confirm what she cannot open
    assert alice.pk in told  # the business unit's administrator who opens the register is
    as_carol = sign_in(client, carol)
    for url in pages(action):
        assert as_carol.get(url).status_code == 404, url
    home = as_carol.get("/p/alpha/").content.decode().lower()
    assert not CONFIRM.search(home) and "repeat safe sleep advice" not in home
    tracker = as_carol.get("/p/alpha/planning/actions/?who=confirm&when=awaiting").content.decode()
    assert "Repeat safe sleep advice" not in tracker
    api = client.get(
        f"/api/v1/partnerships/alpha/planning/actions/{action.pk}",
        HTTP_AUTHORIZATION=f"Bearer {f.api_key(carol)}",
    )
    assert api.status_code == 404

    # The panel releases its recommendations: the action is like any other.
    with tenancy.partnership_scope(alpha):
        services.release_recommendations(action.source_record.review, on=TODAY)
    action.refresh_from_db()
    assert action.register == ""
    with tenancy.unscoped():
        assert Notification.objects.filter(user=carol, event="action.completed").exists()
    for url in pages(action):
        assert as_carol.get(url).status_code == 200, url
    home = as_carol.get("/p/alpha/").content.decode().lower()
    assert CONFIRM.search(home)
    tracker = as_carol.get("/p/alpha/planning/actions/?who=confirm&when=awaiting").content.decode()
    assert "Repeat safe sleep advice" in tracker
    # Released, the action is read by the whole partnership: never the death's reference.
    death_reference = action.source_record.review.death.reference
    for url in (*pages(action), "/p/alpha/planning/actions/?when=all"):
        assert death_reference not in as_carol.get(url).content.decode(), url
    response = as_carol.post(pages(action)[1], {})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("visitor", ["as_bob", "as_lado", "as_analyst"])
def test_nobody_else_sees_an_unreleased_recommendations_action(
    visitor: str, request: Any, action: Action
) -> None:
    client = request.getfixturevalue(visitor)
    for url in pages(action):
        assert client.get(url).status_code == 404, url
    tracker = client.get("/p/alpha/planning/actions/?when=all").content.decode()
    assert "Repeat safe sleep advice" not in tracker
