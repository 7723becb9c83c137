"""The plan's own indicators, computed from its actions: completion within timescale (the
published indicator), overdue actions, actions with no update in the last quarter, and the
RAG counts by theme."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.planning import selectors, services
from safeboard.planning.models import Action, Plan

from .conftest import make_action

pytestmark = pytest.mark.django_db

AS_AT = date(2024, 1, 15)  # in 2023-24, the second year of the 2022-25 plan


@pytest.fixture
def old_plan(alpha: Any) -> Plan:
    with tenancy.partnership_scope(alpha):
        return services.create_plan(partnership=alpha, first_year=2022, last_year=2024)


def _action(alpha: Any, plan: Plan, owner: Any, ref: str, due: date, **kwargs: Any) -> Action:
    action = make_action(alpha, owner, plan=plan, ref=ref, due=due, **kwargs)
    # Created at the start of the plan, so "no update since" counts from then.
    with tenancy.partnership_scope(alpha):
        Action.objects.filter(pk=action.pk).update(
            created_at=timezone.make_aware(datetime.combine(date(2022, 4, 1), time(9)))
        )
        action.refresh_from_db()
    return action


def _complete(alpha: Any, action: Action, on: date, *, confirm: bool = True) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_completion(
            action, by=None, evidence_text="Done", completed_on=on, confirm=confirm
        )


def test_completion_within_timescale_counts_against_the_original_due_date(
    alpha: Any, old_plan: Plan, police: Any
) -> None:
    in_time = _action(alpha, old_plan, police, "1", date(2023, 6, 30))
    _complete(alpha, in_time, date(2023, 6, 30))  # on the day counts as in time
    late = _action(alpha, old_plan, police, "2", date(2023, 7, 31))
    _complete(alpha, late, date(2023, 8, 1))
    moved = _action(alpha, old_plan, police, "3", date(2023, 9, 30))
    with tenancy.partnership_scope(alpha):
        services.record_update(
            moved,
            by=None,
            status="amber",
            text="Later",
            on=date(2023, 9, 1),
            new_due=date(2023, 12, 31),
            due_reason="Staff shortage",
        )
    _complete(alpha, moved, date(2023, 12, 1))  # by the new date, after the original one
    overdue = _action(alpha, old_plan, police, "4", date(2023, 10, 31))
    awaiting = _action(alpha, old_plan, police, "5", date(2023, 11, 30))
    _complete(alpha, awaiting, date(2023, 11, 1), confirm=False)  # not yet confirmed
    not_yet_due = _action(alpha, old_plan, police, "6", date(2024, 3, 31))
    early = _action(alpha, old_plan, police, "7", date(2024, 3, 31))
    _complete(alpha, early, date(2024, 1, 2))  # done early: counts before its due date
    _action(alpha, old_plan, police, "8", date(2022, 10, 31))  # last year: not this year's
    with tenancy.partnership_scope(alpha):
        ongoing = make_action(
            alpha, police, plan=old_plan, ref="9", ongoing=True, review_date=date(2023, 5, 1)
        )
        actions = list(Action.objects.filter(plan=old_plan))
    result = selectors.completion_in_time(actions, FinancialYear(2023), AS_AT)
    assert (result.due, result.in_time, result.late, result.not_completed) == (6, 2, 2, 2)
    assert sorted(result.in_time_ids) == sorted([in_time.pk, early.pk])
    assert result.percent == pytest.approx(100 * 2 / 6)
    assert not_yet_due.pk not in result.in_time_ids and overdue.pk not in result.in_time_ids
    assert ongoing.ongoing


def test_no_action_due_gives_no_percentage(alpha: Any, old_plan: Plan, police: Any) -> None:
    _action(alpha, old_plan, police, "1", date(2024, 3, 31))
    with tenancy.partnership_scope(alpha):
        result = selectors.completion_in_time(
            Action.objects.filter(plan=old_plan), FinancialYear(2023), AS_AT
        )
    assert result.due == 0 and result.percent is None


def test_a_carried_forward_action_counts_as_not_completed(
    alpha: Any, old_plan: Plan, police: Any
) -> None:
    action = _action(alpha, old_plan, police, "1", date(2024, 2, 28))
    with tenancy.partnership_scope(alpha):
        new = services.create_plan(partnership=alpha, first_year=2025, last_year=2027)
        services.close_plan(old_plan, next_plan=new, by=None)
        indicators = selectors.plan_indicators(old_plan, date(2024, 6, 1))
        successor = Action.objects.get(carried_from=action)
        new_indicators = selectors.plan_indicators(new, date(2025, 6, 1))
    assert indicators.years[1].due == 1 and indicators.years[1].not_completed == 1
    # Its successor keeps the original date, outside the new plan's years: not counted twice.
    assert successor.original_due == date(2024, 2, 28)
    assert new_indicators.whole.due == 0


def test_plan_indicators(alpha: Any, old_plan: Plan, police: Any, health: Any, board: Any) -> None:
    with tenancy.partnership_scope(alpha):
        exploitation = services.add_theme(plan=old_plan, title="Exploitation", lead_group=board)
        neglect = services.add_theme(plan=old_plan, title="Neglect")
    red = _action(alpha, old_plan, police, "1.1", date(2023, 12, 31), theme=exploitation)
    fresh = _action(alpha, old_plan, police, "1.2", date(2024, 2, 28), theme=exploitation)
    done = _action(alpha, old_plan, health, "2.1", date(2023, 5, 31), theme=neglect)
    with tenancy.partnership_scope(alpha):
        services.record_update(red, by=None, status="red", text="Stuck", on=date(2023, 9, 1))
        services.record_update(fresh, by=None, status="green", text="Fine", on=date(2024, 1, 2))
    _complete(alpha, done, date(2023, 5, 1))
    review = make_action(
        alpha,
        health,
        plan=old_plan,
        ref="2.2",
        theme=neglect,
        ongoing=True,
        review_date=date(2023, 12, 1),
    )
    with tenancy.partnership_scope(alpha):
        indicators = selectors.plan_indicators(old_plan, AS_AT)
    assert [a.reference for a in indicators.overdue] == ["1.1"]
    assert [a.reference for a in indicators.reviews_overdue] == ["2.2"]
    # 1.1 was last updated in September, more than three months before 15 January; 2.2 was
    # created today, so it is not stale.
    assert [a.reference for a in indicators.stale] == ["1.1"]
    assert review.ongoing
    rows = {row.theme.title: row.counts for row in indicators.rag}
    assert rows["Exploitation"] == {
        "not_started": 0,
        "red": 1,
        "amber": 0,
        "green": 1,
        "complete": 0,
    }
    assert rows["Neglect"] == {"not_started": 1, "red": 0, "amber": 0, "green": 0, "complete": 1}
    assert indicators.rag_totals["complete"] == 1 and indicators.rag_total == 4
    assert indicators.current_year is not None and indicators.current_year.period.label == "2023-24"
    assert [y.period.label for y in indicators.years] == ["2022-23", "2023-24", "2024-25"]
    assert indicators.whole.period.label == "2022-25"


def test_after_the_plan_ends_the_indicator_is_its_last_year(
    alpha: Any, old_plan: Plan, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        indicators = selectors.plan_indicators(old_plan, date(2026, 1, 1))
    assert indicators.current_year is not None
    assert indicators.current_year.period.label == "2024-25"


def test_natural_order_of_references() -> None:
    refs = ["7.2a", "1.10", "1.2", "7.2", "10.1", "2", "1.1"]
    assert sorted(refs, key=selectors.natural_key) == [
        "1.1",
        "1.2",
        "1.10",
        "2",
        "7.2",
        "7.2a",
        "10.1",
    ]
