"""Rounds and targets in daily use. A return is never stranded: opening a round warns of
agencies with no lead to sign their returns off, and the business unit signs off in the lead's
place, recorded as such. A return nobody has touched says "Not started"; a new round is not
offered a period that has one; a percentage's target is between 0% and 100%."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.performance import services
from safeboard.performance.models import AgencyReturn, ReturnStatus

from .conftest import indicator, open_round, rows


@pytest.fixture
def police_return(alpha: Any, police: Any) -> AgencyReturn:
    indicator(alpha, "P1", owner=police, polarity="none")
    collection = open_round(alpha, "2025-26 Q2")
    with tenancy.partnership_scope(alpha):
        return collection.returns.get(agency=police)


def _fill(agency_return: AgencyReturn) -> None:
    with tenancy.partnership_scope(agency_return.partnership):
        services.enter_return_values(
            agency_return, rows({"indicator": "P1", "period": "2025-26 Q2", "value": "7"})
        )


@pytest.mark.django_db
def test_opening_a_round_warns_of_agencies_with_no_lead(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    indicator(alpha, "P1", owner=police, polarity="none")
    response = as_alice.post(
        "/p/alpha/performance/returns/new/",
        {"period": "2025-26 Q2", "due": "2099-01-01"},
        follow=True,
    )
    html = response.content.decode()
    assert "POL has no agency safeguarding lead to sign off its return" in html
    assert 'data-testid="leaderless"' in html


@pytest.mark.django_db
def test_no_warning_when_the_agency_has_a_lead(
    as_alice: Client, alpha: Any, police: Any, lead: Any
) -> None:
    indicator(alpha, "P1", owner=police, polarity="none")
    response = as_alice.post(
        "/p/alpha/performance/returns/new/",
        {"period": "2025-26 Q2", "due": "2099-01-01"},
        follow=True,
    )
    assert "no agency safeguarding lead" not in response.content.decode()


@pytest.mark.django_db
def test_the_business_unit_signs_off_in_place_of_a_missing_lead(
    as_alice: Client, alpha: Any, police: Any, police_return: AgencyReturn
) -> None:
    _fill(police_return)
    url = f"/p/alpha/performance/returns/{police_return.round_id}/{police.pk}/"
    page = as_alice.get(url).content.decode()
    assert 'data-testid="sign-in-place"' in page
    response = as_alice.post(url + "sign-off/", {"confirm": "yes"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        police_return.refresh_from_db()
    assert police_return.status == ReturnStatus.SIGNED_OFF
    assert police_return.signed_off_by_business_unit
    assert "in place of the agency lead" in as_alice.get(url).content.decode()


@pytest.mark.django_db
def test_the_business_unit_does_not_sign_off_for_an_agency_with_a_lead(
    as_alice: Client, alpha: Any, police: Any, lead: Any, police_return: AgencyReturn
) -> None:
    _fill(police_return)
    url = f"/p/alpha/performance/returns/{police_return.round_id}/{police.pk}/"
    assert as_alice.post(url + "sign-off/", {"confirm": "yes"}).status_code == 403
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="has an agency"):
        services.sign_off_return(police_return, by_business_unit=True)


@pytest.mark.django_db
def test_a_lead_signs_off_as_before(
    client: Client, alpha: Any, police: Any, lead: Any, police_return: AgencyReturn
) -> None:
    from ..conftest import sign_in

    _fill(police_return)
    sign_in(client, lead)
    url = f"/p/alpha/performance/returns/{police_return.round_id}/{police.pk}/"
    assert 'data-testid="sign-in-place"' not in client.get(url).content.decode()
    client.post(url + "sign-off/", {"confirm": "yes"})
    with tenancy.partnership_scope(alpha):
        police_return.refresh_from_db()
    assert police_return.status == ReturnStatus.SIGNED_OFF
    assert not police_return.signed_off_by_business_unit


@pytest.mark.django_db
def test_a_return_nobody_has_touched_says_not_started(
    as_alice: Client, alpha: Any, police: Any, police_return: AgencyReturn
) -> None:
    url = f"/p/alpha/performance/returns/{police_return.round_id}/"
    html = as_alice.get(url).content.decode()
    assert "Not started" in html and "In progress" not in html
    _fill(police_return)
    html = as_alice.get(url).content.decode()
    assert "In progress" in html and "Not started" not in html


@pytest.mark.django_db
def test_a_new_round_is_not_offered_a_period_that_has_one(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    from safeboard.core.periods import last_complete_quarter
    from safeboard.performance.forms import RoundForm

    indicator(alpha, "P1", owner=police, polarity="none")
    last = last_complete_quarter()
    open_round(alpha, last.label)
    page = as_alice.get("/p/alpha/performance/returns/new/").content.decode()
    assert f'value="{last.label}"' not in page
    assert f'value="{last.next().label}"' in page
    suggested = RoundForm.suggestion(None, {last.label})
    assert suggested["due"] > last.next().end


@pytest.mark.django_db
def test_a_percentage_target_above_100_is_refused(alpha: Any) -> None:
    rate = indicator(alpha, "R1", unit="percent")
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="between 0% and 100%"):
            services.set_target(rate, from_year=None, target=(120.0, 120.0))
        services.set_target(rate, from_year=None, target=(90.0, 100.0))
    count = indicator(alpha, "C1")
    with tenancy.partnership_scope(alpha):
        services.set_target(count, from_year=None, target=(120.0, 120.0))
