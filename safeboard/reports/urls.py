from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<id:pk>/", views.report_detail, name="detail"),
    path("<id:pk>/preview/", views.preview, name="preview"),
    path("<id:pk>/checks/", views.check, name="checks"),
    path("<id:pk>/sections/new/", views.section_add, name="section-add"),
    path("<id:pk>/sections/<id:section_pk>/", views.section_edit, name="section-edit"),
    path(
        "<id:pk>/sections/<id:section_pk>/preview/", views.section_preview, name="section-preview"
    ),
    path("<id:pk>/sections/<id:section_pk>/move/", views.section_move, name="section-move"),
    path("<id:pk>/sections/<id:section_pk>/toggle/", views.section_toggle, name="section-toggle"),
    path(
        "<id:pk>/sections/<id:section_pk>/reviewed/",
        views.section_reviewed,
        name="section-reviewed",
    ),
    path("<id:pk>/submit/", views.submit, name="submit"),
    path("<id:pk>/reopen/", views.reopen, name="reopen"),
    path("<id:pk>/approve/", views.approve, name="approve"),
    path("<id:pk>/publish/", views.publish, name="publish"),
    path("<id:pk>/correct/", views.correct, name="correct"),
    path("<id:pk>/comments/", views.comment_add, name="comment-add"),
    path(
        "<id:pk>/comments/<id:comment_pk>/resolve/", views.comment_resolve, name="comment-resolve"
    ),
    path("<id:pk>/builds/", views.build_start, name="build-start"),
    path("<id:pk>/builds/<id:build_pk>/", views.build_status, name="build-status"),
    path("<id:pk>/builds/<id:build_pk>/download/", views.build_download, name="build-download"),
    path("<id:pk>/versions/<id:number>/", views.version_view, name="version"),
]
