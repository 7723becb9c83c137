"""What the module tells people, and that no notification or email it causes carries a
restricted detail: everything goes through `notify()` with the register named."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from safeboard.child_deaths import services
from safeboard.child_deaths.models import AgencyForm
from safeboard.core import tenancy
from safeboard.partnership.clocks import notify_due_soon
from safeboard.partnership.models import Notification, Partnership, Role

from .. import factories as f
from .conftest import TODAY, complete

pytestmark = pytest.mark.django_db
RESTRICTED_TEXT = "Something in Child deaths needs your attention"


def secrets(death: Any) -> list[str]:
    """What no email about a death may say."""
    return [
        death.reference,
        death.first_name,
        death.surname,
        death.nhs_number,
        death.date_of_birth.isoformat(),
        death.date_of_death.isoformat(),
        f"{death.date_of_death:%d %B %Y}",
        f"{death.date_of_death:%-d %B %Y}",
    ]


def assert_clean(death: Any) -> None:
    for message in mail.outbox:
        for text in (message.subject, message.body):
            for secret in secrets(death):
                assert secret not in text, (secret, text)
    with tenancy.unscoped():
        for note in Notification.objects.all():
            for secret in secrets(death):
                assert secret not in note.text


def test_late_forms_are_chased_weekly_without_the_childs_details(
    death: Any, alpha: Partnership, police: Any, health: Any
) -> None:
    lead = f.user("lead", p=alpha, agency=police, roles=[(Role.AGENCY_LEAD, police)])
    with tenancy.partnership_scope(alpha):
        services.request_forms(
            death, agencies=[police, health], requested_on=TODAY - timedelta(days=40)
        )
    # The request is told to the police's lead (the health trust has nobody who signs in).
    assert len(mail.outbox) == 1
    call_command("child-deaths", "remind", "--now", "--date", TODAY.isoformat())
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.to == [lead.email]
    assert RESTRICTED_TEXT in message.subject and RESTRICTED_TEXT in message.body
    assert "http" in message.body and "/p/alpha/" in message.body  # a link to the site
    assert_clean(death)
    with tenancy.unscoped():
        notes = Notification.objects.filter(user=lead).order_by("pk")
        assert [n.event for n in notes] == [
            "child_deaths.form_requested",
            "child_deaths.forms_due",
        ]
        assert {n.register for n in notes} == {"child_deaths"}
        form = AgencyForm.objects.get(agency=police)
        assert form.reminders == 1 and form.last_reminded_on == TODAY
        # Nobody at the health trust was told: its form is not marked as chased.
        assert AgencyForm.objects.get(agency=health).reminders == 0
    call_command("child-deaths", "remind", "--now", "--date", TODAY.isoformat())
    assert len(mail.outbox) == 2  # not again within the week
    later = (TODAY + timedelta(days=7)).isoformat()
    call_command("child-deaths", "remind", "--now", "--date", later)
    assert len(mail.outbox) == 3
    assert_clean(death)


def test_every_email_of_the_process_keeps_the_details_in_safeboard(
    death: Any, alpha: Partnership, alice: Any, police: Any, health: Any
) -> None:
    f.user("lead", p=alpha, agency=police, roles=[(Role.AGENCY_LEAD, police)])
    f.user("hlead", p=alpha, agency=health, roles=[(Role.AGENCY_LEAD, health)])
    with tenancy.partnership_scope(alpha):
        forms = services.request_forms(
            death, agencies=[police, health], requested_on=TODAY - timedelta(days=40)
        )
    # The forms' clocks run out: the coordinator hears through the clock engine.
    notify_due_soon(alpha, TODAY)
    call_command("child-deaths", "remind", "--now", "--date", TODAY.isoformat())
    with tenancy.partnership_scope(alpha):
        for form in forms:
            services.receive_form(form, received_on=TODAY - timedelta(days=1), complete=True)
    review = complete(death, on=TODAY - timedelta(days=1), modifiable=True)
    with tenancy.partnership_scope(alpha):
        services.add_recommendation(
            review,
            partnership=alpha,
            text="Share the learning",
            owner=police,
            due=TODAY + timedelta(days=30),
        )
        services.release_recommendations(review, on=TODAY)
    with tenancy.unscoped():
        events = set(Notification.objects.values_list("event", flat=True))
        coordinator = set(Notification.objects.filter(user=alice).values_list("event", flat=True))
    assert {
        "child_deaths.form_requested",
        "child_deaths.forms_due",
        "child_deaths.ready_for_panel",
        "child_deaths.recommendation_released",
    } <= events
    assert {"clock.due_soon", "child_deaths.ready_for_panel"} <= coordinator
    assert mail.outbox
    assert_clean(death)
    with tenancy.unscoped():
        for note in Notification.objects.exclude(event="child_deaths.recommendation_released"):
            assert note.register == "child_deaths" and note.text == RESTRICTED_TEXT


def test_ready_for_the_panel_is_told_once_to_the_coordinators(
    death: Any, alpha: Partnership, alice: Any, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        (form,) = services.request_forms(death, agencies=[police], requested_on=TODAY)
        services.receive_form(form, received_on=TODAY, complete=True)
        services.receive_form(form, received_on=TODAY, complete=False)
    with tenancy.unscoped():
        notes = Notification.objects.filter(event="child_deaths.ready_for_panel")
        assert [n.user for n in notes] == [alice]
        assert notes[0].url == f"/p/alpha/child-deaths/{death.pk}/"
