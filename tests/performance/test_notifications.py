"""A return sent for sign-off is notified to the agency's safeguarding lead."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from safeboard.core import tenancy
from safeboard.partnership.models import Notification
from safeboard.performance import services

from .conftest import indicator, open_round

pytestmark = pytest.mark.django_db


def test_a_return_ready_for_sign_off_is_notified_to_the_lead(
    alpha: Any, police: Any, lead: Any, bob: Any, monkeypatch: Any
) -> None:
    indicator(alpha, "P1", owner=police)
    collection = open_round(alpha, "2025-26 Q2")
    with tenancy.partnership_scope(alpha):
        agency_return = collection.returns.get(agency=police)
        monkeypatch.setattr(services, "_check_complete", lambda *a, **k: None)
        services.submit_return(agency_return, user=bob)
        told = list(Notification.objects.filter(event="return.submitted"))
    assert [n.user for n in told] == [lead]
    assert "ready for you to sign off" in told[0].text
    assert any(lead.email in m.to for m in mail.outbox)
