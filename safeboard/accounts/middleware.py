from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .twofactor import confirmed_device, requires_two_factor

EXEMPT_PREFIXES = ("/static/", "/api/", "/healthz", "/accounts/set-password/")
EXEMPT_NAMES = (
    "accounts:sign-in",
    "accounts:verify",
    "accounts:two-factor-setup",
    "accounts:sign-out",
)


class TwoFactorRequiredMiddleware:
    """Keeps a signed-in user who must use two factors, and has not, out of everything but
    setting up or entering their code (and signing out). The API checks it in its own auth."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path not in {reverse(name) for name in EXEMPT_NAMES}
            and not user.is_verified()
        ):
            if confirmed_device(user) is not None:
                return redirect(f"{reverse('accounts:verify')}?next={request.path}")
            if requires_two_factor(user):
                return redirect("accounts:two-factor-setup")
        return self.get_response(request)
