from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.review_new, name="review-new"),
    path("<id:pk>/", views.review_detail, name="review"),
    path("<id:pk>/edit/", views.review_edit, name="review-edit"),
    path("<id:pk>/rapid-review/", views.rapid_review, name="rapid-review"),
    path("<id:pk>/recategorise/", views.recategorise, name="recategorise"),
    path("<id:pk>/local-review/", views.local_review, name="local-review"),
    path("<id:pk>/panel/new/", views.panel_new, name="panel-new"),
    path("<id:pk>/milestones/new/", views.milestone_new, name="milestone-new"),
    path("milestones/<id:pk>/done/", views.milestone_done, name="milestone-done"),
    path("<id:pk>/processes/new/", views.process_new, name="process-new"),
    path("processes/<id:pk>/conclude/", views.process_conclude, name="process-conclude"),
    path("<id:pk>/publish/", views.publish, name="publish"),
    path("<id:pk>/lessons/new/", views.lesson_new, name="lesson-new"),
    path("<id:pk>/recommendations/new/", views.recommendation_new, name="recommendation-new"),
    path("<id:pk>/dissemination/", views.dissemination, name="dissemination"),
    path("<id:pk>/assurance/new/", views.assurance_new, name="assurance-new"),
    path("assurance/<id:pk>/", views.assurance_response, name="assurance-response"),
    path("themes/", views.themes, name="themes"),
    path("themes/new/", views.theme_new, name="theme-new"),
]
