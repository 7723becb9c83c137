"""Form values a planning page cannot use are refused or ignored, never a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.planning import services
from safeboard.planning.forms import resolve_owner
from safeboard.planning.models import Action, Plan, PlanStatus

pytestmark = pytest.mark.django_db

ODD = ("99999999999999999999", "²", "-1", "")


def test_an_owner_that_no_id_can_be_is_no_owner(alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        for value in ODD:
            assert resolve_owner(f"group:{value}") is None


def test_closing_a_plan_ignores_carried_actions_that_no_id_can_be(
    as_alice: Client, alpha: Any, plan: Plan, police_action: Action
) -> None:
    with tenancy.partnership_scope(alpha):
        later = services.create_plan(
            partnership=alpha, first_year=plan.last_year + 1, last_year=plan.last_year + 3
        )
    response = as_alice.post(
        f"/p/alpha/planning/plans/{plan.pk}/close/",
        {"next_plan": later.pk, "confirm": "yes", "carry": [*ODD, police_action.pk]},
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
