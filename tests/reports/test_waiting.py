"""The annual report in "waiting for you" (sections to review, the chair's approval, the
comments the writers answer), and resolving a comment, which needs a reply."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.partnership.models import Role
from safeboard.reports import services
from safeboard.reports.models import ReviewComment

from .. import factories as f
from ..conftest import sign_in
from ..waiting import waiting_item, waiting_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(alpha: Any) -> Any:
    return f.user("chris", p=alpha, roles=[(Role.CHAIR, None)])


@pytest.fixture
def in_review(report: Any) -> Any:
    with tenancy.partnership_scope(report.partnership):
        services.submit_for_review(report)
    return report


def test_a_report_in_review_waits_for_reviewers_and_the_chair(
    client: Client, chair: Any, report: Any
) -> None:
    as_chair = sign_in(client, chair)
    assert all(report.title not in i.label for i in waiting_items(as_chair))
    with tenancy.partnership_scope(report.partnership):
        services.submit_for_review(report)
        shown = report.sections.filter(hidden=False).count()
    sections = waiting_item(as_chair, "sections of")
    assert sections.count == shown and sections.href.endswith("#sections")
    approve = waiting_item(as_chair, f"{report.title.lower()} to approve")
    assert approve.count == 1
    assert as_chair.get(approve.href).status_code == 200


def test_unanswered_comments_wait_for_the_writers(
    as_alice: Client, alice: Any, in_review: Any
) -> None:
    with tenancy.partnership_scope(in_review.partnership):
        first = services.comment(in_review, author=alice, text="Say more about neglect")
        services.comment(in_review, author=alice, text="Typo in the foreword")
    item = waiting_item(as_alice, "review comments on")
    assert item.count == 2 and "comments=open" in item.href
    response = as_alice.post(
        f"/p/alpha/reports/{in_review.pk}/comments/{first.pk}/resolve/", {"reply": "Added"}
    )
    assert response.status_code == 302
    item = waiting_item(as_alice, "review comment on")
    assert item.count == 1 and item.label.startswith("review comment on ")
    page = as_alice.get(item.href).content.decode()
    assert "Typo in the foreword" in page and "Say more about neglect" not in page


def test_a_comment_is_not_resolved_without_a_reply(
    as_alice: Client, alice: Any, in_review: Any
) -> None:
    with tenancy.partnership_scope(in_review.partnership):
        found = services.comment(in_review, author=alice, text="Say more")
        with pytest.raises(ServiceError, match="Say what was done"):
            services.resolve_comment(found, by=alice, reply="  ")
    response = as_alice.post(f"/p/alpha/reports/{in_review.pk}/comments/{found.pk}/resolve/")
    assert response.status_code == 302
    with tenancy.partnership_scope(in_review.partnership):
        found.refresh_from_db()
        assert found.resolved_at is None
    page = as_alice.get(response["Location"]).content.decode()
    assert "Say what was done" in page
    as_alice.post(
        f"/p/alpha/reports/{in_review.pk}/comments/{found.pk}/resolve/",
        {"reply": "Rewritten the section"},
    )
    with tenancy.partnership_scope(in_review.partnership):
        found = ReviewComment.objects.get(pk=found.pk)
    assert found.resolved_at is not None and found.reply == "Rewritten the section"
    page = as_alice.get(f"/p/alpha/reports/{in_review.pk}/").content.decode()
    assert "Rewritten the section" in page


def test_each_reviewer_marks_sections_reviewed_and_a_change_asks_again(
    client: Client, chair: Any, in_review: Any
) -> None:
    as_chair = sign_in(client, chair)
    with tenancy.partnership_scope(in_review.partnership):
        shown = in_review.sections.filter(hidden=False).count()
        foreword = in_review.sections.get(key="foreword")
    assert waiting_item(as_chair, "sections of").count == shown
    base = f"/p/alpha/reports/{in_review.pk}/sections/{foreword.pk}"
    assert as_chair.post(f"{base}/reviewed/").status_code == 302
    assert waiting_item(as_chair, "sections of").count == shown - 1
    page = as_chair.get(f"/p/alpha/reports/{in_review.pk}/").content.decode()
    assert page.count('data-testid="mark-reviewed"') == shown - 1
    # The writers change the foreword: it waits for the chair again.
    with tenancy.partnership_scope(in_review.partnership):
        services.save_text(foreword, title=foreword.title, text="A new foreword")
    assert waiting_item(as_chair, "sections of").count == shown
