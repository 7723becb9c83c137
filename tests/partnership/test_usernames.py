"""Usernames are for those who manage sign-ins: the business unit administrators of the
partnership (and each person on their own account page). Other members see names."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from safeboard.accounts.models import User
from safeboard.core import tenancy
from safeboard.partnership.models import Role
from safeboard.performance import services as performance

from .. import factories as f
from ..conftest import sign_in

pytestmark = pytest.mark.django_db

LOGIN = "zq-login-7"


@pytest.fixture
def pat(alpha: Any, police: Any) -> User:
    """Pat Quinn, a police contributor who signs in as zq-login-7 and has no name on the
    sign-in itself (as with sign-ins made on the command line)."""
    user = f.user(LOGIN, p=alpha, agency=police, roles=[(Role.AGENCY_CONTRIBUTOR, police)])
    User.objects.filter(pk=user.pk).update(email="pat.quinn@example.org")
    person = f.person_of(user, alpha)
    with tenancy.unscoped():
        type(person).objects.filter(pk=person.pk).update(
            name="Pat Quinn", email="pat.quinn@example.org"
        )
    user.refresh_from_db()
    return user


@pytest.fixture
def viewer(alpha: Any) -> User:
    return f.user("vic", p=alpha, roles=[(Role.BOARD_MEMBER, None)])


def test_only_administrators_see_a_persons_username(
    client: Client, alpha: Any, alice: Any, bob: Any, viewer: Any, pat: User
) -> None:
    page = f"/p/alpha/people/{f.person_of(pat, alpha).pk}/"
    api = f"/api/v1/partnerships/alpha/people/{f.person_of(pat, alpha).pk}"
    sign_in(client, alice)
    assert LOGIN in client.get(page).content.decode()
    for member in (bob, viewer):
        sign_in(client, member)
        body = client.get(page).content.decode()
        assert "Pat Quinn" in body and "Signs in to Safeboard" in body
        assert LOGIN not in body, member
        assert LOGIN not in client.get(api).content.decode(), member
        assert LOGIN not in client.get("/p/alpha/people/").content.decode(), member
    # Pat sees their own username on their account page.
    sign_in(client, pat)
    assert LOGIN in client.get("/accounts/").content.decode()


def test_a_sign_in_without_a_name_is_not_shown_by_its_username(
    client: Client, alpha: Any, viewer: Any, pat: User
) -> None:
    with tenancy.partnership_scope(alpha):
        indicator = performance.create_indicator(
            alpha, code="U1", title="Indicator U1", unit="count", user=pat
        )
        performance.change_definition(
            indicator,
            effective_from=date(2024, 4, 1),
            reason="New guidance",
            definition="Counted differently",
            user=pat,
        )
    sign_in(client, viewer)
    body = client.get(f"/p/alpha/performance/dataset/indicators/{indicator.pk}/").content.decode()
    assert "Recorded by" in body
    assert LOGIN not in body
    assert str(pat) != LOGIN
