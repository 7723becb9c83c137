from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from safeboard.accounts.models import ApiToken, User


@pytest.mark.django_db
def test_it_creates_a_token_shown_once(as_bob: Client, bob: User) -> None:
    response = as_bob.post("/accounts/tokens/", {"name": "Quarterly upload", "days": "90"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=bob)
    assert "Copy it now" in body
    key = body.split('data-testid="new-token">')[1].split("<")[0]
    assert key.startswith("sbt_") and token.key_hash not in body
    assert ApiToken.authenticate(key) == bob
    assert "Copy it now" not in as_bob.get("/accounts/tokens/").content.decode()


@pytest.mark.django_db
def test_a_token_works_for_the_api_until_revoked(client: Client, bob: User) -> None:
    token, key = ApiToken.issue(bob, "script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/partnerships/alpha/agencies", **auth).status_code == 200
    token.revoke()
    assert client.get("/api/v1/partnerships/alpha/agencies", **auth).status_code == 401


@pytest.mark.django_db
def test_an_expired_or_forged_token_is_refused(bob: User) -> None:
    token, key = ApiToken.issue(bob, "script")
    assert ApiToken.authenticate(key + "x") is None
    assert ApiToken.authenticate("sbt_nothing_here") is None
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert ApiToken.authenticate(key) is None


@pytest.mark.django_db
def test_one_cannot_revoke_another_users_token(as_bob: Client, alice: User) -> None:
    token, _ = ApiToken.issue(alice, "alice's")
    assert as_bob.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_revoking_from_the_page(as_bob: Client, bob: User) -> None:
    token, _ = ApiToken.issue(bob, "old")
    response = as_bob.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
