from .modules import SafeboardModule


class CoreConfig(SafeboardModule):
    """The lowest layer. Its own records are the statutory clocks (`core.clocks`)."""

    name = "safeboard.core"
    label = "core"
    verbose_name = "Safeboard core"

    def ready(self) -> None:
        super().ready()
        from typing import Any

        from django.contrib import admin
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied
        from django.http import HttpRequest, HttpResponse
        from django.urls import register_converter

        from .converters import IdConverter

        # `<id:pk>`: every id in every urls.py (404 for one no database id can hold).
        register_converter(IdConverter, "id")

        # Django admin is for superusers only, and they sign in through Safeboard's own
        # sign-in (with two factors), never admin's password-only form.
        def has_permission(request: HttpRequest) -> bool:
            user = request.user
            return bool(user.is_active and user.is_superuser and user.is_verified())

        def login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
            if request.user.is_authenticated:
                raise PermissionDenied  # signed in, but not a verified superuser
            return redirect_to_login(request.GET.get("next", "/admin/"))

        admin.site.has_permission = has_permission  # type: ignore[method-assign]
        admin.site.login = login  # type: ignore[method-assign]
        admin.site.site_header = "Safeboard administration"
        admin.site.site_title = "Safeboard"
