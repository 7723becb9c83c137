from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import tenancy


class TenancyMiddleware:
    """Starts every request with no partnership scope and ends it the same way.

    A view enters a partnership with `partnership.access.enter_partnership` (through the
    `partnership_view` decorator or the API's auth); the scope then lasts until the response
    is built. Superusers in Django admin work across partnerships.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = tenancy.activate(None)
        try:
            user = getattr(request, "user", None)
            if (
                request.path.startswith("/admin/")
                and user is not None
                and user.is_authenticated
                and user.is_superuser
            ):
                tenancy.activate(tenancy.ALL)
            return self.get_response(request)
        finally:
            tenancy.deactivate(token)
