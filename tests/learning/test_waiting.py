"""What waits for the case review officer (carol): cases with a milestone overdue, awaiting an
agency's assurance, published with dissemination outstanding, and the cases' statutory clocks;
each count links to the case list filtered to exactly those cases. Nobody who cannot open the
register sees them (alice, bob); charlie, an outsider, finds the list 404. The daily reminder
tells the officers of overdue milestones once, naming the register only."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client

from safeboard.core import tenancy
from safeboard.learning import services
from safeboard.learning.models import Kind
from safeboard.partnership.models import Notification

from ..conftest import sign_in
from ..waiting import waiting_item, waiting_items
from .conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(alpha: Any, police: Any, review: Any) -> dict[str, Any]:
    with tenancy.partnership_scope(alpha):
        late = services.create_review(
            partnership=alpha, reference="PR-LATE", child="Child L", kind=Kind.PRACTICE
        )
        services.add_milestone(late, title="Chronology", due=days_ago(3))
        services.add_milestone(late, title="Draft", due=days_ago(-30))
        on_time = services.create_review(
            partnership=alpha, reference="PR-ONTIME", child="Child T", kind=Kind.PRACTICE
        )
        services.add_milestone(on_time, title="Chronology", due=days_ago(-3))
        asked = services.create_review(
            partnership=alpha, reference="PR-ASKED", child="Child A", kind=Kind.PRACTICE
        )
        services.seek_assurance(asked, agency=police, requested_on=days_ago(10))
        answered = services.seek_assurance(review, agency=police, requested_on=days_ago(10))
        services.record_assurance(answered, response="Done", on=days_ago(2))
        published = services.create_review(
            partnership=alpha, reference="PR-PUB", child="Child P", kind=Kind.PRACTICE
        )
        services.publish(published, on=days_ago(5))
        services.record_dissemination(published, training_updated_on=days_ago(1))
        done = services.create_review(
            partnership=alpha, reference="PR-DONE", child="Child D", kind=Kind.PRACTICE
        )
        services.publish(done, on=days_ago(5))
        services.record_dissemination(
            done, **dict.fromkeys(services.DISSEMINATION_FIELDS, days_ago(1))
        )
        old = services.create_review(
            partnership=alpha, reference="SCR-OLD", child="Child S", kind=Kind.SCR
        )
        services.publish(old, on=days_ago(3000))
    return {"late": late, "asked": asked, "published": published}


def test_the_officer_sees_what_waits_and_each_count_lists_exactly_those_cases(
    as_carol: Client, cases: dict[str, Any]
) -> None:
    expected = {
        "case review with a milestone overdue": "PR-LATE",
        "case review awaiting an agency’s assurance": "PR-ASKED",
        "published case review with dissemination outstanding": "PR-PUB",
    }
    everything = {"CR-1", "PR-LATE", "PR-ONTIME", "PR-ASKED", "PR-PUB", "PR-DONE", "SCR-OLD"}
    for label, reference in expected.items():
        item = waiting_item(as_carol, label)
        assert item.count == 1
        assert "?show=" in item.href
        listed = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
        page = as_carol.get(item.href).content.decode()
        assert reference in page
        assert not [other for other in everything - {reference} if f">{other}<" in page]
        # The listing is read through the register reader: each case shown is logged.
        assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == listed + 1
    milestones = waiting_item(as_carol, "case review with a milestone overdue")
    assert milestones.href.endswith("?show=milestones") and milestones.count == 1
    # The cases' clocks wait in the core's item, for the same people: CR-1's rapid review
    # (notified 23 December 2025, never held) is overdue.
    clocks = waiting_item(as_carol, "statutory clock overdue")
    assert clocks.count == 1 and clocks.href.endswith("?view=soon")


def test_nobody_who_cannot_open_the_register_sees_them(
    alice: Any, bob: Any, charlie: Any, cases: dict[str, Any]
) -> None:
    for user in (alice, bob):
        client = sign_in(Client(), user)
        assert not [i for i in waiting_items(client) if "case review" in i.label]
        # The filtered list is the published list for them: no case of the register in it.
        page = client.get("/p/alpha/reviews/?show=milestones").content.decode()
        assert "PR-LATE" not in page
    outsider = sign_in(Client(), charlie)
    assert outsider.get("/p/alpha/reviews/?show=milestones").status_code == 404


def test_a_clock_about_to_run_out_waits_for_the_officer_only(
    as_carol: Client, alpha: Any, alice: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        services.create_review(
            partnership=alpha, reference="CR-9", child="Child Q", incident_known=days_ago(1)
        )
    item = waiting_item(as_carol, "statutory clock overdue or about to run out")
    assert item.count == 1
    assert item.href.endswith("?view=soon")
    assert "Child Q: notification" in as_carol.get(item.href).content.decode()
    assert not [i for i in waiting_items(sign_in(Client(), alice)) if "clock" in i.label]


def test_the_daily_reminder_tells_the_officers_of_an_overdue_milestone_once(
    carol: Any, alice: Any, cases: dict[str, Any], alpha: Any, capsys: Any
) -> None:
    call_command("reviews", "remind")
    call_command("reviews", "remind", "--partnership", "alpha")
    assert "1 notification sent." in capsys.readouterr().out
    with tenancy.partnership_scope(alpha):
        told = Notification.objects.filter(event="case_review.milestone_overdue")
        assert [n.user for n in told] == [carol]
        assert told[0].text == "Something in Case reviews needs your attention"
        assert told[0].url.endswith(f"/reviews/{cases['late'].pk}/")
