"""The main journey of the dataset in a real browser: a contributor enters the police's
quarterly return, checked as they type; the police lead signs it off; the scorecard shows the
figure with its rating."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from safeboard.core import tenancy
from safeboard.partnership.models import Role
from safeboard.performance import services

from .. import factories as f
from .conftest import sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def journey(alpha: Any, police: Any, bob: Any) -> dict[str, Any]:
    lead = f.user(
        "lena",
        p=alpha,
        agency=police,
        roles=[(Role.AGENCY_LEAD, police), (Role.AGENCY_CONTRIBUTOR, police)],
    )
    with tenancy.partnership_scope(alpha):
        share = services.create_indicator(
            alpha,
            code="PO2",
            title="Arrests charged",
            unit="percent",
            decimals=1,
            polarity="high",
            owner=police,
            target=(80.0, 80.0),
            numerator_definition="Arrests that led to a charge",
            denominator_definition="Arrests",
        )
        collection = services.open_round(alpha, period="2025-26 Q3", due=date(2026, 1, 30))
    return {"lead": lead, "indicator": share, "round": collection}


def test_a_return_is_entered_checked_signed_off_and_scored(
    page: Page, live_server: Any, journey: dict, police: Any, console_errors: list[str]
) -> None:
    collection = journey["round"]
    return_url = f"{live_server.url}/p/alpha/performance/returns/{collection.pk}/{police.pk}/"

    sign_in_page(page, live_server, "bob", f.PASSWORD)
    page.get_by_role("link", name="Data returns").click()
    expect(page.get_by_role("heading", name="Data returns")).to_be_visible()
    page.goto(return_url)
    expect(page.get_by_role("heading", name="Alpha Police")).to_be_visible()
    row = page.get_by_role("group", name="PO2 Arrests charged: 2025-26 Q3")
    check = page.get_by_test_id("check-PO2")

    # Checked as it is typed: a value that disagrees with its numerator and denominator.
    row.get_by_label("Numerator").fill("87")
    row.get_by_label("Denominator").fill("443")
    row.get_by_label("Value (percentage)").fill("20.1")
    expect(check).to_contain_text("Value 20.1 disagrees with 87 / 443 = 19.6")
    row.get_by_label("Value (percentage)").fill("")
    expect(check).to_contain_text("Will be saved as 19.6%")

    page.get_by_role("button", name="Save and send for sign-off").click()
    expect(page.get_by_text("ready for sign-off").first).to_be_visible()
    expect(page.get_by_test_id("return-status")).to_contain_text("Ready for sign-off")
    page.get_by_role("button", name="Sign out").click()

    sign_in_page(page, live_server, "lena", f.PASSWORD)
    page.goto(return_url)
    page.get_by_label("I confirm that these figures are accurate and complete").check()
    page.get_by_role("button", name="Sign off the return").click()
    expect(page.get_by_test_id("return-status")).to_contain_text("Signed off")

    page.goto(f"{live_server.url}/p/alpha/performance/dataset/?period=2025-26+Q3")
    scored = page.get_by_test_id("row-PO2")
    expect(scored.get_by_test_id("value")).to_have_text("19.6%")
    # The rating is shown as a letter with its word for screen readers, not colour alone.
    expect(scored.get_by_test_id("rag")).to_contain_text("R")
    expect(scored.get_by_test_id("rag")).to_contain_text("Red")
    assert console_errors == []
