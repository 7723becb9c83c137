"""Planning fixtures, on top of tests/conftest.py (alice, bob, charlie): the Alpha board and
its chair dora, a read-only board member vera, the health trust's safeguarding lead hana, a
three-year plan with two themes, and builders for actions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import GroupKind, MemberRole, Partnership, Role
from safeboard.planning import services
from safeboard.planning.models import Action, Plan, Theme

from .. import factories as f
from ..conftest import sign_in

TODAY = timezone.localdate()


@pytest.fixture
def board(alpha: Partnership) -> Any:
    return f.group(alpha, "Alpha Board", GroupKind.BOARD)


@pytest.fixture
def subgroup(alpha: Partnership, board: Any) -> Any:
    return f.group(alpha, "Quality Subgroup", GroupKind.SUBGROUP, parent=board)


@pytest.fixture
def dora(alpha: Partnership, board: Any) -> Any:
    """The board's chair: an independent chair with no agency."""
    user = f.user("dora", p=alpha, roles=[(Role.CHAIR, None), (Role.BOARD_MEMBER, None)])
    with tenancy.unscoped():
        partnership_services.add_member(
            board, person=f.person_of(user, alpha), role=MemberRole.CHAIR
        )
    return user


@pytest.fixture
def vera(alpha: Partnership) -> Any:
    """A read-only board member."""
    return f.user("vera", p=alpha, roles=[(Role.BOARD_MEMBER, None)])


@pytest.fixture
def hana(alpha: Partnership, health: Any) -> Any:
    """The health trust's safeguarding lead."""
    return f.user("hana", p=alpha, agency=health, roles=[(Role.AGENCY_LEAD, health)])


@pytest.fixture
def as_dora(client: Client, dora: Any) -> Client:
    return sign_in(client, dora)


@pytest.fixture
def as_vera(client: Client, vera: Any) -> Client:
    return sign_in(client, vera)


@pytest.fixture
def as_hana(client: Client, hana: Any) -> Client:
    return sign_in(client, hana)


def fy_start(day: date = TODAY) -> int:
    return day.year if day.month >= 4 else day.year - 1


@pytest.fixture
def plan(alpha: Partnership) -> Plan:
    """A three-year plan whose middle year is the current financial year."""
    with tenancy.partnership_scope(alpha):
        return services.create_plan(
            partnership=alpha,
            first_year=fy_start() - 1,
            last_year=fy_start() + 1,
            title="Keeping children safe",
        )


@pytest.fixture
def theme(plan: Plan, board: Any) -> Theme:
    with tenancy.partnership_scope(plan.partnership):
        return services.add_theme(plan=plan, title="Exploitation", lead_group=board)


def make_action(
    p: Partnership,
    owner: Any,
    *,
    plan: Plan | None = None,
    theme: Theme | None = None,
    ref: str = "",
    due: date | None = None,
    text: str = "Do the thing",
    **kwargs: Any,
) -> Action:
    """An action built by the service, inside the partnership's scope."""
    with tenancy.partnership_scope(p):
        if plan is None and "source" not in kwargs:
            kwargs["source"] = "inspection"
        return services.create_action(
            partnership=p,
            plan=plan,
            theme=theme,
            reference=ref,
            text=text,
            owner=owner,
            due=due if due is not None or kwargs.get("ongoing") else TODAY + timedelta(days=30),
            **kwargs,
        )


@pytest.fixture
def police_action(alpha: Partnership, plan: Plan, theme: Theme, police: Any) -> Action:
    """Plan action 1.1, owned by the police, overseen by the board (the theme's lead)."""
    return make_action(alpha, police, plan=plan, theme=theme, ref="1.1")


@pytest.fixture
def health_action(alpha: Partnership, plan: Plan, theme: Theme, health: Any) -> Action:
    return make_action(alpha, health, plan=plan, theme=theme, ref="1.2")
