from django.contrib import admin
from django.urls import include, path

from safeboard.api import api
from safeboard.core import views as core_views

partnership_patterns = [
    path("", include("safeboard.partnership.urls")),
    path("audit/", include("safeboard.audit.urls")),
    path("performance/", include("safeboard.performance.urls")),
    path("planning/", include("safeboard.planning.urls")),
    path("reports/", include("safeboard.reports.urls")),
]


def _api_urls():
    """The API authenticates by token or session itself: exempt it from the sign-in redirect."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace


urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("safeboard.accounts.urls")),
    path("p/<slug:partnership>/", include(partnership_patterns)),
    path("api/v1/", _api_urls()),
    path("admin/", admin.site.urls),
]
