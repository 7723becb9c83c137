"""Giving a role: no role is chosen for the giver, the business unit's administration and the
roles of a restricted register are given only once confirmed (the page says what they grant),
and after an error the choice is kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import RoleAssignment

from .. import factories as f


def _roles(person: Any) -> set[str]:
    with tenancy.unscoped():
        return set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))


@pytest.mark.django_db
def test_the_role_list_starts_on_no_role(as_alice: Client, alpha: Any, police: Any) -> None:
    person = f.person(alpha, "Dana", police)
    html = as_alice.get(f"/p/alpha/people/{person.pk}/").content.decode()
    assert _selected(html, "role") in ([], [""])
    assert '<option value="" selected>Choose a role</option>' in html or (
        '<option value="">Choose a role</option>' in html
    )


@pytest.mark.django_db
def test_choosing_only_an_agency_gives_no_role(as_alice: Client, alpha: Any, police: Any) -> None:
    person = f.person(alpha, "Dana", police)
    response = as_alice.post(f"/p/alpha/people/{person.pk}/roles/", {"agency": police.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Choose the role to give" in html
    assert _roles(person) == set()


@pytest.mark.django_db
def test_an_administrator_is_made_only_once_confirmed(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    person = f.person(alpha, "Dana", police)
    url = f"/p/alpha/people/{person.pk}/roles/"
    response = as_alice.post(url, {"role": "business_unit_admin"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give Dana the role Business unit administrator?" in html
    assert "manages the whole partnership" in html
    assert 'name="confirm" value="yes"' in html
    assert _roles(person) == set()
    response = as_alice.post(url, {"role": "business_unit_admin", "confirm": "yes"})
    assert response.status_code == 302
    assert _roles(person) == {"business_unit_admin"}


@pytest.mark.django_db
def test_a_register_role_says_it_opens_a_register(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    person = f.person(alpha, "Dana", police)
    url = f"/p/alpha/people/{person.pk}/roles/"
    html = as_alice.post(url, {"role": "lado"}).content.decode()
    assert "restricted" in html and "register" in html and "access log" in html
    assert _roles(person) == set()
    as_alice.post(url, {"role": "lado", "confirm": "yes"})
    assert _roles(person) == {"lado"}


@pytest.mark.django_db
def test_an_ordinary_role_needs_no_confirmation(as_alice: Client, alpha: Any, police: Any) -> None:
    person = f.person(alpha, "Dana", police)
    response = as_alice.post(f"/p/alpha/people/{person.pk}/roles/", {"role": "board_member"})
    assert response.status_code == 302
    assert _roles(person) == {"board_member"}


@pytest.mark.django_db
def test_after_an_error_the_choice_is_kept(as_alice: Client, alpha: Any, police: Any) -> None:
    person = f.person(alpha, "Dana", police)
    response = as_alice.post(f"/p/alpha/people/{person.pk}/roles/", {"role": "agency_lead"})
    html = response.content.decode()
    assert "Choose the agency this person acts for" in html
    assert _selected(html, "role") == ["agency_lead"]
