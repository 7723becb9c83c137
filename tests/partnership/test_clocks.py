"""Every running statutory clock in one place: for those who may open its records, nearest
due first; the partnership's own lengths; the home panel; the weekly digest."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from safeboard.core import clocks, modules, tenancy
from safeboard.core.clocks import ClockKind, Length, Unit
from safeboard.core.models import Clock, ClockSetting
from safeboard.core.workdays import add_working_days

from .. import factories as f
from ..conftest import sign_in

KIND = ClockKind(
    "papers.review",
    "Review of a restricted paper",
    Length(5, Unit.WORKING_DAYS),
    source="A test's own statute",
    starts="the paper being filed",
    ends="the review held",
    register="restricted_papers",
)


@pytest.fixture(autouse=True)
def kind(monkeypatch: Any) -> ClockKind:
    config = next(m for m in modules.installed() if m.label == "partnership")
    monkeypatch.setattr(config, "clocks", (KIND,))
    return KIND


@pytest.fixture
def running(alpha: Any) -> list[Clock]:
    """Three clocks on restricted records: one overdue, one due tomorrow, one in a month."""
    today = timezone.localdate()
    made = []
    with tenancy.partnership_scope(alpha):
        for name, start in (
            ("Child A", add_working_days(today, -7)),
            ("Child B", add_working_days(today, -4)),
            ("Child C", today + timedelta(days=30)),
        ):
            record = f.agency(alpha, name.replace(" ", ""), name)
            made.append(clocks.start_clock(record, KIND.key, start, label=f"{name}: review"))
    return made


@pytest.mark.django_db
def test_alice_sees_the_clocks_of_the_registers_she_opens_nearest_first(
    as_alice: Client, running: list[Clock]
) -> None:
    page = as_alice.get("/p/alpha/clocks/?view=running")
    body = page.content.decode()
    assert body.index("Child A") < body.index("Child B") < body.index("Child C")
    assert "Overdue" in body and "2 working days late" in body
    assert "1 working day left" in body
    assert "no-store" in page["Cache-Control"]
    listed = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data__detail="listed"
    )
    assert listed.count() == 3
    soon = as_alice.get("/p/alpha/clocks/").content.decode()  # overdue or due within 5 days
    assert "Child A" in soon and "Child B" in soon and "Child C" not in soon


@pytest.mark.django_db
def test_bob_sees_no_clock_of_a_register_he_may_not_open(
    as_bob: Client, running: list[Clock]
) -> None:
    body = as_bob.get("/p/alpha/clocks/?view=running").content.decode()
    assert "Child A" not in body and "No clocks to show" in body
    assert as_bob.get("/api/v1/partnerships/alpha/clocks").json() == []
    assert "panel-clocks" not in as_bob.get("/p/alpha/").content.decode()


@pytest.mark.django_db
def test_charlie_gets_404(as_charlie: Client, running: list[Clock]) -> None:
    assert as_charlie.get("/p/alpha/clocks/").status_code == 404
    assert as_charlie.get("/p/alpha/clocks/settings/").status_code == 404


@pytest.mark.django_db
def test_the_home_panel_counts_and_links(as_alice: Client, running: list[Clock]) -> None:
    body = as_alice.get("/p/alpha/").content.decode()
    assert 'id="panel-clocks"' in body
    assert "<strong>1</strong> overdue" in body
    assert "<strong>1</strong> due within 5 working days" in body
    # Each count links to the list of exactly the clocks it counts.
    panel = body[
        body.index('id="panel-clocks"') : body.index("</section>", body.index('id="panel-clocks"'))
    ]
    links = dict(
        (label, href.replace("&amp;", "&"))
        for href, label in re.findall(
            r'<a class="govuk-link" href="([^"]+)"><strong>\d+</strong> ([^<]+)</a>', panel
        )
    )
    overdue = as_alice.get(links["overdue"]).content.decode()
    assert "Child A" in overdue and "Child B" not in overdue and "Child C" not in overdue
    soon = as_alice.get(links["due within 5 working days"]).content.decode()
    assert "Child B" in soon and "Child A" not in soon and "Child C" not in soon


@pytest.mark.django_db
def test_the_api_lists_the_same_clocks(client: Client, alice: Any, running: list[Clock]) -> None:
    key = f.api_key(alice)
    data = client.get(
        "/api/v1/partnerships/alpha/clocks?view=running", HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    assert [c["label"] for c in data] == ["Child A: review", "Child B: review", "Child C: review"]
    assert data[0]["state"] == "overdue" and data[0]["length"] == "5 working days"


@pytest.mark.django_db
def test_alice_sets_the_partnerships_own_length_for_new_clocks(
    as_alice: Client, alpha: Any, running: list[Clock]
) -> None:
    page = as_alice.get("/p/alpha/clocks/settings/").content.decode()
    assert "A test&#x27;s own statute" in page and "5 working days (the national default)" in page
    response = as_alice.post(
        "/p/alpha/clocks/settings/",
        {"kind": KIND.key, "count": "3", "unit": "days", "reason": "Local protocol"},
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        assert ClockSetting.objects.get().length == Length(3, Unit.DAYS)
        assert all(c.length == KIND.default for c in Clock.objects.all())
    assert (
        "3 calendar days (its own: Local protocol)"
        in as_alice.get("/p/alpha/clocks/settings/").content.decode()
    )
    # Back to the national default: the partnership's own setting goes.
    as_alice.post(
        "/p/alpha/clocks/settings/", {"kind": KIND.key, "count": "5", "unit": "working_days"}
    )
    with tenancy.partnership_scope(alpha):
        assert not ClockSetting.objects.exists()


@pytest.mark.django_db
def test_bob_may_not_change_the_lengths(as_bob: Client) -> None:
    assert as_bob.get("/p/alpha/clocks/settings/").status_code == 403
    response = as_bob.post(
        "/p/alpha/clocks/settings/", {"kind": KIND.key, "count": "1", "unit": "days"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_weekly_digest_counts_without_details(
    alpha: Any, alice: Any, bob: Any, running: list[Clock]
) -> None:
    for user in (alice, bob):
        person = f.person_of(user, alpha)
        with tenancy.partnership_scope(alpha):
            person.email = f"{user.username}@example.org"
            person.save()
    call_command("clocks", "digest", "--now")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    body = mail.outbox[0].body
    assert "3 statutory clocks are running" in body and "1 overdue and 1 due within" in body
    assert "Child" not in body


@pytest.mark.django_db
def test_the_digest_can_be_queued(alpha: Any, capsys: Any) -> None:
    call_command("clocks", "digest")
    assert "Queued the clock digest" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_member_who_opens_the_register_sees_it_through_their_own_sign_in(
    client: Client, alpha: Any, running: list[Clock]
) -> None:
    admin = f.user("dora", p=alpha, roles=[("business_unit_admin", None)])
    sign_in(client, admin)
    assert "Child B" in client.get("/p/alpha/clocks/").content.decode()
