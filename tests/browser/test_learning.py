"""Browser journey through case reviews: the case review officer records a serious incident
and its notification, sees its clocks, records the rapid review's decision to hold a local
review (the publication clock starts), is stopped from publishing while an inquest is open,
records the end of the inquest and publishes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from safeboard.core.workdays import add_working_days
from safeboard.partnership.models import Role

from .. import factories as f
from .conftest import sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_notify_rapid_review_decide_and_publish(
    page: Page, live_server: Any, alpha: Any, police: Any, console_errors: list[str]
) -> None:
    today = timezone.localdate()
    known = today - timedelta(days=3)
    carol = f.user("carol", p=alpha, roles=[(Role.CASE_REVIEW_OFFICER, None)])
    device = f.totp_device(carol)
    sign_in_page(page, live_server, "carol", f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Case reviews", exact=True).click()
    page.get_by_role("link", name="Record a case").click()
    page.get_by_label("Reference", exact=True).fill("CR-2026-01")
    page.get_by_label("Pseudonym").fill("Child N")
    page.get_by_label("Date the incident became known").fill(known.isoformat())
    page.get_by_label("Death or serious harm").select_option("serious_harm")
    page.get_by_label("Alpha Police").check()
    page.get_by_label("Date the Panel was notified").fill(today.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The case has been recorded.")).to_be_visible()
    clocks = page.get_by_test_id("review-clocks")
    expect(clocks).to_contain_text("Notification")
    expect(clocks).to_contain_text("Met")
    rapid_due = add_working_days(today, 15)
    expect(clocks).to_contain_text(f"{rapid_due.day} {rapid_due:%b %Y}")

    page.get_by_role("link", name="Record the rapid review and its decision").click()
    page.get_by_label("Date the rapid review was held").fill(today.isoformat())
    page.get_by_label("Decision (optional)", exact=True).select_option("lcspr")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The rapid review has been saved.")).to_be_visible()
    expect(page.get_by_text("Local child safeguarding practice review").first).to_be_visible()
    expect(clocks).to_contain_text("Publication")

    page.get_by_role("link", name="Add a parallel process").click()
    page.get_by_label("Kind of process").select_option("inquest")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("cannot be published while a parallel process is open")).to_be_visible()
    expect(page.get_by_role("link", name="Publish the review")).to_have_count(0)

    page.get_by_role("link", name="Concluded").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Publish the review").click()
    page.get_by_label("Published at (web address)").fill("https://alpha.example/child-n")
    page.get_by_label("Sent to the national case review repository").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The review is published")).to_be_visible()
    expect(page.get_by_test_id("published")).to_contain_text("https://alpha.example/child-n")
    assert console_errors == []


def test_what_waits_for_the_officer_leads_to_the_cases(
    page: Page, live_server: Any, alpha: Any, police: Any, console_errors: list[str]
) -> None:
    """The officer's "waiting for you" list: a milestone overdue and an agency's assurance
    awaited, each leading to the case list filtered to those cases, and on to the case."""
    from safeboard.core import tenancy
    from safeboard.learning import services
    from safeboard.learning.models import Kind

    today = timezone.localdate()
    carol = f.user("carol", p=alpha, roles=[(Role.CASE_REVIEW_OFFICER, None)])
    device = f.totp_device(carol)
    with tenancy.partnership_scope(alpha):
        late = services.create_review(
            partnership=alpha, reference="PR-LATE", child="Child L", kind=Kind.PRACTICE
        )
        services.add_milestone(late, title="Chronology", due=today - timedelta(days=3))
        asked = services.create_review(
            partnership=alpha, reference="PR-ASKED", child="Child A", kind=Kind.PRACTICE
        )
        services.seek_assurance(asked, agency=police, requested_on=today)
    sign_in_page(page, live_server, "carol", f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()

    waiting = page.get_by_test_id("waiting")
    expect(waiting).to_contain_text("case review awaiting an agency’s assurance")
    waiting.get_by_role("link", name="case review with a milestone overdue").click()
    cases = page.get_by_test_id("reviews")
    expect(cases).to_contain_text("PR-LATE")
    expect(cases).not_to_contain_text("PR-ASKED")
    page.get_by_role("link", name="Case reviews awaiting an agency’s assurance").click()
    expect(cases).to_contain_text("PR-ASKED")
    expect(cases).not_to_contain_text("PR-LATE")
    cases.get_by_role("link", name="PR-ASKED").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Child A")
    assert console_errors == []
