"""A child population no area has is refused with a message, on the page and in the API;
never a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import Area, AreaPopulation

pytestmark = pytest.mark.django_db

HUGE = ("99999999999999999999", "3000000000", "10000001")


def _area(alpha: Any) -> Area:
    with tenancy.partnership_scope(alpha):
        return Area.objects.get()


def test_the_population_form_refuses_a_number_no_area_has(as_alice: Client, alpha: Any) -> None:
    area = _area(alpha)
    for children in HUGE:
        response = as_alice.post(
            f"/p/alpha/areas/{area.pk}/population/",
            {"year": "2016", "children": children},
            follow=True,
        )
        assert response.status_code == 200
        assert "at most 10,000,000" in response.content.decode()
    with tenancy.partnership_scope(alpha):
        assert not AreaPopulation.objects.exists()


def test_the_api_refuses_a_population_no_area_has(as_alice: Client, alpha: Any) -> None:
    area = _area(alpha)
    base = f"/api/v1/partnerships/alpha/areas/{area.pk}/populations"
    for children in HUGE:
        response = as_alice.put(
            f"{base}/2016-17", {"children": int(children)}, content_type="application/json"
        )
        assert response.status_code == 400, children
        assert "at most 10,000,000" in response.json()["detail"]
    for year in ("99999999999999999999-00", "9999-00", "0000-01"):
        response = as_alice.put(
            f"{base}/{year}", {"children": 1000}, content_type="application/json"
        )
        assert response.status_code in (400, 422), year
