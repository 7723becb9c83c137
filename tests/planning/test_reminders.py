"""The weekly reminders: each owner gets one email listing their actions due within 14 days
and overdue; a second run in the same week sends nothing again."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import Role
from safeboard.planning import services
from safeboard.planning.models import Action
from safeboard.planning.tasks import send_action_reminders

from .. import factories as f
from .conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(
    alpha: Any, beta: Any, police: Any, health: Any, board: Any, bob: Any, dora: Any, hana: Any
) -> dict[str, Action]:
    pat = f.person(alpha, "Pat Nobody", police)  # no email: cannot be reminded
    return {
        "overdue_police": make_action(
            alpha, police, due=TODAY - timedelta(days=4), text="Overdue police"
        ),
        "soon_health": make_action(
            alpha, health, due=TODAY + timedelta(days=14), text="Health soon"
        ),
        "later_health": make_action(alpha, health, due=TODAY + timedelta(days=15), text="Not yet"),
        "board": make_action(alpha, board, due=TODAY + timedelta(days=2), text="Board soon"),
        "bob": make_action(alpha, f.person_of(bob, alpha), due=TODAY, text="Bob today"),
        "nobody": make_action(alpha, pat, due=TODAY, text="No email"),
        "beta": make_action(beta, f.agency(beta, "BP", "Beta Police"), due=TODAY, text="Beta"),
    }


def test_owners_are_reminded_once_a_week(alpha: Any, actions: dict[str, Action]) -> None:
    result = send_action_reminders.enqueue()
    assert result.return_value == {"partnerships": 2, "emails": 3, "actions": 4}
    by_recipient = {message.to[0]: message for message in mail.outbox}
    # The police has no lead, so its contributor bob hears about its action and his own;
    # the health trust's lead hana about hers; the board's chair dora about the board's.
    assert set(by_recipient) == {"bob@example.org", "hana@example.org", "dora@example.org"}
    bob_mail = by_recipient["bob@example.org"]
    assert bob_mail.subject == "Alpha Safeguarding Children Partnership: 1 overdue and 1 due soon"
    assert "OVERDUE (1)" in bob_mail.body and "Overdue police" in bob_mail.body
    assert "Bob today" in bob_mail.body
    assert f"/p/alpha/planning/actions/{actions['bob'].pk}/" in bob_mail.body
    assert "Health soon" in by_recipient["hana@example.org"].body
    assert "Not yet" not in by_recipient["hana@example.org"].body
    assert "Board soon" in by_recipient["dora@example.org"].body
    mail.outbox.clear()
    assert send_action_reminders.enqueue().return_value["emails"] == 0
    assert mail.outbox == []
    # A week later they are reminded again.
    later = (TODAY + timedelta(days=7)).isoformat()
    assert send_action_reminders.enqueue(later).return_value["emails"] == 3


def test_complete_and_awaiting_actions_are_not_reminded(
    alpha: Any, actions: dict[str, Action]
) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_completion(actions["overdue_police"], by=None, evidence_text="Done")
        services.record_completion(actions["bob"], by=None, evidence_text="Done", confirm=True)
    send_action_reminders.enqueue()
    assert "bob@example.org" not in {m.to[0] for m in mail.outbox}


def test_an_agency_lead_is_reminded_rather_than_its_contributors(
    alpha: Any, police: Any, bob: Any
) -> None:
    lead = f.user("lena", p=alpha, agency=police, roles=[(Role.AGENCY_LEAD, police)])
    make_action(alpha, police, due=TODAY)
    send_action_reminders.enqueue()
    assert [m.to for m in mail.outbox] == [[lead.email]]


def test_the_remind_command_queues_or_sends(alpha: Any, actions: dict[str, Action]) -> None:
    out = io.StringIO()
    call_command("plan", "remind", "--now", stdout=out)
    assert out.getvalue() == "Sent 3 reminder emails about 4 actions in 2 partnerships.\n"
    out = io.StringIO()
    call_command("plan", "remind", stdout=out)
    assert out.getvalue().startswith("Queued the action reminders (task ")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("plan", "remind", "--date", "next monday")


def test_a_chair_who_has_left_is_not_reminded(alpha: Any, board: Any, dora: Any) -> None:
    make_action(alpha, board, due=TODAY)
    with tenancy.partnership_scope(alpha):
        seat = board.memberships.get()
        seat.end = TODAY - timedelta(days=1)
        seat.save()
        partnership_services.add_member(board, person=f.person(alpha, "No Mail"), role="chair")
    send_action_reminders.enqueue()
    assert mail.outbox == []
