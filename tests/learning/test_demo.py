"""The demo's year of case reviews, as the issue asks: six serious incidents notified, four
rapid reviews leading to two local reviews (one published after an inquest closed), two
practice reviews, lessons on recurring themes, and recommendations as actions at every
stage (open, awaiting confirmation, complete, with impact evidence)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from safeboard.core import demo, tenancy
from safeboard.learning import selectors
from safeboard.learning.models import CaseReview, Kind, Outcome, ProcessKind, Recommendation


@pytest.mark.django_db
def test_the_demo_year_of_case_reviews(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ctx = demo.load()
    with tenancy.partnership_scope(ctx.partnership):
        year = CaseReview.objects.filter(notified_on__gt=ctx.today - timedelta(days=365))
        assert year.count() == 6
        rapid = year.filter(rapid_review_on__isnull=False)
        assert rapid.count() == 4
        local = rapid.filter(outcome=Outcome.LCSPR)
        assert local.count() == 2 and all(r.kind == Kind.LCSPR for r in local)
        published = [r for r in local if r.published_on]
        assert len(published) == 1
        inquest = published[0].processes.get(kind=ProcessKind.INQUEST)
        assert inquest.concluded_on is not None
        assert inquest.concluded_on <= published[0].published_on
        assert CaseReview.objects.filter(kind=Kind.PRACTICE).count() == 2
        rows, _ = selectors.theme_recurrence(published_only=False)
        assert sum(row.recurs for row in rows) >= 2
        actions = [r.action for r in Recommendation.objects.select_related("action")]
        assert all(a is not None for a in actions)
        states = {a.state for a in actions if a is not None}
        assert {"open", "awaiting_confirmation", "complete"} <= states
        assert any(a.impact for a in actions if a is not None)
        # Pseudonyms only.
        assert all(r.child.startswith("Child ") for r in CaseReview.objects.all())
