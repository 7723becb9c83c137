"""The performance module's pages, in two sections (each with its navigation entry): the
dataset (scorecards, indicators, comparators) and data returns (rounds and agencies' returns)."""

from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.index, name="index"),
    # The dataset.
    path("dataset/", views.scorecard, name="scorecard"),
    path("dataset/scorecard.csv", views.scorecard_export, {"fmt": "csv"}, name="scorecard-csv"),
    path("dataset/scorecard.xlsx", views.scorecard_export, {"fmt": "xlsx"}, name="scorecard-xlsx"),
    path("dataset/exceptions/", views.exception_report, name="exceptions"),
    path("dataset/exceptions.csv", views.exception_export, {"fmt": "csv"}, name="exceptions-csv"),
    path(
        "dataset/exceptions.xlsx", views.exception_export, {"fmt": "xlsx"}, name="exceptions-xlsx"
    ),
    path("dataset/indicators/", views.indicator_list, name="indicators"),
    path("dataset/indicators/new/", views.indicator_edit, name="indicator-new"),
    path("dataset/indicators/import/", views.indicator_import, name="indicators-import"),
    path("dataset/indicators/<id:pk>/", views.indicator_detail, name="indicator"),
    path("dataset/indicators/<id:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path(
        "dataset/indicators/<id:pk>/definition/",
        views.definition_change,
        name="indicator-definition",
    ),
    path("dataset/indicators/<id:pk>/target/", views.target_set, name="indicator-target"),
    path("dataset/indicators/<id:pk>/override/", views.rag_override, name="indicator-override"),
    path("dataset/values/import/", views.value_import, name="values-import"),
    path("dataset/values/<id:pk>/correct/", views.value_correct, name="value-correct"),
    path("dataset/comparators/", views.comparator_list, name="comparators"),
    path("dataset/comparators/<str:code>/", views.comparator_ranking, name="comparator"),
    # Data returns.
    path("returns/", views.round_list, name="rounds"),
    path("returns/new/", views.round_new, name="round-new"),
    path("returns/<id:pk>/", views.round_detail, name="round"),
    path("returns/<id:pk>/lock/", views.round_lock, name="round-lock"),
    path("returns/<id:pk>/remind/", views.round_remind, name="round-remind"),
    path("returns/<id:pk>/<id:agency>/", views.return_form, name="return"),
    path("returns/<id:pk>/<id:agency>/check/", views.return_check, name="return-check"),
    path(
        "returns/<id:pk>/<id:agency>/template.xlsx",
        views.return_template,
        name="return-template",
    ),
    path("returns/<id:pk>/<id:agency>/upload/", views.return_upload, name="return-upload"),
    path("returns/<id:pk>/<id:agency>/submit/", views.return_submit, name="return-submit"),
    path("returns/<id:pk>/<id:agency>/sign-off/", views.return_sign_off, name="return-sign-off"),
]
