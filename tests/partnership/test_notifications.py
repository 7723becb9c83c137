"""Notifications (`partnership.notifications.notify`): in Safeboard (the list, the unread
count in the header, marking read) and by email, at once or in the daily digest as each person
chooses; a restricted record's notification never carries its details."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from safeboard.core import clocks, modules, tenancy
from safeboard.core.clocks import ClockKind, Length, Unit
from safeboard.core.modules import Register
from safeboard.core.workdays import add_working_days
from safeboard.partnership.models import Notification, Person
from safeboard.partnership.notifications import notify
from safeboard.partnership.tasks import send_notification_digest

from .. import factories as f

pytestmark = pytest.mark.django_db


def person_of(user: Any) -> Person:
    with tenancy.unscoped():
        return Person.objects.select_related("user", "partnership").get(user=user)


def test_a_notification_is_listed_counted_in_the_header_and_read(
    as_alice: Client, alice: Any
) -> None:
    page = as_alice.get("/p/alpha/").content.decode()
    assert 'data-testid="unread-count"' not in page
    notify(person_of(alice), "test", text="Police return ready to sign off", url="/p/alpha/")
    page = as_alice.get("/p/alpha/").content.decode()
    assert 'data-testid="unread-count">1<' in page
    listing = as_alice.get("/p/alpha/notifications/").content.decode()
    assert "Police return ready to sign off" in listing and "Unread" in listing
    with tenancy.unscoped():
        found = Notification.objects.get()
    response = as_alice.post(f"/p/alpha/notifications/{found.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/p/alpha/"
    page = as_alice.get("/p/alpha/").content.decode()
    assert 'data-testid="unread-count"' not in page


def test_mark_every_notification_read(as_alice: Client, alice: Any) -> None:
    for n in range(3):
        notify(person_of(alice), "test", text=f"Thing {n}")
    as_alice.post("/p/alpha/notifications/read/")
    with tenancy.unscoped():
        assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_opens_another_persons_notification(as_bob: Client, alice: Any, bob: Any) -> None:
    found = notify(person_of(alice), "test", text="For alice only", url="/p/alpha/")
    assert found is not None
    assert as_bob.post(f"/p/alpha/notifications/{found.pk}/open/").status_code == 404
    assert "For alice only" not in as_bob.get("/p/alpha/notifications/").content.decode()


def test_an_immediate_notification_is_emailed_at_once(alice: Any) -> None:
    notify(person_of(alice), "test", text="Challenge C1 waits for you", url="/p/alpha/x/")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [alice.email]
    assert "Challenge C1 waits for you" in email.subject
    assert "http://testserver/p/alpha/x/" in email.body or "/p/alpha/x/" in email.body


def test_the_daily_digest_sends_one_email_for_the_days_notifications(alice: Any) -> None:
    alice.notification_email = "daily"
    alice.save()
    person = person_of(alice)
    notify(person, "test", text="First thing")
    notify(person, "test", text="Second thing")
    assert mail.outbox == []
    summary = send_notification_digest.call()
    assert summary["emails"] == 1
    assert "First thing" in mail.outbox[0].body and "Second thing" in mail.outbox[0].body
    send_notification_digest.call()
    assert len(mail.outbox) == 1  # told once


def test_the_account_page_chooses_at_once_or_daily(as_alice: Client, alice: Any) -> None:
    page = as_alice.get("/accounts/").content.decode()
    assert 'name="notification_email"' in page
    as_alice.post("/accounts/notifications/", {"notification_email": "daily"})
    alice.refresh_from_db()
    assert alice.notification_email == "daily"
    response = as_alice.post("/accounts/notifications/", {"notification_email": "hourly"})
    alice.refresh_from_db()
    assert alice.notification_email == "daily" and response.status_code == 302


@pytest.fixture
def secrets_register(monkeypatch: Any) -> str:
    config = next(m for m in modules.installed() if m.label == "partnership")
    monkeypatch.setattr(
        config,
        "registers",
        (*config.registers, Register("secrets", "The secrets register", roles=frozenset())),
    )
    return "secrets"


def test_a_restricted_notification_names_only_its_register(
    as_alice: Client, alice: Any, secrets_register: str
) -> None:
    notify(
        person_of(alice),
        "test",
        text="Allegation about Jo Bloggs at St Anne's",
        url="/p/alpha/",
        register=secrets_register,
    )
    email = mail.outbox[0]
    for text in (
        email.subject,
        email.body,
        as_alice.get("/p/alpha/notifications/").content.decode(),
    ):
        assert "Jo Bloggs" not in text and "St Anne" not in text
        assert "Something in The secrets register needs your attention" in text


def test_people_without_an_active_sign_in_are_not_notified(alpha: Any, alice: Any) -> None:
    assert notify(f.person(alpha, "No sign-in"), "test", text="x") is None
    alice.is_active = False
    alice.save()
    assert notify(person_of(alice), "test", text="x") is None


KIND = ClockKind(
    "papers.review",
    "Review of a restricted paper",
    Length(5, Unit.WORKING_DAYS),
    source="A test's own statute",
    starts="the paper being filed",
    ends="the review held",
    register="restricted_papers",
)


def test_a_clock_due_soon_is_notified_once_without_its_record(
    monkeypatch: Any, alpha: Any, alice: Any, bob: Any
) -> None:
    config = next(m for m in modules.installed() if m.label == "partnership")
    monkeypatch.setattr(config, "clocks", (KIND,))
    today = timezone.localdate()
    with tenancy.partnership_scope(alpha):
        soon = f.agency(alpha, "CHILDA", "Child A")
        later = f.agency(alpha, "CHILDC", "Child C")
        clocks.start_clock(soon, KIND.key, add_working_days(today, -4), label="Child A: review")
        clocks.start_clock(later, KIND.key, today + timedelta(days=30), label="Child C")
    call_command("notifications", "digest", "--now")
    with tenancy.unscoped():
        told = list(Notification.objects.filter(event="clock.due_soon"))
    # alice (the business unit) opens restricted papers; bob may not, and is not told.
    assert [n.user for n in told] == [alice]
    assert "Child" not in told[0].text and "Restricted meeting papers" in told[0].text
    assert all("Child A" not in m.body and "Child A" not in m.subject for m in mail.outbox)
    call_command("notifications", "digest", "--now")
    with tenancy.unscoped():
        assert Notification.objects.filter(event="clock.due_soon").count() == 1
