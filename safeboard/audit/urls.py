from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.trail, name="trail"),
    path("export.csv", views.trail_export, name="trail-export"),
    path("access/", views.access_log, name="access"),
    path("access/export.csv", views.access_export, name="access-export"),
]
