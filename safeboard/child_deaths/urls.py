from django.urls import path

from . import views

app_name = "child_deaths"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.death_new, name="death-new"),
    path("forms/", views.agency_forms, name="agency-forms"),
    path("tables/", views.tables, name="tables"),
    path("tables/<str:table>.csv", views.table_csv, name="table-csv"),
    path("<id:pk>/", views.death_detail, name="death"),
    path("<id:pk>/edit/", views.death_edit, name="death-edit"),
    path("<id:pk>/forms/request/", views.forms_request, name="forms-request"),
    path("<id:pk>/meetings/new/", views.meeting_new, name="meeting-new"),
    path("<id:pk>/review/", views.review_edit, name="review"),
    path("<id:pk>/review/factors/new/", views.factor_new, name="factor-new"),
    path(
        "<id:pk>/review/recommendations/new/", views.recommendation_new, name="recommendation-new"
    ),
    path("factors/<id:pk>/", views.factor_edit, name="factor-edit"),
    path("factors/<id:pk>/remove/", views.factor_remove, name="factor-remove"),
    path("recommendations/<id:pk>/", views.recommendation_edit, name="recommendation-edit"),
    path(
        "recommendations/<id:pk>/remove/",
        views.recommendation_remove,
        name="recommendation-remove",
    ),
    path("forms/<id:pk>/withdraw/", views.form_withdraw, name="form-withdraw"),
    path("<id:pk>/review/release/", views.review_release, name="review-release"),
    path("<id:pk>/ncmd.csv", views.ncmd_export, name="ncmd-export"),
    path("forms/<id:pk>/receive/", views.form_receive, name="form-receive"),
]
