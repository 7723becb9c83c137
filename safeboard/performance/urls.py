from django.urls import path  # noqa: F401

app_name = "performance"
urlpatterns: list = []  # type: ignore[type-arg]
