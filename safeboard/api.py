"""Safeboard's API, version 1: `/api/v1/`, described at `/api/v1/openapi.json`.

Each installed module's `api.py` `router` is found here (`core.modules`). Every endpoint
authenticates (token or session) and enters the partnership in its path; the endpoint then
checks the same permissions as the web view. A token writes only within its scopes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from safeboard.core import modules
from safeboard.core.errors import ServiceError
from safeboard.partnership.api_auth import SessionAuth, TokenAuth, signed_in_docs

api = NinjaAPI(
    title="Safeboard API",
    version="1",
    description=(
        "The API of Safeboard, for scripts and agency systems. Authenticate with a personal "
        "token (`Authorization: Bearer …`) or, from the browser, the signed-in session. "
        "Records of a partnership you are not a member of answer 404."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=signed_in_docs,
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A record that breaks a model rule: say which field and why."""
    if hasattr(exc, "error_dict"):
        problems = [
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        problems = list(exc.messages)
    return api.create_response(request, {"detail": "; ".join(problems)}, status=400)


@api.exception_handler(OverflowError)
def number_too_large(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number in the request larger than the database can hold (an id or a filter)."""
    return api.create_response(
        request, {"detail": "A number in the request is too large"}, status=400
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: a token or a signed-in session"}, status=401
    )


for module in modules.installed():
    found = module.submodule("api")
    if found is not None:
        api.add_router("/", found.router, auth=[TokenAuth(scope=module.label), SessionAuth()])
