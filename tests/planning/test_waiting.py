"""Planning's part of "waiting for you": completions to confirm (the chair of the overseeing
group), challenges to answer (the challenged agency's lead), overdue actions; each count links
to the tracker or log filtered to exactly what it counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.planning import services

from ..waiting import waiting_item, waiting_items
from .conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


def _complete(action: Any) -> None:
    with tenancy.partnership_scope(action.partnership):
        services.record_completion(action, by=None, evidence_text="Done", author_name="PC Smith")


def test_the_chair_sees_the_completions_waiting_for_her_confirmation(
    as_dora: Client, police_action: Any, health_action: Any, alpha: Any, police: Any
) -> None:
    _complete(police_action)
    # Not overseen by a group she chairs: not hers to confirm.
    other = make_action(alpha, police, text="Not the board's")
    _complete(other)
    # One completion: the label agrees with the count.
    item = waiting_item(as_dora, "completion of an action to confirm")
    assert item.count == 1
    assert "who=confirm" in item.href and "when=awaiting" in item.href
    page = as_dora.get(item.href).content.decode()
    assert "1.1" in page and "Not the board" not in page
    with tenancy.partnership_scope(alpha):
        services.confirm_completion(police_action, by=None)
    assert all(not i.label.startswith("completion") for i in waiting_items(as_dora))


def test_a_member_who_confirms_nothing_is_not_told_of_completions(
    as_vera: Client, police_action: Any
) -> None:
    _complete(police_action)
    assert all(not i.label.startswith("completion") for i in waiting_items(as_vera))


def test_the_agency_lead_sees_the_challenges_to_answer(
    as_hana: Client, alpha: Any, health: Any, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        for agency, subject in ((health, "Late data"), (police, "Police matter")):
            services.raise_challenge(
                partnership=alpha,
                agency=agency,
                subject=subject,
                detail="Why?",
                raised_on=TODAY - timedelta(days=30),
                response_due=TODAY - timedelta(days=2),
            )
    item = waiting_item(as_hana, "challenge to answer")
    assert item.count == 1
    page = as_hana.get(item.href).content.decode()
    assert "Late data" in page and "Police matter" not in page


def test_overdue_actions_link_to_the_filtered_tracker(
    as_alice: Client, alpha: Any, alice: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        from safeboard.partnership.models import Person

        me = Person.objects.get(user=alice)
    make_action(alpha, me, text="Late thing", due=TODAY - timedelta(days=3))
    make_action(alpha, me, text="Future thing", due=TODAY + timedelta(days=30))
    item = waiting_item(as_alice, "your action overdue")
    assert item.count == 1
    page = as_alice.get(item.href).content.decode()
    assert "Late thing" in page and "Future thing" not in page


def test_the_risk_panel_counts_link_to_the_risks_they_count(as_alice: Client, alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        services.create_risk(
            partnership=alpha, title="Very high one", likelihood=5, impact=5, target_score=4
        )
        services.create_risk(
            partnership=alpha, title="Low one", likelihood=1, impact=1, target_score=1
        )
    home = as_alice.get("/p/alpha/").content.decode()
    assert "?band=very_high" in home and "?show=above_target" in home
    for query in ("band=very_high", "show=above_target"):
        page = as_alice.get(f"/p/alpha/planning/risks/?{query}").content.decode()
        table = page[page.index('data-testid="risks"') :]
        assert "Very high one" in table and "Low one" not in table, query


def test_the_plan_panel_counts_link_to_the_filtered_tracker(
    as_alice: Client, alpha: Any, plan: Any, theme: Any, police: Any
) -> None:
    from safeboard.planning.models import Action

    late = make_action(alpha, police, plan=plan, theme=theme, ref="1.1", text="Late one")
    make_action(alpha, police, plan=plan, theme=theme, ref="1.2", text="Fresh one")
    with tenancy.partnership_scope(alpha):
        long_ago = TODAY - timedelta(days=200)
        Action.objects.filter(pk=late.pk).update(due=long_ago, last_update_on=long_ago)
    home = as_alice.get("/p/alpha/").content.decode()
    assert f"?plan={plan.pk}&amp;when=overdue" in home
    assert f"?plan={plan.pk}&amp;when=stale" in home
    for when in ("overdue", "stale"):
        page = as_alice.get(f"/p/alpha/planning/actions/?plan={plan.pk}&when={when}").content
        assert b"Late one" in page and b"Fresh one" not in page, when


def test_the_chairs_home_lists_the_actions_waiting_for_her_confirmation(
    as_dora: Client, police_action: Any, health_action: Any
) -> None:
    home = as_dora.get("/p/alpha/").content.decode()
    assert 'data-testid="to-confirm"' not in home
    _complete(police_action)
    home = as_dora.get("/p/alpha/").content.decode()
    listed = home[home.index('data-testid="to-confirm"') :]
    listed = listed[: listed.index("</ul>")]
    assert police_action.get_absolute_url() in listed
    assert health_action.get_absolute_url() not in listed
