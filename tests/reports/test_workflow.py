from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from docx import Document as WordDocument

from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import Area, Role
from safeboard.reports import render, services
from safeboard.reports.models import Report, ReportStatus

from .. import factories as f
from ..conftest import sign_in
from .conftest import write


@pytest.fixture
def chair(alpha: Any) -> Any:
    return f.user("chris", p=alpha, roles=[(Role.CHAIR, None)])


@pytest.fixture
def member(alpha: Any) -> Any:
    return f.user("mo", p=alpha, roles=[(Role.BOARD_MEMBER, None)])


def _status(report: Report) -> str:
    with tenancy.partnership_scope(report.partnership):
        report.refresh_from_db()
    return report.status


@pytest.mark.django_db
def test_alice_creates_a_report_from_the_template(
    as_alice: Client, alpha: Any, year_data: Any
) -> None:
    response = as_alice.post("/p/alpha/reports/new/", {"year": "2016", "as_at": "2017-06-30"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        report = Report.objects.get()
        keys = list(report.sections.values_list("key", flat=True))
    assert report.title == "Alpha Safeguarding Children Partnership: annual report 2016-17"
    assert {
        "summary",
        "foreword",
        "local.picture",
        "governance.attendance",
        "priorities",
        "glossary",
    } <= set(keys)
    page = as_alice.get(response.url).content.decode()
    assert "Foreword" in page and "Generated from the records" in page
    again = as_alice.post("/p/alpha/reports/new/", {"year": "2016"}, follow=True)
    assert "There is already a report for 2016-17" in again.content.decode()


@pytest.mark.django_db
def test_sections_can_be_reordered_hidden_and_added(as_alice: Client, report: Any) -> None:
    glossary = report.sections.model._base_manager.get(report=report, key="glossary")
    base = f"/p/alpha/reports/{report.pk}"
    as_alice.post(f"{base}/sections/{glossary.pk}/move/", {"direction": "up"})
    as_alice.post(f"{base}/sections/{glossary.pk}/toggle/")
    as_alice.post(f"{base}/sections/new/", {"title": "Young people’s voice"})
    with tenancy.partnership_scope(report.partnership):
        order = list(report.sections.order_by("position").values_list("key", "hidden"))
    keys = [k for k, _ in order]
    assert keys.index("glossary") + 1 == keys.index("priorities")
    assert dict(order)["glossary"] is True
    assert keys[-1].startswith("custom.")
    with tenancy.partnership_scope(report.partnership):
        built = [s.key for s in services.document(report).sections]
    assert "glossary" not in built and built[-1].startswith("custom.")


@pytest.mark.django_db
def test_narrative_is_written_with_a_live_preview(as_alice: Client, report: Any) -> None:
    foreword = report.sections.model._base_manager.get(report=report, key="foreword")
    url = f"/p/alpha/reports/{report.pk}/sections/{foreword.pk}/"
    page = as_alice.get(url).content.decode()
    assert "[[attendance.overall_rate]]" in page  # the list of figures to embed
    preview = as_alice.post(
        url + "preview/",
        {"title": "Foreword", "text": "Attendance was [[attendance.overall_rate]]. TBC"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "67%" in preview and "‘TBC’ is a placeholder" in preview and "<html" not in preview
    response = as_alice.post(
        url, {"title": "Chair’s foreword", "text": "Attendance was [[attendance.overall_rate]]."}
    )
    assert response.status_code == 302
    foreword.refresh_from_db()
    assert foreword.title == "Chair’s foreword"


@pytest.mark.django_db
def test_review_approval_and_publication(
    client: Client, report: Any, alice: Any, chair: Any, member: Any
) -> None:
    base = f"/p/alpha/reports/{report.pk}"
    sign_in(client, alice)
    client.post(f"{base}/submit/")
    assert _status(report) == ReportStatus.IN_REVIEW
    # A board member comments; the chair cannot approve while it is unresolved.
    sign_in(client, member)
    client.post(f"{base}/comments/", {"text": "Please add the budget."})
    assert client.post(f"{base}/approve/").status_code == 403
    sign_in(client, chair)
    page = client.post(f"{base}/approve/", follow=True).content.decode()
    assert "Resolve the reviewers’ comments before approving" in page
    sign_in(client, alice)
    comment = report.comments.model._base_manager.get()
    client.post(f"{base}/comments/{comment.pk}/resolve/", {"reply": "Budget added."})
    # A placeholder blocks approval, with the problem listed.
    write(report, "foreword", "Figures TBC.")
    sign_in(client, chair)
    page = client.post(f"{base}/approve/", follow=True).content.decode()
    assert "cannot be approved: 1 problem" in page
    checks_page = client.get(f"{base}/checks/").content.decode()
    assert "‘TBC’ is a placeholder" in checks_page
    write(report, "foreword", "Attendance was [[attendance.overall_rate]].")
    client.post(f"{base}/approve/")
    assert _status(report) == ReportStatus.APPROVED
    assert client.post(f"{base}/publish/").status_code == 403  # the chair approves, not publishes
    sign_in(client, alice)
    client.post(f"{base}/publish/")
    assert _status(report) == ReportStatus.PUBLISHED
    version = report.versions.model._base_manager.get()
    assert version.number == 1
    frozen = client.get(f"{base}/versions/1/").content.decode()
    assert "Figures TBC" not in frozen and "67%" in frozen


@pytest.mark.django_db
def test_a_published_version_never_changes_and_a_correction_is_a_new_version(
    client: Client, report: Any, alice: Any, chair: Any
) -> None:
    base = f"/p/alpha/reports/{report.pk}"
    with tenancy.partnership_scope(report.partnership):
        services.submit_for_review(report)
        services.approve(report, by=chair)
        services.publish(report, by=alice)
        area = Area.objects.get()
        partnership_services.set_population(area, 2016, 95000)  # a late correction
    sign_in(client, alice)
    assert "92,800" in client.get(f"{base}/versions/1/").content.decode()
    assert "95,000" in client.get(f"{base}/preview/").content.decode()
    client.post(f"{base}/correct/")
    with tenancy.partnership_scope(report.partnership):
        report.refresh_from_db()
        assert (report.version, report.status) == (2, ReportStatus.DRAFT)
        services.submit_for_review(report)
        services.approve(report, by=chair)
    page = client.post(f"{base}/publish/", {"note": ""}, follow=True).content.decode()
    assert "Say what changed from the previous version" in page
    client.post(f"{base}/publish/", {"note": "Child population corrected to the ONS revision."})
    with tenancy.partnership_scope(report.partnership):
        notes = list(report.versions.values_list("number", "note"))
    assert notes == [(2, "Child population corrected to the ONS revision."), (1, "First edition.")]
    assert "92,800" in client.get(f"{base}/versions/1/").content.decode()
    second = client.get(f"{base}/versions/2/?edition=public").content.decode()
    assert "95,000" in second
    # The corrected edition itself says what changed, in every format.
    assert "Corrected edition" in second and "corrected to the ONS revision" in second
    assert "Corrected edition" not in client.get(f"{base}/versions/1/").content.decode()
    with tenancy.partnership_scope(report.partnership):
        doc = services.stored_document(report.versions.get(number=2), "board")
    assert "ONS revision" in render.standalone_html(doc)
    word = WordDocument(io.BytesIO(render.docx(doc)))
    assert any(p.text.startswith("Corrected edition. Child population") for p in word.paragraphs)


@pytest.mark.django_db
def test_the_command_line_builds_a_published_report_as_it_was_frozen(
    report: Any, alice: Any, chair: Any, tmp_path: Path
) -> None:
    with tenancy.partnership_scope(report.partnership):
        services.submit_for_review(report)
        services.approve(report, by=chair)
        services.publish(report, by=alice)
        partnership_services.set_population(Area.objects.get(), 2016, 95000)
    args = ["report", "build", "--partnership", "alpha", "--year", "2016-17", "--format", "html"]
    call_command(*args, "--out", str(tmp_path / "a"), stdout=io.StringIO())
    (frozen,) = (tmp_path / "a").iterdir()
    assert "92,800" in frozen.read_text() and "95,000" not in frozen.read_text()
    with pytest.raises(CommandError, match="no published version 3"):
        call_command(*args, "--version", "3", "--out", str(tmp_path / "b"))


@pytest.mark.django_db
def test_a_board_member_reads_but_cannot_write(client: Client, report: Any, alpha: Any) -> None:
    base = f"/p/alpha/reports/{report.pk}"
    viewer = f.user("vera", p=alpha, roles=[(Role.BOARD_MEMBER, None)])
    as_viewer = sign_in(client, viewer)
    assert as_viewer.get(f"{base}/").status_code == 200
    assert as_viewer.get(f"{base}/preview/?edition=public").status_code == 200
    assert as_viewer.post(f"{base}/submit/").status_code == 403
    foreword = report.sections.model._base_manager.get(report=report, key="foreword")
    assert (
        as_viewer.post(f"{base}/sections/{foreword.pk}/", {"title": "x", "text": "y"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_an_agency_contributor_does_not_read_the_report(as_bob: Client, report: Any) -> None:
    """The report carries the whole scorecard, which bob (a police contributor) may not read."""
    base = f"/p/alpha/reports/{report.pk}"
    assert as_bob.get("/p/alpha/reports/").status_code == 403
    assert as_bob.get(f"{base}/").status_code == 403
    assert as_bob.get(f"{base}/preview/?edition=board").status_code == 403
    api = f"/api/v1/partnerships/alpha/reports/{report.pk}/document"
    assert as_bob.get(api).status_code == 403
    assert as_bob.post(f"{base}/submit/").status_code == 403


@pytest.mark.django_db
def test_charlie_gets_404(as_charlie: Client, report: Any) -> None:
    assert as_charlie.get(f"/p/alpha/reports/{report.pk}/").status_code == 404
    assert as_charlie.get(f"/p/beta/reports/{report.pk}/").status_code == 404
