"""A status filter applies across all dates unless a date filter is given: `?status=complete`
lists the complete actions without `when=all`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.planning import services
from safeboard.planning.models import Action

from .test_api import bearer, call

pytestmark = pytest.mark.django_db


def test_a_status_filter_needs_no_date_filter(
    client: Client, alice: Any, police_action: Action, health_action: Action
) -> None:
    with tenancy.partnership_scope(police_action.partnership):
        services.record_completion(police_action, by=None, evidence_text="Done", confirm=True)
    auth = bearer(alice)

    def ids(query: str) -> list[int]:
        return [a["id"] for a in call(client, "get", f"/actions?{query}", auth).json()]

    assert ids("status=complete") == [police_action.pk]
    assert ids("status=complete&when=open") == []
    assert ids("") == [health_action.pk]  # no filter: the open actions
