"""The annual report's notifications: sent for review (reviewers), a comment (the writers),
a comment answered (its author)."""

from __future__ import annotations

from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.partnership.models import Notification, Role
from safeboard.reports import services

from .. import factories as f

pytestmark = pytest.mark.django_db


def _events(user: Any) -> list[str]:
    with tenancy.unscoped():
        return [n.event for n in Notification.objects.filter(user=user).order_by("pk")]


def test_review_comments_and_answers_are_notified(alpha: Any, alice: Any, report: Any) -> None:
    chair = f.user("chris", p=alpha, roles=[(Role.CHAIR, None)])
    member = f.user("mo", p=alpha, roles=[(Role.BOARD_MEMBER, None)])
    with tenancy.partnership_scope(alpha):
        services.submit_for_review(report)
        assert _events(chair) == ["report.in_review"] and _events(member) == ["report.in_review"]
        found = services.comment(report, author=member, text="Add the budget")
        assert _events(alice) == ["report.comment"]
        services.resolve_comment(found, by=alice, reply="Added")
    assert _events(member) == ["report.in_review", "report.comment_answered"]
    with tenancy.unscoped():
        answered = Notification.objects.get(event="report.comment_answered")
    assert answered.url.endswith(f"#comment-{found.pk}")
