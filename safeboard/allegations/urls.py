from django.urls import path

from . import views

app_name = "allegations"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("export/", views.export, name="export"),
    path("import/", views.import_file, name="import"),
    path("tables/", views.tables, name="tables"),
    path("tables/download/", views.tables_download, name="tables-download"),
    path("terms/", views.term_list, name="terms"),
    path("terms/<id:pk>/", views.term_edit, name="term"),
    path("audit/", views.samples, name="samples"),
    path("audit/<id:pk>/", views.sample, name="sample"),
    path("audit/findings/<id:pk>/", views.finding, name="finding"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
]
