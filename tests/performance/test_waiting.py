"""Data returns in "waiting for you": the agency lead's returns to sign off, the contributor's
returns to complete; each count links to the round's returns at that stage."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.performance.models import AgencyReturn, ReturnStatus

from ..conftest import sign_in
from ..waiting import waiting_item, waiting_items
from .conftest import indicator, open_round, put

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(alpha: Any, police: Any, health: Any) -> Any:
    indicator(alpha, "P1", owner=police)
    indicator(alpha, "H1", owner=health)
    return open_round(alpha, "2025-26 Q2")


def _set(collection: Any, agency: Any, status: str) -> None:
    with tenancy.partnership_scope(collection.partnership):
        AgencyReturn.objects.filter(round=collection, agency=agency).update(status=status)


def test_the_lead_sees_the_return_to_sign_off(
    client: Client, lead: Any, collection: Any, police: Any, health: Any
) -> None:
    as_lead = sign_in(client, lead)
    assert all("sign off" not in i.label for i in waiting_items(as_lead))
    _set(collection, police, ReturnStatus.READY)
    _set(collection, health, ReturnStatus.READY)  # not hers
    item = waiting_item(as_lead, "return for 2025-26 Q2 to sign off")
    assert item.count == 1 and item.href.endswith("?status=ready")
    page = as_lead.get(item.href).content.decode()
    assert "Alpha Police" in page and "Hospitals" not in page


def test_a_contributor_sees_the_return_to_complete_not_to_sign_off(
    as_bob: Client, collection: Any, police: Any
) -> None:
    item = waiting_item(as_bob, "return for 2025-26 Q2 to complete")
    assert item.count == 1 and item.href.endswith("?status=draft")
    _set(collection, police, ReturnStatus.READY)
    assert all("2025-26" not in i.label for i in waiting_items(as_bob))


def test_the_round_page_filters_by_stage(
    as_alice: Client, collection: Any, police: Any, health: Any
) -> None:
    _set(collection, police, ReturnStatus.READY)
    page = as_alice.get(f"/p/alpha/performance/returns/{collection.pk}/?status=ready")
    text = page.content.decode()
    assert 'data-testid="agency-POL"' in text and 'data-testid="agency-HLT"' not in text


def test_the_scorecard_counts_link_to_the_lines_they_count(as_alice: Client, alpha: Any) -> None:
    red = indicator(alpha, "R1", polarity="low", target=(10.0, 10.0))
    green = indicator(alpha, "G1", polarity="low", target=(10.0, 10.0))
    put(alpha, red, "2025-26 Q2", 50)
    put(alpha, green, "2025-26 Q2", 1)
    page = as_alice.get("/p/alpha/performance/dataset/?period=2025-26+Q2").content.decode()
    assert "rag=R" in page
    only_red = as_alice.get("/p/alpha/performance/dataset/?period=2025-26+Q2&rag=R")
    only_red = only_red.content.decode()
    assert 'data-testid="row-R1"' in only_red and 'data-testid="row-G1"' not in only_red
    assert "rated red" in only_red
