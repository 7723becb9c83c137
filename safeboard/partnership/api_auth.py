"""API authentication: personal tokens for scripts and agency systems, the session for the
browser. Both apply the same rules as signing in to the site (two-factor sign-in where the
user's roles need it), then enter the partnership named in the path, so an endpoint under
`/partnerships/{partnership}/` is a 404 for anyone who is not a member, before any input is
read. A token writes only in the modules its scopes name."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from auditlog.context import auditlog_value
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from safeboard.accounts.twofactor import confirmed_device, requires_two_factor

from .access import enter_partnership

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _enter(request: HttpRequest, user: Any) -> Any:
    request.user = user
    try:
        # Writes through a token are attributed to its user in the audit trail.
        context = auditlog_value.get()
        if context.get("actor") is None:
            context["actor"] = user
    except LookupError:
        pass
    match = request.resolver_match
    slug = match.kwargs.get("partnership") if match else None
    if slug:
        enter_partnership(request, slug)
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sbt_...` with a token created on the account page. `scope` is
    the label of the module whose endpoints this instance guards: a token writes there only
    if it carries that scope."""

    openapi_description = (
        "A personal API token, created and revoked on your account page. It reads what you "
        "may read, and writes only in the modules its scopes name."
    )

    def __init__(self, scope: str = "") -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from safeboard.accounts.models import ApiToken

        found = ApiToken.find(token)
        if found is None or not found.user.is_active:
            return None
        if found.revoked_at is not None:
            raise HttpError(
                401,
                f"This token was revoked on {found.revoked_at:%d %B %Y}: "
                f"{found.revoked_reason or 'revoked'}",
            )
        if not found.is_usable:
            raise HttpError(401, "This token has expired: create a new one on your account page")
        user = found.user
        if found.issued_without_two_factor and requires_two_factor(user):
            # Made under lesser rights: whatever gave the user a role that needs a second
            # factor (a role, a person made active again, staff status), the token ends here.
            found.revoke("its user now needs two-factor sign-in: create a new token")
            raise HttpError(401, f"This token was revoked: {found.revoked_reason}")
        if requires_two_factor(user) and confirmed_device(user) is None:
            raise HttpError(
                403,
                "Your roles need two-factor sign-in: sign in to Safeboard and set up an "
                "authenticator app, then create a new token",
            )
        if request.method not in SAFE_METHODS and not found.may_write(self.scope):
            raise HttpError(
                403,
                f"This token may not write here: it needs the ‘{self.scope}’ scope "
                "(create a token with it on your account page)",
            )
        found.touch()
        request.sb_token = found  # type: ignore[attr-defined]
        return _enter(request, user)


class SessionAuth(APIKeyCookie):
    """The browser's session cookie (with the CSRF token on writes). Users who must use two
    factors need a verified session."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The signed-in browser session; writes need the CSRF token."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        verified = getattr(user, "is_verified", lambda: False)()
        if not verified and (requires_two_factor(user) or confirmed_device(user) is not None):
            return None
        return _enter(request, user)


def signed_in_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NinjaAPI's `docs_decorator`: the OpenAPI document and the docs page are for those the
    API's own authentication accepts (a token, or a signed-in session with its second factor).
    Anyone else gets 401 for the document (JSON, as every API answer) and the sign-in page for
    the docs page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for method in (TokenAuth(), SessionAuth()):
            try:
                if method(request):
                    return view(request, *args, **kwargs)
            except HttpError:
                continue  # a refused token: as if none were given
        if request.path.endswith(".json"):
            return JsonResponse(
                {"detail": "Authentication required: a token or a signed-in session"},
                status=401,
            )
        return redirect_to_login(request.get_full_path())

    return wrapper
