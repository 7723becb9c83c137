from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp

from safeboard.accounts.models import User

from .. import factories as f
from ..conftest import sign_in


def _code(device: Any) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.mark.django_db
def test_it_signs_in_a_contributor_with_a_password(client: Client, bob: User) -> None:
    response = client.post("/accounts/sign-in/", {"username": "bob", "password": f.PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").url == "/p/alpha/"


@pytest.mark.django_db
def test_it_rejects_a_wrong_password_with_a_clear_message(client: Client, bob: User) -> None:
    response = client.post("/accounts/sign-in/", {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert client.get("/p/alpha/").status_code == 302


@pytest.mark.django_db
def test_it_only_follows_local_next_urls(client: Client, bob: User) -> None:
    response = client.post(
        "/accounts/sign-in/?next=https://evil.example/", {"username": "bob", "password": f.PASSWORD}
    )
    assert response.url == "/"


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account(client: Client, bob: User) -> None:
    for _ in range(4):
        response = client.post("/accounts/sign-in/", {"username": "bob", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/sign-in/", {"username": "bob", "password": "wrong"})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/accounts/sign-in/", {"username": "bob", "password": f.PASSWORD})
    assert response.status_code == 429
    assert client.get("/p/alpha/").status_code == 302


@pytest.mark.django_db
def test_an_administrator_must_set_up_two_factor(client: Client, alice: User) -> None:
    response = client.post("/accounts/sign-in/", {"username": "alice", "password": f.PASSWORD})
    assert response.url == "/accounts/two-factor/"
    # Until then every page sends them back to the setup.
    response = client.get("/p/alpha/")
    assert response.status_code == 302 and response.url == "/accounts/two-factor/"
    # Tokens could bypass two factors: they are out of reach too.
    assert client.get("/accounts/tokens/").url == "/accounts/two-factor/"
    page = client.get("/accounts/two-factor/")
    assert "Set up two-factor sign-in" in page.content.decode()
    device = alice.totpdevice_set.get(confirmed=False)
    response = client.post("/accounts/two-factor/", {"token": "000000"})
    assert "The code is not right" in response.content.decode()
    # A wrong code slows down further attempts (1 s, then doubling): none is accepted meanwhile.
    response = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert "Too many wrong codes" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/p/alpha/").status_code == 200


@pytest.mark.django_db
def test_a_user_with_a_device_enters_a_code_before_being_signed_in(
    client: Client, alice: User
) -> None:
    device = f.totp_device(alice)
    response = client.post("/accounts/sign-in/", {"username": "alice", "password": f.PASSWORD})
    assert response.url.startswith("/accounts/sign-in/code/")
    # Not signed in yet.
    assert client.get("/p/alpha/").url.startswith("/accounts/sign-in/")
    response = client.post("/accounts/sign-in/code/", {"token": "12345"})
    assert "Enter the 6-digit code" in response.content.decode()
    response = client.post("/accounts/sign-in/code/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/p/alpha/").status_code == 200


@pytest.mark.django_db
def test_demo_mode_waives_two_factor_for_demo_accounts_only(
    client: Client, alice: User, settings: Any
) -> None:
    settings.DEMO = True
    response = client.post("/accounts/sign-in/", {"username": "alice", "password": f.PASSWORD})
    assert response.url == "/accounts/two-factor/"  # alice is not a demo account
    client.post("/accounts/sign-out/")
    alice.is_demo = True
    alice.save()
    response = client.post("/accounts/sign-in/", {"username": "alice", "password": f.PASSWORD})
    assert response.url == "/"
    settings.DEMO = False
    assert client.get("/p/alpha/").url == "/accounts/two-factor/"


@pytest.mark.django_db
def test_sign_out_needs_a_post(client: Client, bob: User) -> None:
    sign_in(client, bob)
    assert client.get("/accounts/sign-out/").status_code == 405
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/p/alpha/").status_code == 302


@pytest.mark.django_db
def test_it_changes_a_password(client: Client, bob: User) -> None:
    sign_in(client, bob)
    response = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": f.PASSWORD,
            "new_password1": "a-much-longer-secret",
            "new_password2": "a-much-longer-secret",
        },
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("a-much-longer-secret")
    assert client.get("/p/alpha/").status_code == 200  # still signed in


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings: Any, db: Any) -> None:
    from django.contrib.auth.hashers import get_hasher

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user("dora", password="some-long-password")
    assert user.password.startswith("argon2")
    assert get_hasher().algorithm == "argon2"


@pytest.mark.django_db
def test_admin_is_for_verified_superusers_only(client: Client, alice: User) -> None:
    assert client.get("/admin/login/").url.startswith("/accounts/sign-in/")
    sign_in(client, alice)
    assert client.get("/admin/").url.startswith("/admin/login/")
    assert client.get("/admin/login/").status_code == 403
    root = User.objects.create_superuser("root", "root@example.org", f.PASSWORD)
    client.force_login(root)
    assert client.get("/admin/").url == "/accounts/two-factor/"
    sign_in(client, root)
    assert client.get("/admin/").status_code == 200
