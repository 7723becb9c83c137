from django.contrib import admin
from django.urls import include, path

from safeboard.api import api
from safeboard.core import views as core_views

partnership_patterns = [
    path("", include("safeboard.partnership.urls")),
    path("audit/", include("safeboard.audit.urls")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("safeboard.accounts.urls")),
    path("p/<slug:partnership>/", include(partnership_patterns)),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
