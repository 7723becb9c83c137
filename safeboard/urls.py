"""The site's addresses. A module's pages are found from its AppConfig (`url_prefix`, see
`core.modules`): they live under `/p/<partnership>/<prefix>`."""

from django.contrib import admin
from django.urls import include, path

from safeboard.api import api
from safeboard.core import modules
from safeboard.core import views as core_views
from safeboard.partnership import views as partnership_views


def _partnership_patterns() -> list:
    found = [m for m in modules.installed() if m.url_prefix is not None]
    # The longest prefix first, so a module's pages are never shadowed by a shorter prefix.
    found.sort(key=lambda m: -len(m.url_prefix or ""))
    return [path(m.url_prefix or "", include(f"{m.name}.urls")) for m in found]


def _api_urls():
    """The API authenticates by token or session itself: exempt it from the sign-in redirect."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace


urlpatterns = [
    path("", partnership_views.start, name="home"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("safeboard.accounts.urls")),
    path("p/<slug:partnership>/", include(_partnership_patterns())),
    path("api/v1/", _api_urls()),
    path("admin/", admin.site.urls),
]

# The site's error pages are the templates 400.html, 403.html, 404.html and 500.html; a form's
# target opened directly gets 405.html (core.middleware.MethodNotAllowedPageMiddleware).
handler404 = "safeboard.core.views.page_not_found"
