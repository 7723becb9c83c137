"""Browser journey through planning: an officer of the business unit adds this year's plan,
imports its actions from a spreadsheet, records an update that moves a due date with its
reason, completes an action with evidence, and sees the plan's completion indicator change."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from safeboard.core import tenancy
from safeboard.core.periods import current_financial_year
from safeboard.planning.models import Action, DueDateChange, State

from .. import factories as f
from .conftest import sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_imports_a_plan_and_completes_an_action(
    page: Page,
    live_server: Any,
    alpha: Any,
    alice: Any,
    police: Any,
    health: Any,
    tmp_path: Path,
    console_errors: list[str],
) -> None:
    today = timezone.localdate()
    year = current_financial_year(today)
    # One action already past its due date this year (unless today is the year's first day)
    # and one due at the year's end, not yet due.
    past = today - timedelta(days=1) if today > year.start else None
    rows = ["theme,ref,action,owner,due,aim,update,status,links"]
    if past is not None:
        rows.append(f"Exploitation,1.1,Publish the problem profile,Alpha Police,{past},,,red,")
    rows.append(
        f"Exploitation,1.2,Train taxi drivers to spot exploitation,Alpha Hospitals Trust,"
        f"{year.end},Drivers report concerns,,amber,"
    )
    plan_file = tmp_path / "business-plan.csv"
    plan_file.write_text("\n".join(rows) + "\n")
    evidence = tmp_path / "training-register.txt"
    evidence.write_text("Training register: 140 drivers trained.\n")

    device = f.totp_device(alice)
    sign_in_page(page, live_server, "alice", f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Planning", exact=True).click()
    page.get_by_role("link", name="Add a business plan").click()
    page.get_by_label("Years").fill(year.label)
    page.get_by_label("Title (optional)").fill("Keeping children safe")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Business plan {year.label} has been created.")).to_be_visible()

    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.get_by_label("Plan file").set_input_files(str(plan_file))
    page.get_by_role("button", name="Import").click()
    count = len(rows) - 1
    expect(
        page.get_by_text(f"Imported {count} action{'s' if count > 1 else ''} in 1 theme")
    ).to_be_visible()
    indicator = page.get_by_test_id("completion-in-time")
    expect(indicator).to_have_text("0%" if past else "–")

    page.get_by_role("link", name="Train taxi drivers to spot exploitation").first.click()
    page.get_by_role("link", name="Record progress").click()
    page.get_by_label("Amber").check()
    page.get_by_label("Progress", exact=True).fill("The trainer is off sick; courses moved.")
    new_due = year.end + timedelta(days=30)
    page.get_by_label("New due date").fill(new_due.isoformat())
    page.get_by_label("Reason for the change").fill("The trainer is off sick until May")
    page.get_by_role("button", name="Record the update").click()
    expect(page.get_by_text("The update to action 1.2 has been recorded.")).to_be_visible()
    expect(page.get_by_test_id("original-due")).to_contain_text("Slipped 30 days")
    expect(page.get_by_test_id("due-changes")).to_contain_text("The trainer is off sick until May")

    page.get_by_role("link", name="Report completion").click()
    page.get_by_label("Evidence of completion").fill("All 140 licensed drivers trained.")
    page.get_by_label("Evidence file (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Record completion").click()
    expect(page.get_by_text("Action 1.2 is complete.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Download the evidence: training-register.txt").first
    ).to_be_visible()

    page.get_by_role("link", name=f"Business plan {year.label}").first.click()
    # Completed before its original due date: within timescale, though its date had moved.
    expect(page.get_by_test_id("completion-in-time")).to_have_text("50%" if past else "100%")

    with tenancy.partnership_scope(alpha):
        action = Action.objects.get(reference="1.2")
        assert action.state == State.COMPLETE and action.completed_in_time
        assert DueDateChange.objects.get(action=action).new == new_due
    assert console_errors == []
