"""Wrong passwords lock the account for the address they came from, not for everyone: a
stranger cannot keep a named account locked. An address that fails many times, whatever the
usernames, is locked for longer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import Client

from .. import factories as f

ATTACKER, OFFICE = "203.0.113.66", "198.51.100.7"


def _try(client: Client, username: str, password: str, address: str, **headers: Any) -> int:
    response = client.post(
        "/accounts/sign-in/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )
    return response.status_code


def _time_passes(delta: timedelta) -> None:
    """As if `delta` had passed since every wrong password so far."""
    for model in (AccessAttempt, AccessFailureLog):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - delta)


@pytest.mark.django_db
def test_someone_elses_wrong_passwords_do_not_lock_the_account_elsewhere(bob: Any) -> None:
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT + 3):
        _try(Client(), "bob", "wrong", ATTACKER)
    # From the attacker's address, bob's account is locked, even with the right password.
    assert _try(Client(), "bob", f.PASSWORD, ATTACKER) == 429
    # Bob, at his office, signs in.
    assert _try(Client(), "bob", f.PASSWORD, OFFICE) == 302
    # The lock from the attacker's address ends after the cool-off.
    _time_passes(settings.SIGN_IN_COOLOFF + timedelta(minutes=1))
    assert _try(Client(), "bob", f.PASSWORD, ATTACKER) == 302


@pytest.mark.django_db
def test_an_address_that_fails_many_times_is_locked_for_longer(bob: Any, alice: Any) -> None:
    limit = settings.ADDRESS_FAILURE_LIMIT
    assert limit > settings.SIGN_IN_FAILURE_LIMIT
    assert settings.ADDRESS_COOLOFF > settings.SIGN_IN_COOLOFF
    # Fewer than the limit per username, many in all: a password spray.
    for n in range(limit):
        assert _try(Client(), f"user{n}", "wrong", ATTACKER) == 200
    # Now every sign-in from that address is refused, whatever the username...
    response = Client().post(
        "/accounts/sign-in/", {"username": "bob", "password": f.PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429
    assert "too many wrong passwords from your network" in response.content.decode()
    # ...but not from anywhere else.
    assert _try(Client(), "bob", f.PASSWORD, OFFICE) == 302
    # Longer than an account's lock...
    _time_passes(settings.SIGN_IN_COOLOFF + timedelta(minutes=1))
    assert _try(Client(), "alice", f.PASSWORD, ATTACKER) == 429
    # ...until the address's cool-off has passed.
    _time_passes(settings.ADDRESS_COOLOFF)
    assert _try(Client(), "bob", f.PASSWORD, ATTACKER) == 302


@pytest.mark.django_db
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(settings: Any, bob: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    proxy = "127.0.0.1"
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        # The attacker sends a forged X-Forwarded-For; the proxy appends the real address.
        _try(Client(), "bob", "wrong", proxy, HTTP_X_FORWARDED_FOR=f"{OFFICE}, {ATTACKER}")
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    assert _try(Client(), "bob", f.PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER) == 429
    assert _try(Client(), "bob", f.PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE) == 302
    # Something that is not an address is not believed: the connection's address counts.
    _try(Client(), "alice", "wrong", proxy, HTTP_X_FORWARDED_FOR="not-an-address")
    assert AccessAttempt.objects.get(username="alice").ip_address == proxy


@pytest.mark.django_db
def test_attempts_refused_by_a_lock_do_not_lock_the_whole_address(bob: Any, alice: Any) -> None:
    # Someone at the office keeps trying a locked account: the office is not locked out.
    for _ in range(settings.ADDRESS_FAILURE_LIMIT + 5):
        _try(Client(), "bob", "wrong", OFFICE)
    assert _try(Client(), "bob", f.PASSWORD, OFFICE) == 429
    assert _try(Client(), "alice", f.PASSWORD, OFFICE) == 302
