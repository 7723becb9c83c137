from django.urls import path

from . import views

app_name = "private_fostering"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("overdue/", views.overdue, name="overdue"),
    path("export/", views.export, name="export"),
    path("import/", views.import_file, name="import"),
    path("figures/", views.figures, name="figures"),
    path("figures/download/", views.figures_download, name="figures-download"),
    path("awareness/new/", views.activity_create, name="activity-create"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/visit/", views.visit, name="visit"),
]
