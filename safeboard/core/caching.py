"""Responses no browser or cache on the way may keep: file downloads (papers, evidence, report
builds, exports) and every response about a restricted record. `NoStoreMiddleware` sets
`Cache-Control: no-store, private` on them; a view (or a selector given the request) marks a
response about a restricted record with `no_store(request)`."""

from __future__ import annotations

from collections.abc import Callable

from django.http import FileResponse, HttpRequest, HttpResponseBase

NO_STORE = "no-store, private"


def no_store(request: HttpRequest) -> None:
    """Mark this request's response as not to be stored (a restricted record's)."""
    request.sb_no_store = True  # type: ignore[attr-defined]


def is_download(response: HttpResponseBase) -> bool:
    return isinstance(response, FileResponse) or response.get(
        "Content-Disposition", ""
    ).strip().lower().startswith("attachment")


class NoStoreMiddleware:
    """After WhiteNoise (static files keep their long caching): every download, and every
    response of a request marked with `no_store`, gets `Cache-Control: no-store, private`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(request, "sb_no_store", False) or is_download(response):
            response["Cache-Control"] = NO_STORE
        return response
