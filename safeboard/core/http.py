"""Small request helpers shared by every app's views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from safeboard.accounts.models import User
    from safeboard.partnership.access import Membership
    from safeboard.partnership.models import Partnership


class PartnershipRequest(HttpRequest):
    """A request inside a partnership (`partnership_view`, or the API's auth), for typing."""

    partnership: Partnership
    member: Membership
    user: User


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment, not a whole page (history restores excepted)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in user, for typing."""

    user: User
