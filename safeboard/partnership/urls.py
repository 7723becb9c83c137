from django.urls import path

from . import views

app_name = "partnership"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/new/", views.agency_edit, name="agency-new"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency-edit"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_edit, name="person-new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/roles/", views.role_add, name="role-add"),
    path("people/<int:pk>/roles/<int:role_pk>/remove/", views.role_remove, name="role-remove"),
    path("areas/", views.area_list, name="areas"),
    path("areas/new/", views.area_edit, name="area-new"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area-edit"),
    path("areas/<int:pk>/population/", views.population_set, name="population-set"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_edit, name="group-new"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/members/", views.member_add, name="member-add"),
    path("groups/<int:pk>/members/<int:member_pk>/end/", views.member_end, name="member-end"),
    path("groups/<int:pk>/objectives/", views.objective_add, name="objective-add"),
    path(
        "groups/<int:pk>/objectives/<int:objective_pk>/delete/",
        views.objective_delete,
        name="objective-delete",
    ),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_edit, name="meeting-new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance-record"),
    path("meetings/<int:pk>/papers/", views.paper_upload, name="paper-upload"),
    path("papers/<int:pk>/", views.paper_download, name="paper"),
    path("attendance/", views.attendance_report, name="attendance"),
    path("attendance/export.csv", views.attendance_export, name="attendance-export"),
]
