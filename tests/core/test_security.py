from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .. import factories as f
from ..conftest import sign_in


@pytest.mark.django_db
def test_security_headers_on_every_page(client: Client) -> None:
    response = client.get("/accounts/sign-in/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()  # no inline scripts anywhere


@pytest.mark.django_db
def test_cookies_are_http_only_and_secure_over_https(
    settings: Any, client: Client, bob: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    page = client.get("/accounts/sign-in/")
    response = client.post("/accounts/sign-in/", {"username": "bob", "password": f.PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["secure"]


@pytest.mark.django_db
def test_sessions_expire_when_idle_and_when_the_browser_closes(
    settings: Any, client: Client, bob: Any
) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_SAVE_EVERY_REQUEST
    sign_in(client, bob)
    session = client.session
    session.set_expiry(-1)  # as if idle for longer than the limit
    session.save()
    assert client.get("/p/alpha/").status_code == 302


@pytest.mark.django_db
def test_forms_need_the_csrf_token(bob: Any, alice: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post("/accounts/sign-in/", {"username": "bob", "password": f.PASSWORD}).status_code
        == 403
    )
    sign_in(client, alice)
    response = client.post(
        "/p/alpha/agencies/new/",
        {"name": "X", "short_name": "X", "sector": "police", "status": "other"},
    )
    assert response.status_code == 403


def test_passwords_are_hashed_with_argon2_by_default() -> None:
    from django.conf import settings

    # The test settings swap in a fast hasher; the real setting leads with Argon2.
    from safeboard import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_PASSWORD_VALIDATORS
