"""The plan's figures as they stood on a date: what happened after the date (a completion in
April, a due date moved in May) does not change a year's overdue count, its RAG counts or the
action table of that year's report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.planning import selectors, services
from safeboard.planning.models import Plan, Progress

from .test_indicators import _action, _complete

pytestmark = pytest.mark.django_db

YEAR_END = date(2024, 3, 31)


@pytest.fixture
def old_plan(alpha: Any) -> Plan:
    with tenancy.partnership_scope(alpha):
        return services.create_plan(partnership=alpha, first_year=2022, last_year=2024)


def _overdue(plan: Plan, day: date) -> list[str]:
    with tenancy.partnership_scope(plan.partnership):
        return [a.reference for a in selectors.plan_indicators(plan, day).overdue]


def test_an_action_completed_after_the_year_end_was_overdue_at_it(
    alpha: Any, old_plan: Plan, police: Any
) -> None:
    late = _action(alpha, old_plan, police, "1", date(2024, 1, 31))
    _action(alpha, old_plan, police, "2", date(2024, 2, 28))
    done = _action(alpha, old_plan, police, "3", date(2024, 2, 28))
    _complete(alpha, done, date(2024, 2, 1))
    before = _overdue(old_plan, YEAR_END)
    assert before == ["1", "2"]
    # In April: 1 is completed, 2 reported complete (awaiting confirmation).
    _complete(alpha, late, date(2024, 4, 20))
    with tenancy.partnership_scope(alpha):
        late.refresh_from_db()
        assert late.was_overdue(YEAR_END) and not late.was_overdue(date(2024, 4, 21))
    assert _overdue(old_plan, YEAR_END) == before
    assert _overdue(old_plan, date(2024, 5, 1)) == ["2"]


def test_a_due_date_moved_after_the_year_end_does_not_change_it(
    alpha: Any, old_plan: Plan, police: Any
) -> None:
    action = _action(alpha, old_plan, police, "1", date(2024, 1, 31))
    moved_early = _action(alpha, old_plan, police, "2", date(2024, 1, 31))
    with tenancy.partnership_scope(alpha):
        # Moved in December (before its date, within the year): not overdue at the year end.
        services.record_update(
            moved_early,
            by=None,
            status="amber",
            text="Later",
            on=date(2023, 12, 1),
            new_due=date(2024, 6, 30),
            due_reason="Waiting for the audit",
        )
        # Moved in May, after the year: it was overdue at the year end.
        services.record_update(
            action,
            by=None,
            status="amber",
            text="Later",
            on=date(2024, 5, 1),
            new_due=date(2024, 9, 30),
            due_reason="New lead",
        )
        action.refresh_from_db()
        assert action.due_on(YEAR_END) == date(2024, 1, 31)
        assert action.due_on(date(2024, 5, 2)) == date(2024, 9, 30)
    assert _overdue(old_plan, YEAR_END) == ["1"]


def test_the_rag_counts_are_the_statuses_at_the_date(
    alpha: Any, old_plan: Plan, police: Any
) -> None:
    action = _action(alpha, old_plan, police, "1", date(2024, 6, 30))
    with tenancy.partnership_scope(alpha):
        services.record_update(action, by=None, status="red", text="Stuck", on=date(2024, 2, 1))
        services.record_update(action, by=None, status="green", text="Moving", on=date(2024, 4, 5))
        action.refresh_from_db()
        assert action.status_on(YEAR_END) == Progress.RED
        counts = selectors.plan_indicators(old_plan, YEAR_END).rag_totals
    assert counts["red"] == 1 and counts["green"] == 0
    _complete(alpha, action, date(2024, 4, 20))
    with tenancy.partnership_scope(alpha):
        counts = selectors.plan_indicators(old_plan, YEAR_END).rag_totals
    assert counts["red"] == 1 and counts["complete"] == 0


def test_a_status_set_without_an_update_is_its_status(
    alpha: Any, old_plan: Plan, police: Any
) -> None:
    action = _action(alpha, old_plan, police, "1", date(2024, 6, 30))
    with tenancy.partnership_scope(alpha):
        type(action).objects.filter(pk=action.pk).update(status=Progress.GREEN)
        action.refresh_from_db()
        assert action.status_on(YEAR_END) == Progress.GREEN
        assert selectors.plan_indicators(old_plan, YEAR_END).rag_totals["green"] == 1


def test_the_plan_page_says_it_shows_today_and_the_report_the_years_end(
    as_bob: Any, alpha: Any, old_plan: Plan
) -> None:
    page = as_bob.get(f"/p/alpha/planning/plans/{old_plan.pk}/").content.decode()
    explained = page.split('data-testid="as-at"')[1].split("</div>")[0]
    assert "as it stands today" in explained
    assert "annual report" in explained and "end of its year" in explained
    assert "completed after that date" in explained
