"""The OpenAPI document and the docs page describe the API to its users: signed in (or with a
token), not to anonymous visitors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.accounts.models import ApiToken

from ..conftest import sign_in


@pytest.mark.django_db
def test_the_openapi_document_and_docs_are_for_signed_in_users(client: Client, bob: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Authentication required" in response.json()["detail"]
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/sign-in/?next=/api/v1/docs")
    # A script with a token may read the document.
    _, key = ApiToken.issue(bob, "tests")
    response = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["info"]["title"] == "Safeboard API"
    sign_in(client, bob)
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_ui_from_the_site(as_bob: Client) -> None:
    """The Content-Security-Policy allows scripts and styles from the site only: Swagger UI
    from a CDN would leave the page blank."""
    from django.contrib.staticfiles import finders

    html = as_bob.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower()
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), f"{asset} is not among the site's static files"
    assert "<script>" not in html  # no inline script: the CSP would block it
