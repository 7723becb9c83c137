"""The business unit gives people sign-ins, sends password links and resets two factors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from safeboard.accounts.models import User
from safeboard.core import tenancy

from .. import factories as f
from ..conftest import sign_in


def _link(message: Any) -> str:
    found = re.search(r"https?://[^\s]+/accounts/set-password/[^\s]+", message.body)
    assert found, message.body
    return found.group(0).split("127.0.0.1:8000", 1)[-1]


@pytest.mark.django_db
def test_alice_gives_a_person_a_sign_in(as_alice: Client, alpha: Any, police: Any) -> None:
    person = f.person(alpha, "Dana Smith", police)
    with tenancy.unscoped():
        person.email = "dana@example.org"
        person.save()
    response = as_alice.post(
        f"/p/alpha/people/{person.pk}/sign-in/", {"username": "dana"}, follow=True
    )
    assert "Dana Smith can now sign in as dana" in response.content.decode()
    user = User.objects.get(username="dana")
    assert not user.has_usable_password()
    assert mail.outbox[-1].to == ["dana@example.org"]
    link = _link(mail.outbox[-1])
    fresh = Client()
    page = fresh.get(link)
    assert "Your username is <strong>dana</strong>" in page.content.decode()
    fresh.post(link, {"new_password1": "a-good-long-secret", "new_password2": "a-good-long-secret"})
    user.refresh_from_db()
    assert user.check_password("a-good-long-secret")
    assert fresh.get(link).status_code == 400  # the link works once
    response = fresh.post(
        "/accounts/sign-in/", {"username": "dana", "password": "a-good-long-secret"}
    )
    assert fresh.get("/p/alpha/").status_code == 200


@pytest.mark.django_db
def test_a_username_is_unique(as_alice: Client, alpha: Any, bob: Any) -> None:
    person = f.person(alpha, "Other Bob")
    with tenancy.unscoped():
        person.email = "other@example.org"
        person.save()
    page = as_alice.post(
        f"/p/alpha/people/{person.pk}/sign-in/", {"username": "BOB"}, follow=True
    ).content.decode()
    assert "The username ‘BOB’ is taken" in page


@pytest.mark.django_db
def test_a_password_link_unlocks_a_locked_account(as_alice: Client, alpha: Any, bob: Any) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/sign-in/", {"username": "bob", "password": "wrong"})
    assert (
        client.post("/accounts/sign-in/", {"username": "bob", "password": f.PASSWORD}).status_code
        == 429
    )
    as_alice.post(f"/p/alpha/people/{f.person_of(bob, alpha).pk}/password/")
    link = _link(mail.outbox[-1])
    Client().post(
        link, {"new_password1": "another-long-secret", "new_password2": "another-long-secret"}
    )
    response = Client().post(
        "/accounts/sign-in/", {"username": "bob", "password": "another-long-secret"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_resetting_two_factor_removes_the_app(as_alice: Client, alpha: Any, police: Any) -> None:
    from safeboard.partnership.models import Role

    lado = f.user("lana", p=alpha, roles=[(Role.LADO, None)])
    f.totp_device(lado)
    as_alice.post(f"/p/alpha/people/{f.person_of(lado, alpha).pk}/two-factor/")
    assert not lado.totpdevice_set.exists()
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "lana", "password": f.PASSWORD})
    assert response.url == "/accounts/two-factor/"  # sets up a new app


@pytest.mark.django_db
def test_bob_cannot_manage_sign_ins(as_bob: Client, alpha: Any, alice: Any) -> None:
    target = f.person_of(alice, alpha)
    assert as_bob.post(f"/p/alpha/people/{target.pk}/password/").status_code == 403
    assert as_bob.post(f"/p/alpha/people/{target.pk}/two-factor/").status_code == 403
    assert not mail.outbox


@pytest.mark.django_db
def test_installation_administrators_are_not_reset_from_a_partnership(
    client: Client, alpha: Any, alice: Any
) -> None:
    root = User.objects.create_superuser("root", "root@example.org", f.PASSWORD)
    person = f.person(alpha, "Root")
    with tenancy.unscoped():
        person.user = root
        person.save()
    sign_in(client, alice)
    page = client.post(f"/p/alpha/people/{person.pk}/password/", follow=True).content.decode()
    assert "managed on the command line" in page


@pytest.mark.django_db
def test_a_sign_in_used_by_two_partnerships_is_reset_on_the_command_line(
    client: Client, alpha: Any, beta: Any, alice: Any, charlie: Any
) -> None:
    """Beta's administrator cannot weaken the sign-in of someone who also works in alpha."""
    from io import StringIO

    from django.core.management import call_command

    from safeboard.partnership.models import Person, Role

    shared = f.user("sam", p=alpha, roles=[(Role.LADO, None)])
    f.totp_device(shared)
    with tenancy.partnership_scope(beta):
        in_beta = Person.objects.create(partnership=beta, name="Sam", user=shared)
    sign_in(client, charlie)
    page = client.post(f"/p/beta/people/{in_beta.pk}/two-factor/", follow=True).content.decode()
    assert "This sign-in is also used in Alpha" in page
    assert shared.totpdevice_set.exists()
    out = StringIO()
    call_command("user", "reset-two-factor", "--username", "sam", stdout=out)
    assert "Removed 1 authenticator app of sam" in out.getvalue()
    assert not shared.totpdevice_set.exists()
