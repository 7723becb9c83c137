from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import Agency, Area, Person, Role, RoleAssignment

from .. import factories as f


@pytest.mark.django_db
def test_alice_adds_an_agency(as_alice: Client, alpha: Any) -> None:
    response = as_alice.post(
        "/p/alpha/agencies/new/",
        {
            "name": "Alpha Community Trust",
            "short_name": "ACT",
            "sector": "health_provider",
            "status": "relevant_agency",
        },
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        agency = Agency.objects.get(short_name="ACT")
    assert agency.partnership == alpha
    assert response.url == f"/p/alpha/agencies/{agency.pk}/"


@pytest.mark.django_db
def test_it_refuses_a_short_name_already_used(as_alice: Client, police: Any) -> None:
    response = as_alice.post(
        "/p/alpha/agencies/new/",
        {
            "name": "Another police",
            "short_name": "pol",
            "sector": "police",
            "status": "relevant_agency",
        },
    )
    assert response.status_code == 200
    assert "Another agency already has the short name" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_an_agency_that_ends_before_it_starts(as_alice: Client) -> None:
    response = as_alice.post(
        "/p/alpha/agencies/new/",
        {
            "name": "Backwards",
            "short_name": "BK",
            "sector": "police",
            "status": "other",
            "valid_from": "2020-01-01",
            "valid_to": "2019-01-01",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_bob_cannot_add_an_agency(as_bob: Client) -> None:
    assert as_bob.get("/p/alpha/agencies/new/").status_code == 403
    assert (
        as_bob.post(
            "/p/alpha/agencies/new/", {"name": "X", "short_name": "X", "sector": "police"}
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_charlie_gets_404_for_alphas_agency(as_charlie: Client, police: Any) -> None:
    assert as_charlie.get(f"/p/alpha/agencies/{police.pk}/").status_code == 404
    # Not even through his own partnership's address.
    assert as_charlie.get(f"/p/beta/agencies/{police.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_agency_list_hides_former_agencies_by_default(as_bob: Client, alpha: Any) -> None:
    from datetime import date

    f.agency(alpha, "OLD", "Old commissioning group", valid_to=date(2020, 6, 30))
    body = as_bob.get("/p/alpha/agencies/").content.decode()
    assert "Alpha Police" in body and "Old commissioning group" not in body
    assert "Old commissioning group" in as_bob.get("/p/alpha/agencies/?show=all").content.decode()


@pytest.mark.django_db
def test_alice_gives_and_removes_roles(as_alice: Client, alpha: Any, police: Any) -> None:
    person = f.person(alpha, "Dana", police)
    response = as_alice.post(f"/p/alpha/people/{person.pk}/roles/", {"role": "agency_lead"})
    assert response.status_code == 200
    with tenancy.partnership_scope(alpha):
        assert not RoleAssignment.objects.filter(person=person).exists()
    assert "Choose the agency this person acts for" in response.content.decode()
    as_alice.post(
        f"/p/alpha/people/{person.pk}/roles/", {"role": "agency_lead", "agency": police.pk}
    )
    with tenancy.partnership_scope(alpha):
        assignment = RoleAssignment.objects.get(person=person)
        assert (assignment.role, assignment.agency) == (Role.AGENCY_LEAD, police)
    as_alice.post(f"/p/alpha/people/{person.pk}/roles/{assignment.pk}/remove/")
    with tenancy.partnership_scope(alpha):
        assert not RoleAssignment.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_a_new_role_takes_effect_at_once(client: Client, bob: Any, alpha: Any) -> None:
    from ..conftest import sign_in

    sign_in(client, bob)
    assert client.get("/p/alpha/agencies/new/").status_code == 403
    with tenancy.partnership_scope(alpha):
        from safeboard.partnership import services

        services.assign_role(Person.objects.get(user=bob), Role.BUSINESS_UNIT_ADMIN)
    # Administrators need two factors: bob is sent to set them up.
    assert client.get("/p/alpha/agencies/new/").url == "/accounts/two-factor/"


@pytest.mark.django_db
def test_the_people_search_answers_htmx_with_the_table_only(
    as_bob: Client, alpha: Any, police: Any
) -> None:
    f.person(alpha, "Zoe Quinn", police)
    f.person(alpha, "Yusuf Ali")
    response = as_bob.get("/p/alpha/people/?q=zoe", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Zoe Quinn" in body and "Yusuf Ali" not in body
    assert "<html" not in body
    assert "<html" in as_bob.get("/p/alpha/people/?q=zoe").content.decode()


@pytest.mark.django_db
def test_alice_records_child_population(as_alice: Client, alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        area = Area.objects.get()
    response = as_alice.post(
        f"/p/alpha/areas/{area.pk}/population/",
        {"year": "2016", "children": "92800", "source": "ONS mid-2016"},
    )
    assert response.status_code == 302
    page = as_alice.get("/p/alpha/areas/").content.decode()
    assert "2016-17" in page and "92,800" in page
    assert area.la_number == 909
