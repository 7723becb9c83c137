from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

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


class NulRefusalMiddleware:
    """Refuses a request carrying a NUL character in its address or in a form or JSON body:
    no text a person types has one, and PostgreSQL cannot store it (it would be a server
    error deep inside a view). File uploads (multipart) are left to their readers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            message = "The request has a NUL character (\\x00) in it, which no text may hold"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    address = request.path + "?" + request.META.get("QUERY_STRING", "")
    if "\x00" in address or "%00" in address.lower():
        return True
    kind = request.META.get("CONTENT_TYPE", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        return b"%00" in request.body.lower() or b"\x00" in request.body
    if kind.startswith("application/json"):
        return b"\\u0000" in request.body.lower() or b"\x00" in request.body
    return False


class MethodNotAllowedPageMiddleware:
    """A page's address opened with a method it does not take (a form's target opened or
    reloaded in the browser) answers with the site's 405 page, not Django's empty one. The
    API answers as it does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not request.path.startswith("/api/")
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            from django.template.loader import render_to_string

            page = HttpResponse(render_to_string("405.html", request=request), status=405)
            if "Allow" in response:
                page["Allow"] = response["Allow"]
            return page
        return response
