from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/checks/", views.check, name="checks"),
    path("<int:pk>/sections/new/", views.section_add, name="section-add"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section-edit"),
    path(
        "<int:pk>/sections/<int:section_pk>/preview/", views.section_preview, name="section-preview"
    ),
    path("<int:pk>/sections/<int:section_pk>/move/", views.section_move, name="section-move"),
    path("<int:pk>/sections/<int:section_pk>/toggle/", views.section_toggle, name="section-toggle"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/comments/", views.comment_add, name="comment-add"),
    path(
        "<int:pk>/comments/<int:comment_pk>/resolve/", views.comment_resolve, name="comment-resolve"
    ),
    path("<int:pk>/builds/", views.build_start, name="build-start"),
    path("<int:pk>/builds/<int:build_pk>/", views.build_status, name="build-status"),
    path("<int:pk>/builds/<int:build_pk>/download/", views.build_download, name="build-download"),
    path("<int:pk>/versions/<int:number>/", views.version_view, name="version"),
]
