"""Browser journey through the child death register: the coordinator notifies a death of a
child who lived in the partnership that shares the panel, asks the police and the hospital
trust for their forms, withdraws the trust's (asked in error, with a confirmation), records
the police's late return, records the panel's completed review, adds a factor, corrects it
and removes it (with a confirmation), adds a recommendation and corrects it, releases it to
the tracker, and finds the NCMD export."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from safeboard.child_deaths.models import ChildDeath
from safeboard.core import demo, tenancy
from safeboard.partnership.models import GroupKind, Role
from safeboard.planning.models import Action

from .. import factories as f
from .conftest import sign_in_page
from .test_accessibility import axe_page, violations

__all__ = ["axe_page"]

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_notification_to_completed_review(
    page: Page,
    live_server: Any,
    alpha: Any,
    beta: Any,
    police: Any,
    health: Any,
    console_errors: list[str],
) -> None:
    today = timezone.localdate()
    died = today - timedelta(days=90)
    panel = f.group(alpha, "Alpha and Beta CDOP", GroupKind.PANEL)
    panel.shared_with.add(beta)
    coordinator = f.user("grace", p=alpha, roles=[(Role.CDOP_COORDINATOR, None)])
    device = f.totp_device(coordinator)
    sign_in_page(page, live_server, "grace", f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Child deaths", exact=True).click()
    page.get_by_role("link", name="Notify a death").click()
    page.get_by_label("Child death overview panel").select_option(label="Alpha and Beta CDOP")
    page.get_by_label("Home area").select_option(index=2)  # Beta's area (after Alpha's)
    page.get_by_label("First name").fill("Isla")
    page.get_by_label("Surname").fill("Nowak")
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_label("Date of birth").fill((died - timedelta(days=200)).isoformat())
    page.get_by_label("Female").check()
    page.get_by_label("Date of death").fill(died.isoformat())
    page.get_by_label("A joint agency response is needed").check()
    page.get_by_label("Sudden, with no immediately apparent cause").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The death has been recorded as")).to_be_visible()
    expect(page.get_by_test_id("death-status")).to_have_text("Notified")

    page.get_by_role("link", name="Request forms from agencies").click()
    page.get_by_label("Alpha Police").check()
    page.get_by_label("Alpha Hospitals Trust").check()
    page.get_by_label("Requested on").fill((died + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("death-status")).to_have_text("Gathering information")
    expect(page.get_by_test_id("forms").get_by_text("Overdue")).to_have_count(2)

    page.get_by_role("link", name="Withdraw the request for HLT’s form").click()
    expect(page.get_by_test_id("confirm-what")).to_contain_text("Alpha Hospitals Trust")
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.get_by_text("The request for HLT’s form is withdrawn.")).to_be_visible()
    expect(page.get_by_test_id("forms").get_by_text("Overdue")).to_have_count(1)

    page.get_by_role("link", name="Record receipt").click()
    page.get_by_label("Received on").fill((died + timedelta(days=40)).isoformat())
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("forms").get_by_text("Late")).to_be_visible()
    expect(page.get_by_test_id("death-status")).to_have_text("Ready for the panel")

    page.get_by_role("link", name="Record the panel’s review").click()
    page.get_by_label("Date of the panel").fill(today.isoformat())
    page.get_by_label("Review completed on").fill(today.isoformat())
    page.get_by_label("Category of death").select_option(
        label="Sudden unexpected, unexplained death"
    )
    page.get_by_label("Modifiable factors identified?").select_option(label="Yes")
    page.get_by_label("Which modifiable factors").fill("Unsafe sleeping arrangements")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("death-status")).to_have_text("Review completed")
    expect(page.get_by_test_id("review")).to_contain_text("Under 6 months")

    page.get_by_role("link", name="Add a factor").click()
    page.get_by_label("Domain").select_option(label="Physical environment")
    page.get_by_role("textbox", name="Factor").fill("Soft bedding")
    page.get_by_label("1: factors identified, unlikely to have contributed").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Change factor 1").click()
    page.get_by_label("2: factors identified that may have contributed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The factor has been changed.")).to_be_visible()
    expect(page.get_by_test_id("factors")).to_contain_text("Soft bedding")
    page.get_by_role("link", name="Remove factor 1").click()
    expect(page.get_by_test_id("confirm-what")).to_contain_text("Soft bedding")
    page.get_by_role("button", name="Remove the factor").click()
    expect(page.get_by_text("The factor has been removed.")).to_be_visible()
    expect(page.get_by_test_id("factors")).to_contain_text("No factors recorded.")

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Recommendation").fill("Repeat safe sleep advice")
    page.get_by_label("Agency responsible").select_option(label="Alpha Police")
    page.get_by_label("Due").fill((today + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("seen only in this register until released")).to_be_visible()
    page.get_by_role("link", name="Change recommendation 1").click()
    page.get_by_label("Recommendation").fill("Repeat safe sleep advice at every contact")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The recommendation and its action have been changed.")).to_be_visible()
    page.get_by_role("link", name="Release the recommendations").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Released 1 recommendation to the tracker.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Download the NCMD analysis form fields (CSV)")
    ).to_be_visible()

    with tenancy.unscoped():
        death = ChildDeath.objects.get(surname="Nowak")
        assert death.partnership == beta  # residence decides
        assert death.review.completed_on == today
        action = Action.objects.get(source="child_death_review")
        assert action.register == ""
        assert action.text == "Repeat safe sleep advice at every contact"
    assert console_errors == []


def test_the_registers_pages_pass_the_automated_accessibility_rules(
    axe_page: Page, live_server: Any
) -> None:
    ctx = demo.load(password="a-demo-password")
    cd = ctx.extra["child_deaths"]
    base = "/p/northdale/child-deaths"
    completed, open_ = cd["completed"].pk, cd["open"].pk
    with tenancy.unscoped():
        factor = cd["completed"].review.factors.first()
    pages = [
        "/",
        "/new/",
        "/forms/",
        "/tables/",
        f"/{completed}/",
        f"/{completed}/review/",
        f"/{open_}/",
        f"/{open_}/forms/request/",
        f"/factors/{factor.pk}/",
        f"/factors/{factor.pk}/remove/",
        f"/{open_}/meetings/new/",
    ]
    page = axe_page
    found = {}
    with override_settings(DEMO=True):  # the demo sign-in, without its second factor
        sign_in_page(page, live_server, "cdop", "a-demo-password")
        for path in pages:
            page.goto(f"{live_server.url}{base}{path}")
            page.wait_for_load_state("networkidle")
            assert "/child-deaths/" in page.url  # the page itself, not the sign-in page
            found[path] = violations(page)
        expect(page.get_by_role("heading", name="record a meeting")).to_be_visible()
    problems = {path: v for path, v in found.items() if v}
    assert not problems, "\n".join(f"{p}: {v}" for p, vs in problems.items() for v in vs)
