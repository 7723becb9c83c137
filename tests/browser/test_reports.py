from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from safeboard.partnership.models import Role

from .. import factories as f
from .conftest import sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_with_code(page: Page, live_server: Any, user: Any) -> None:
    # A code is accepted once: a second sign-in in the same 30 seconds gets a new app.
    user.totpdevice_set.all().delete()
    device = f.totp_device(user)
    sign_in_page(page, live_server, user.username, f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()


def test_the_annual_report_from_draft_to_publication(
    page: Page, live_server: Any, alpha: Any, alice: Any, year_data: Any, console_errors: list[str]
) -> None:
    f.user("chris", p=alpha, roles=[(Role.CHAIR, None)])
    _sign_in_with_code(page, live_server, alice)

    # Create the report for 2016-17 from the template.
    page.get_by_role("link", name="Annual report", exact=True).click()
    page.get_by_label("Financial year").select_option("2016")
    page.get_by_label("Figures as at").fill("2017-06-30")
    page.get_by_role("button", name="Create the report").click()
    expect(page.get_by_text("has been created from the template")).to_be_visible()

    # Write the foreword with an embedded figure; the preview fills it in as we type.
    page.get_by_role("link", name="Foreword").click()
    text = page.get_by_label("Text")
    text.fill("Agencies filled [[attendance.overall_rate]] of their places at the board.")
    expect(page.locator("#section-preview")).to_contain_text("Agencies filled 67% of their places")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("‘Foreword’ has been saved.")).to_be_visible()

    # The priorities are still empty: the checks say so, with a link to fix it.
    page.get_by_role("link", name="See the checks").click()
    problem = (
        page.get_by_test_id("problems")
        .get_by_role("row")
        .filter(has_text="Priorities for next year")
    )
    expect(problem).to_contain_text("This section is empty")
    problem.get_by_role("link", name="Fix").click()
    page.get_by_label("Text").fill("- Neglect\n- Exploitation and children missing")
    page.get_by_role("button", name="Save").click()

    # Preview: every figure links to its source.
    page.get_by_role("link", name="Preview the board edition").click()
    figure = page.locator("#section-foreword a.sb-figure").first
    expect(figure).to_have_text("67%")
    figure.click()
    expect(page.locator("#sources li:target")).to_contain_text("Attendance records of 3 board")
    page.get_by_role("link", name="Back to the report").click()

    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_test_id("report-status")).to_have_text("In review")
    page.get_by_role("button", name="Sign out").click()

    # The chair approves.
    sign_in_page(page, live_server, "chris", f.PASSWORD)
    page.get_by_role("link", name="Annual report", exact=True).click()
    page.get_by_role("main").get_by_role("link", name="annual report 2016-17").click()
    page.get_by_role("button", name="Approve the report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Approved")
    page.get_by_role("button", name="Sign out").click()

    # The business unit publishes; the published version is frozen.
    _sign_in_with_code(page, live_server, alice)
    page.get_by_role("link", name="Annual report", exact=True).click()
    page.get_by_role("main").get_by_role("link", name="annual report 2016-17").click()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Published")
    page.get_by_role("link", name="public edition", exact=True).click()
    expect(page.get_by_role("heading", name="Published version 1")).to_be_visible()
    expect(page.locator("#section-foreword")).to_contain_text("Agencies filled 67%")
    # Charts draw in the browser under the Content-Security-Policy.
    expect(page.locator(".sb-chart svg").first).to_be_visible()
    assert console_errors == []
