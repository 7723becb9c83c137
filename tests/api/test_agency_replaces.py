"""An agency's predecessors (`replaces`) through the API, as through the page: set when it is
created or changed, read back, and only agencies of the same partnership."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import Agency

from .test_partnership_api import _bearer, _post

URL = "/api/v1/partnerships/alpha/agencies"


@pytest.mark.django_db
def test_an_agency_replaces_its_predecessors(
    client: Client, alice: Any, beta: Any, police: Any, health: Any
) -> None:
    auth = _bearer(alice)
    response = _post(
        client,
        URL,
        {
            "name": "Alpha ICB",
            "short_name": "ICB",
            "sector": "health_commissioner",
            "valid_from": "2022-07-01",
            "replaces": [health.pk],
        },
        auth,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["replaces"] == [health.pk]
    response = _post(
        client, f"{URL}/{created['id']}", {"replaces": [health.pk, police.pk]}, auth, "patch"
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["replaces"]) == sorted([health.pk, police.pk])
    with tenancy.partnership_scope(police.partnership):
        assert sorted(a.pk for a in Agency.objects.get(short_name="ICB").replaces.all()) == sorted(
            [health.pk, police.pk]
        )
    # Another partnership's agency is not a predecessor.
    with tenancy.unscoped():
        other = Agency.objects.create(
            partnership=beta, name="Beta Police", short_name="BPOL", sector="police"
        )
    response = _post(client, f"{URL}/{created['id']}", {"replaces": [other.pk]}, auth, "patch")
    assert response.status_code == 400
