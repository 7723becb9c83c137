"""Browser journeys through the two restricted registers of the LADO and the private
fostering service: each officer signs in with two factors, records a case, and sees it in
the register (and, for the LADO, in the year's tables; for private fostering, the first visit
recorded and the next one scheduled)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from safeboard.allegations.models import Allegation
from safeboard.core import tenancy
from safeboard.partnership.models import Role
from safeboard.private_fostering.models import Arrangement

from .. import factories as f
from .conftest import sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page: Page, live_server: Any, user: Any) -> None:
    device = f.totp_device(user)
    sign_in_page(page, live_server, user.username, f.PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()


def test_the_lado_records_an_allegation_and_sees_it_counted(
    page: Page, live_server: Any, alpha: Any, console_errors: list[str]
) -> None:
    lara = f.user("lara", p=alpha, roles=[(Role.LADO, None)])
    today = timezone.localdate()
    _sign_in(page, live_server, lara)
    page.get_by_role("link", name="Allegations (LADO)").click()
    page.get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_label("Reference").fill("LADO-1")
    page.get_by_label("Kind").select_option("allegation")
    page.get_by_label("Date received by the LADO").fill(today.isoformat())
    page.get_by_label("Referring agency").select_option(label="Education")
    page.get_by_label("Adult's name").fill("Sam Teacher")
    page.get_by_label("Employer type").select_option(label="School staff")
    page.get_by_label("Category of harm").select_option(label="Physical")
    page.get_by_label("Behaved in a way that has harmed a child").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved LADO-1.")).to_be_visible()
    expect(page.get_by_test_id("clocks")).to_contain_text(
        "Allegation concluded within three months"
    )
    page.get_by_role("link", name="Allegations and consultations").click()
    expect(page.get_by_test_id("allegations")).to_contain_text("LADO-1")
    page.get_by_role("link", name="Tables").click()
    page.get_by_label("Financial year").select_option(label=_fy_label(today))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("allegations-total")).to_have_text("1")
    with tenancy.partnership_scope(alpha):
        assert Allegation.objects.get(reference="LADO-1").harmed_child
    assert console_errors == []


def _fy_label(day: Any) -> str:
    from safeboard.core.periods import current_financial_year

    return current_financial_year(day).label


def test_the_officer_records_a_notification_and_a_visit(
    page: Page, live_server: Any, alpha: Any, console_errors: list[str]
) -> None:
    pia = f.user("pia", p=alpha, roles=[(Role.PRIVATE_FOSTERING_OFFICER, None)])
    today = timezone.localdate()
    _sign_in(page, live_server, pia)
    page.get_by_role("link", name="Private fostering", exact=True).click()
    page.get_by_role("link", name="Arrangements").click()
    page.get_by_role("link", name="Record a notification").click()
    page.get_by_label("Reference").fill("PF-1")
    page.get_by_label("Date notified").fill(today.isoformat())
    page.get_by_label("Who notified").select_option(label="School or college")
    page.get_by_label("Arrangement began").fill(today.isoformat())
    page.get_by_label("Child's age at the start").fill("11")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved PF-1.")).to_be_visible()
    expect(page.get_by_test_id("visits")).to_contain_text("First visit")
    page.get_by_label("Date of the visit").fill(today.isoformat())
    page.get_by_label("The child was seen alone").check()
    page.get_by_role("button", name="Record the visit").click()
    expect(page.get_by_text("Recorded the visit; the next one is scheduled.")).to_be_visible()
    expect(page.get_by_test_id("visits")).to_contain_text("Visit 2")
    expect(page.get_by_test_id("visits")).to_contain_text("On time")
    with tenancy.partnership_scope(alpha):
        a = Arrangement.objects.get(reference="PF-1")
        assert a.visits.get(number=1).seen_alone
    assert console_errors == []


def test_the_lado_imports_contacts_and_terms_from_files(
    page: Page, live_server: Any, alpha: Any, console_errors: list[str], tmp_path: Any
) -> None:
    lara = f.user("lara", p=alpha, roles=[(Role.LADO, None)])
    terms = tmp_path / "terms.csv"
    terms.write_text("list,term\ncategory,Online\n")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "reference,kind,received,known,referrer,employer,category,restraint,outcomes,concluded\n"
        "IMP-1,allegation,2016-04-04,2016-04-01,Police,School staff,Online,no,Sacked,\n"
    )
    _sign_in(page, live_server, lara)
    page.get_by_role("link", name="Allegations (LADO)").click()
    page.get_by_role("link", name="Lists of terms").click()
    page.get_by_label("CSV or Excel file").set_input_files(str(terms))
    page.get_by_role("button", name="Add from the file").click()
    expect(page.get_by_text("Added 1 terms; 0 were already there.")).to_be_visible()
    expect(page.get_by_test_id("terms-category")).to_contain_text("Online")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("CSV or Excel file").set_input_files(str(contacts))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-problems")).to_contain_text(
        "Row 2: ‘Sacked’ is not in the partnership's list of outcomes (outcome)"
    )
    contacts.write_text(contacts.read_text().replace("Sacked", "Unfounded"))
    page.get_by_label("CSV or Excel file").set_input_files(str(contacts))
    page.get_by_label("Check the file only (write nothing)").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-checked")).to_contain_text(
        "Would import 1 rows: 1 new, 0 changed."
    )
    page.get_by_label("CSV or Excel file").set_input_files(str(contacts))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 1 rows: 1 new, 0 changed.")).to_be_visible()
    expect(page.get_by_test_id("allegations")).to_contain_text("IMP-1")
    assert console_errors == []


def test_the_officer_imports_and_updates_arrangements(
    page: Page, live_server: Any, alpha: Any, console_errors: list[str], tmp_path: Any
) -> None:
    pia = f.user("pia", p=alpha, roles=[(Role.PRIVATE_FOSTERING_OFFICER, None)])
    data = tmp_path / "pf.csv"
    data.write_text(
        "reference,notified,source,start,child_age,ended,end_reason,visits\n"
        "IMP-PF,2016-05-02,school,2016-05-01,12,,,2016-05-06 alone\n"
    )
    _sign_in(page, live_server, pia)
    page.get_by_role("link", name="Private fostering", exact=True).click()
    page.get_by_role("link", name="Arrangements").click()
    page.get_by_role("link", name="Import").click()
    page.get_by_label("CSV or Excel file").set_input_files(str(data))
    page.get_by_role("button", name="Import").click()
    expect(
        page.get_by_text("Imported 1 arrangements: 1 new, 0 changed, with 1 visits.")
    ).to_be_visible()
    page.get_by_role("link", name="Import").click()
    data.write_text(data.read_text().replace("alone\n", "alone;2016-06-10\n"))
    page.get_by_label("CSV or Excel file").set_input_files(str(data))
    page.get_by_label("Check the file only (write nothing)").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("import-checked")).to_contain_text(
        "Would import 1 arrangements: 0 new, 1 changed (already in the register), with 1 visits."
    )
    assert console_errors == []
