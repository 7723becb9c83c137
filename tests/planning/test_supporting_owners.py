"""An action's supporting owners (beside its lead owner) are edited in the action form, as
checkboxes, and through the API, not only by the plan import (issue 10)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.planning.models import Action

from .. import factories as f
from .test_api import bearer, call

pytestmark = pytest.mark.django_db


def test_alice_names_supporting_owners_in_the_action_form(
    as_alice: Client, alpha: Any, police_action: Action, police: Any, health: Any, subgroup: Any
) -> None:
    address = f"/p/alpha/planning/actions/{police_action.pk}/edit/"
    page = as_alice.get(address).content.decode()
    # Checkboxes, one a group, an agency or a person.
    assert re.search(f'name="supporting_agencies" type="checkbox" value="{health.pk}"', page)
    assert re.search(f'name="supporting_groups" type="checkbox" value="{subgroup.pk}"', page)
    data = {
        "reference": "1.1",
        "theme": police_action.theme_id,
        "group": police_action.group_id or "",
        "text": police_action.text,
        "owner": f"agency:{police.pk}",
        "due": police_action.due.isoformat(),
        "supporting_agencies": [health.pk, police.pk],
        "supporting_groups": [subgroup.pk],
    }
    assert as_alice.post(address, data).status_code == 302
    with tenancy.partnership_scope(alpha):
        police_action.refresh_from_db()
        # The lead owner is not repeated among the supporting owners.
        assert [a.pk for a in police_action.supporting_agencies.all()] == [health.pk]
        assert [g.pk for g in police_action.supporting_groups.all()] == [subgroup.pk]
        assert "with" in police_action.owners_label
    page = as_alice.get(police_action.get_absolute_url()).content.decode()
    assert "Supporting" in page and health.name in page
    # Unticked, they are removed.
    data.pop("supporting_agencies")
    data.pop("supporting_groups")
    assert as_alice.post(address, data).status_code == 302
    with tenancy.partnership_scope(alpha):
        assert police_action.supporting == []


def test_supporting_owners_through_the_api(
    client: Client,
    alpha: Any,
    beta: Any,
    alice: Any,
    police_action: Action,
    health: Any,
    subgroup: Any,
) -> None:
    auth = bearer(alice)
    person = f.person(alpha, "Sam Support")
    answer = call(
        client,
        "patch",
        f"/actions/{police_action.pk}",
        auth,
        {
            "supporting": [
                {"kind": "agency", "id": health.pk},
                {"kind": "group", "id": subgroup.pk},
                {"kind": "person", "id": person.pk},
            ]
        },
    )
    assert answer.status_code == 200, answer.content
    got = {(o["kind"], o["name"]) for o in answer.json()["supporting"]}
    assert got == {("agency", health.name), ("group", subgroup.name), ("person", "Sam Support")}
    # A change that does not name them keeps them.
    answer = call(client, "patch", f"/actions/{police_action.pk}", auth, {"aim": "Better"})
    assert len(answer.json()["supporting"]) == 3
    # An owner of another partnership is refused.
    other = f.agency(beta, "BP", "Beta Police")
    answer = call(
        client,
        "patch",
        f"/actions/{police_action.pk}",
        auth,
        {"supporting": [{"kind": "agency", "id": other.pk}]},
    )
    assert answer.status_code == 400
    # An empty list removes them.
    answer = call(client, "patch", f"/actions/{police_action.pk}", auth, {"supporting": []})
    assert answer.json()["supporting"] == []
    # And a new action is given them.
    created = call(
        client,
        "post",
        "/actions",
        auth,
        {
            "text": "Audit neglect cases",
            "owner": {"kind": "group", "id": subgroup.pk},
            "due": "2030-03-31",
            "supporting": [{"kind": "agency", "id": health.pk}],
        },
    )
    assert created.status_code == 201, created.content
    assert [o["name"] for o in created.json()["supporting"]] == [health.name]
