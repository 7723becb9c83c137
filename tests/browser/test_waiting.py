"""Browser journeys: the chair's "waiting for you" list leads to the thing to do (confirming a
completion), and a notification arrives (a contributor reports an action complete; the chair
sees it in the header and the list, and by email)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import GroupKind, MemberRole, Role
from safeboard.planning import services
from safeboard.planning.models import Action, State

from .. import factories as f
from .conftest import sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board(alpha: Any) -> Any:
    return f.group(alpha, "Alpha Board", GroupKind.BOARD)


@pytest.fixture
def chair(alpha: Any, board: Any) -> Any:
    """Dora chairs the Alpha board."""
    user = f.user("dora", p=alpha, roles=[(Role.CHAIR, None)], first_name="Dora", last_name="Day")
    with tenancy.unscoped():
        partnership_services.add_member(
            board, person=f.person_of(user, alpha), role=MemberRole.CHAIR
        )
    return user


@pytest.fixture
def action(alpha: Any, police: Any, board: Any, chair: Any) -> Action:
    with tenancy.partnership_scope(alpha):
        return services.create_action(
            partnership=alpha,
            source="inspection",
            text="Publish the exploitation problem profile",
            owner=police,
            group=board,
            due=timezone.localdate() + timedelta(days=20),
        )


def test_the_chairs_waiting_list_leads_to_the_completion_to_confirm(
    page: Page, live_server: Any, chair: Any, action: Action, console_errors: list[str]
) -> None:
    with tenancy.partnership_scope(action.partnership):
        services.record_completion(
            action, by=None, evidence_text="Profile published on the website", author_name="PC"
        )
    sign_in_page(page, live_server, "dora", f.PASSWORD)
    waiting = page.get_by_test_id("waiting")
    expect(waiting).to_contain_text("1 completion of an action to confirm")
    waiting.get_by_role("link", name="1 completion of an action to confirm").click()
    page.get_by_role("link", name="Publish the exploitation problem profile").first.click()
    page.get_by_role("link", name="Confirm completion").click()
    page.get_by_label("Yes: the evidence shows it is complete").check()
    page.get_by_role("button", name="Save decision").click()
    expect(
        page.get_by_text(f"The completion of action {action.label} is confirmed")
    ).to_be_visible()
    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_test_id("waiting")).to_contain_text("Nothing is waiting for you")
    with tenancy.partnership_scope(action.partnership):
        action.refresh_from_db()
    assert action.state == State.COMPLETE
    assert console_errors == []


def test_a_notification_arrives_in_safeboard_and_by_email(
    page: Page, live_server: Any, chair: Any, bob: Any, action: Action, console_errors: list[str]
) -> None:
    # Bob, the police contributor, reports the action complete.
    sign_in_page(page, live_server, "bob", f.PASSWORD)
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
    page.get_by_role("link", name="Report completion").click()
    page.get_by_label("Evidence of completion").fill("Profile published on the website")
    page.get_by_role("button", name="Report completion").click()
    expect(page.get_by_text("will confirm it")).to_be_visible()
    # The chair is emailed at once, with the link and no more than the action's number.
    to_chair = [m for m in mail.outbox if chair.email in m.to]
    assert len(to_chair) == 1
    assert action.get_absolute_url() in to_chair[0].body
    page.get_by_test_id("sign-out").click()
    # She sees it in Safeboard: the unread count in the header, the list, the action.
    sign_in_page(page, live_server, "dora", f.PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("notifications-link").click()
    notification = page.get_by_test_id("notifications").get_by_role("button")
    expect(notification).to_contain_text(f"Action {action.label} is reported complete")
    notification.click()
    expect(page.get_by_role("link", name="Confirm completion")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert console_errors == []
