"""What waits for the private fostering officer (pia): visits overdue, visits due within 5
working days, arrangements awaiting assessment; each count links to the list filtered to
exactly those. Nobody who cannot open the register sees them. The daily clocks run tells pia
(and only the register's keepers) of a visit about to fall due, naming the register only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.core.workdays import add_working_days
from safeboard.partnership.clocks import notify_due_soon
from safeboard.partnership.models import Notification
from safeboard.private_fostering import services
from safeboard.private_fostering.models import Arrangement, Assessment

from ..waiting import waiting_item, waiting_items
from .conftest import arrangement

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(alpha: Any) -> dict[str, Arrangement]:
    today = timezone.localdate()
    late = arrangement(alpha, "PF-LATE", today - timedelta(days=30))  # first visit overdue
    soon = arrangement(alpha, "PF-SOON", add_working_days(today, -5))  # due in 2 working days
    assessed = arrangement(alpha, "PF-OK", today - timedelta(days=3))
    with tenancy.partnership_scope(alpha):
        assessed.assessed, assessed.assessment = today, Assessment.SUITABLE
        services.save_arrangement(assessed, alpha)
    return {"late": late, "soon": soon, "assessed": assessed}


def test_the_officers_waiting_items_link_to_exactly_what_they_count(
    records: dict[str, Arrangement], visitors: dict[str, Client]
) -> None:
    as_pia, as_alice, as_bob, as_charlie = visitors.values()
    overdue = waiting_item(as_pia, "private fostering visit overdue")
    assert overdue.count == 1
    soon = waiting_item(as_pia, "private fostering visits due within")
    assert soon.count == 2 and soon.href.endswith("?when=soon")  # PF-SOON and PF-OK
    page = as_pia.get(soon.href)
    assert [v.arrangement.reference for v in page.context["visits"]] == ["PF-SOON", "PF-OK"]
    unassessed = waiting_item(as_pia, "private fostering arrangements awaiting")
    assert unassessed.count == 2 and unassessed.href.endswith("?show=unassessed")
    listed = as_pia.get(unassessed.href).context["records"]
    assert {a.reference for a in listed} == {"PF-LATE", "PF-SOON"}
    for client in (as_alice, as_bob):
        assert not [i for i in waiting_items(client) if "fostering" in i.label.lower()]
        assert client.get(soon.href).status_code == 403
    assert as_charlie.get(soon.href).status_code == 404


def test_visits_due_soon_are_told_to_the_service_only_naming_the_register(
    alpha: Any, records: dict[str, Arrangement], pia: Any, alice: Any, bob: Any
) -> None:
    told = notify_due_soon(alpha, timezone.localdate())
    assert told >= 3  # the late, the soon and the assessed arrangement's first visits
    with tenancy.partnership_scope(alpha):
        found = Notification.objects.filter(event="clock.due_soon")
        assert {n.user for n in found} == {pia}
        assert all(n.register == "private_fostering" for n in found)
        assert all("PF-" not in n.text for n in found)
    for message in mail.outbox:
        assert "PF-" not in message.subject + message.body
    # Told once only.
    assert notify_due_soon(alpha, timezone.localdate()) == 0
