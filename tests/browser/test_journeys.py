from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from safeboard.core import tenancy
from safeboard.partnership import services
from safeboard.partnership.models import Attendance, GroupKind, Paper

from .. import factories as f
from .conftest import sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_contributor_signs_in_and_out(
    page: Page, live_server: Any, bob: Any, console_errors: list[str]
) -> None:
    sign_in_page(page, live_server, "bob", f.PASSWORD)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    expect(page.get_by_text("Alpha Safeguarding Children Partnership").first).to_be_visible()
    expect(page.get_by_role("link", name="Audit")).to_have_count(0)  # not for contributors
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Safeboard")).to_be_visible()
    assert console_errors == []


def test_a_wrong_password_is_explained(page: Page, live_server: Any, bob: Any) -> None:
    sign_in_page(page, live_server, "bob", "not-it")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value("bob")


def test_two_factor_sign_in(
    page: Page, live_server: Any, alice: Any, console_errors: list[str]
) -> None:
    device = f.totp_device(alice)
    sign_in_page(page, live_server, "alice", f.PASSWORD)
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Audit")).to_be_visible()
    assert console_errors == []


def test_setting_up_two_factor_on_first_sign_in(page: Page, live_server: Any, alice: Any) -> None:
    sign_in_page(page, live_server, "alice", f.PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    device = alice.totpdevice_set.get()
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Two-factor sign-in is set up.")).to_be_visible()


def test_five_wrong_passwords_lock_the_account(page: Page, live_server: Any, bob: Any) -> None:
    for _ in range(5):
        sign_in_page(page, live_server, "bob", "guess")
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()
    expect(page.get_by_text("5 wrong passwords")).to_be_visible()
    sign_in_page(page, live_server, "bob", f.PASSWORD)
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()


def test_a_contributor_cannot_reach_another_agencys_papers(
    page: Page, live_server: Any, alpha: Any, bob: Any, health: Any, police: Any
) -> None:
    # Every record is made before the browser starts: the live server shares the test's
    # in-memory database connection, so the test writes nothing while a page may be loading.
    beta = f.partnership("beta", la_number=350)
    meeting = f.meeting(f.group(alpha), date(2025, 3, 19))
    with tenancy.partnership_scope(alpha):
        papers = {}
        for title, agency in (
            ("Police self-assessment", police),
            ("Health self-assessment", health),
        ):
            paper = Paper(
                partnership=alpha, meeting=meeting, title=title, sensitivity="agency", agency=agency
            )
            paper.file.save(f"{agency.short_name}.txt", ContentFile(b"draft"), save=False)
            papers[title] = services.save(paper, alpha)
    sign_in_page(page, live_server, "bob", f.PASSWORD)
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/p/alpha/meetings/{meeting.pk}/")
    expect(page.get_by_role("link", name="Police self-assessment")).to_be_visible()
    expect(page.get_by_text("Health self-assessment")).to_have_count(0)
    response = page.goto(f"{live_server.url}/p/alpha/papers/{papers['Health self-assessment'].pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/p/{beta.slug}/")
    assert response is not None and response.status == 404


def test_an_administrator_records_attendance(
    page: Page,
    live_server: Any,
    alpha: Any,
    alice: Any,
    police: Any,
    health: Any,
    console_errors: list[str],
) -> None:
    board = f.group(alpha, "Alpha Board", GroupKind.BOARD)
    with tenancy.partnership_scope(alpha):
        for name, agency in (("Pat Police", police), ("Hana Health", health)):
            services.add_member(board, person=f.person(alpha, name, agency))
    meeting = f.meeting(board, date.today() - timedelta(days=7))
    device = f.totp_device(alice)
    sign_in_page(page, live_server, "alice", f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name=meeting.date.strftime("%-d %b %Y")).click()
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_role("group", name="Pat Police, Alpha Police").get_by_label("Present").check()
    hana = page.get_by_role("group", name="Hana Health, Alpha Hospitals Trust")
    hana.get_by_label("Deputy sent").check()
    hana.get_by_label("Name of the deputy, if one came for Hana Health").fill("Dr Stand-in")
    page.get_by_role("button", name="Save attendance").click()

    expect(page.get_by_text(f"Attendance has been recorded for {meeting}")).to_be_visible()
    table = page.locator("#attendance ~ table").first
    expect(table).to_contain_text("Deputy sent: Dr Stand-in")
    with tenancy.partnership_scope(alpha):
        assert Attendance.objects.filter(meeting=meeting).count() == 2
    page.get_by_role("link", name="Attendance", exact=True).click()
    fy = meeting.date.year if meeting.date.month >= 4 else meeting.date.year - 1
    page.get_by_label("Financial year").select_option(str(fy))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("overall-rate")).to_have_text("100%")
    assert console_errors == []


def test_a_papers_upload_error_links_to_its_field(
    page: Page, live_server: Any, alpha: Any, alice: Any, console_errors: list[str]
) -> None:
    """A paper sent without its file: the meeting's page again, the title kept, the problem in
    the red error summary; its link takes the reader to the file field."""
    board = f.group(alpha, "Alpha Board", GroupKind.BOARD)
    meeting = f.meeting(board, date.today() - timedelta(days=7))
    device = f.totp_device(alice)
    sign_in_page(page, live_server, "alice", f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()

    page.goto(f"{live_server.url}/p/alpha/meetings/{meeting.pk}/")
    page.get_by_label("Title").fill("Minutes of the last meeting")
    page.get_by_role("button", name="Upload paper").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Minutes of the last meeting")
    summary.get_by_role("link").first.click()
    expect(page.locator("input[type=file]")).to_be_focused()
    # The file given, the paper is added.
    page.locator("input[type=file]").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 minutes"}
    )
    page.get_by_role("button", name="Upload paper").click()
    expect(page.get_by_text("‘Minutes of the last meeting’ has been added")).to_be_visible()
    expect(page.get_by_role("link", name="Minutes of the last meeting")).to_be_visible()
    # The page with the form's errors is answered 400, which the browser logs; nothing else.
    assert [e for e in console_errors if "status of 400" not in e] == []
