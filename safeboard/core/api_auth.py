"""API authentication: per-user tokens for scripts and agency systems, the session for the
browser. Both then enter the partnership named in the path, so an endpoint under
`/partnerships/{partnership}/` is a 404 for anyone who is not a member, before any input is
read."""

from __future__ import annotations

from typing import Any

from auditlog.context import auditlog_value
from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer


def _enter(request: HttpRequest, user: Any) -> Any:
    from safeboard.partnership.access import enter_partnership

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
    """`Authorization: Bearer sbt_...` with a token created on the account page."""

    openapi_description = "A personal API token, created and revoked on your account page."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from safeboard.accounts.models import ApiToken

        user = ApiToken.authenticate(token)
        return _enter(request, user) if user is not None else None


class SessionAuth(APIKeyCookie):
    """The browser's session cookie (with the CSRF token on writes). Users who must use two
    factors need a verified session."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The signed-in browser session; writes need the CSRF token."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from safeboard.accounts.twofactor import confirmed_device, requires_two_factor

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        verified = getattr(user, "is_verified", lambda: False)()
        if not verified and (requires_two_factor(user) or confirmed_device(user) is not None):
            return None
        return _enter(request, user)
