"""Planning tells people what waits for them: a completion reported goes to the chair of the
overseeing group (or the business unit), a challenge to the challenged agency's lead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from safeboard.core import tenancy
from safeboard.partnership.models import Notification
from safeboard.planning import services

from .conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


def _told(user: Any) -> list[Notification]:
    with tenancy.unscoped():
        return list(Notification.objects.filter(user=user))


def test_a_reported_completion_is_notified_to_the_chair(
    dora: Any, vera: Any, police_action: Any
) -> None:
    with tenancy.partnership_scope(police_action.partnership):
        services.record_completion(police_action, by=None, evidence_text="Done", author_name="X")
    told = _told(dora)
    assert [n.event for n in told] == ["action.completed"]
    assert told[0].url == police_action.get_absolute_url()
    assert any(dora.email in m.to for m in mail.outbox)
    assert _told(vera) == []


def test_a_completion_without_a_chair_goes_to_the_business_unit(
    alice: Any, alpha: Any, police: Any
) -> None:
    action = make_action(alpha, police, text="No group")
    with tenancy.partnership_scope(alpha):
        services.record_completion(action, by=None, evidence_text="Done", author_name="X")
    assert [n.event for n in _told(alice)] == ["action.completed"]


def test_a_completion_confirmed_at_once_tells_nobody(
    alice: Any, dora: Any, police_action: Any
) -> None:
    with tenancy.partnership_scope(police_action.partnership):
        services.record_completion(
            police_action, by=None, evidence_text="Done", author_name="X", confirm=True
        )
    assert _told(dora) == [] and _told(alice) == []


def test_a_challenge_is_notified_to_the_agency_lead(hana: Any, alpha: Any, health: Any) -> None:
    with tenancy.partnership_scope(alpha):
        challenge = services.raise_challenge(
            partnership=alpha,
            agency=health,
            subject="Late data",
            detail="Why?",
            raised_on=TODAY,
            response_due=TODAY + timedelta(days=20),
        )
    told = _told(hana)
    assert [n.event for n in told] == ["challenge.raised"]
    assert told[0].url.endswith(f"/challenges/{challenge.pk}/")
