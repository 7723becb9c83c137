from django.urls import path

from .views import actions, challenges, plans, risks

app_name = "planning"
urlpatterns = [
    path("", plans.index, name="index"),
    # The business plan.
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/<id:pk>/", plans.plan_detail, name="plan"),
    path("plans/<id:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<id:pk>/themes/new/", plans.theme_new, name="theme-new"),
    path("plans/<id:pk>/import/", plans.plan_import, name="plan-import"),
    path("plans/<id:pk>/export/", plans.plan_export, name="plan-export"),
    path("plans/<id:pk>/close/", plans.plan_close, name="plan-close"),
    path("themes/<id:pk>/edit/", plans.theme_edit, name="theme-edit"),
    # The one action tracker.
    path("actions/", actions.tracker, name="actions"),
    path("actions/export/", actions.tracker_export, name="actions-export"),
    path("actions/new/", actions.action_new, name="action-new"),
    path("actions/<id:pk>/", actions.action_detail, name="action"),
    path("actions/<id:pk>/edit/", actions.action_edit, name="action-edit"),
    path("actions/<id:pk>/update/", actions.action_update, name="action-update"),
    path("actions/<id:pk>/complete/", actions.action_complete, name="action-complete"),
    path("actions/<id:pk>/confirm/", actions.action_confirm, name="action-confirm"),
    path("actions/<id:pk>/impact/", actions.action_impact, name="action-impact"),
    path("evidence/<id:pk>/", actions.evidence, name="evidence"),
    path("meetings/<id:pk>/actions/", actions.meeting_actions, name="meeting-actions"),
    path("meetings/<id:pk>/actions/new/", actions.meeting_action_new, name="meeting-action-new"),
    # The risk register.
    path("risks/", risks.risk_list, name="risks"),
    path("risks/new/", risks.risk_new, name="risk-new"),
    path("risks/<id:pk>/", risks.risk_detail, name="risk"),
    path("risks/<id:pk>/edit/", risks.risk_edit, name="risk-edit"),
    path("risks/<id:pk>/review/", risks.risk_review, name="risk-review"),
    # The challenge log.
    path("challenges/", challenges.challenge_list, name="challenges"),
    path("challenges/new/", challenges.challenge_new, name="challenge-new"),
    path("challenges/<id:pk>/", challenges.challenge_detail, name="challenge"),
    path("challenges/<id:pk>/edit/", challenges.challenge_edit, name="challenge-edit"),
    path("challenges/<id:pk>/respond/", challenges.challenge_respond, name="challenge-respond"),
    path("challenges/<id:pk>/escalate/", challenges.challenge_escalate, name="challenge-escalate"),
    path("challenges/<id:pk>/close/", challenges.challenge_close, name="challenge-close"),
]
