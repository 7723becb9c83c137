from django.urls import path

from .views import actions, challenges, plans, risks

app_name = "planning"
urlpatterns = [
    path("", plans.index, name="index"),
    # The business plan.
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/themes/new/", plans.theme_new, name="theme-new"),
    path("plans/<int:pk>/import/", plans.plan_import, name="plan-import"),
    path("plans/<int:pk>/export/", plans.plan_export, name="plan-export"),
    path("plans/<int:pk>/close/", plans.plan_close, name="plan-close"),
    path("themes/<int:pk>/edit/", plans.theme_edit, name="theme-edit"),
    # The one action tracker.
    path("actions/", actions.tracker, name="actions"),
    path("actions/export/", actions.tracker_export, name="actions-export"),
    path("actions/new/", actions.action_new, name="action-new"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action-edit"),
    path("actions/<int:pk>/update/", actions.action_update, name="action-update"),
    path("actions/<int:pk>/complete/", actions.action_complete, name="action-complete"),
    path("actions/<int:pk>/confirm/", actions.action_confirm, name="action-confirm"),
    path("actions/<int:pk>/impact/", actions.action_impact, name="action-impact"),
    path("evidence/<int:pk>/", actions.evidence, name="evidence"),
    path("meetings/<int:pk>/actions/", actions.meeting_actions, name="meeting-actions"),
    path("meetings/<int:pk>/actions/new/", actions.meeting_action_new, name="meeting-action-new"),
    # The risk register.
    path("risks/", risks.risk_list, name="risks"),
    path("risks/new/", risks.risk_new, name="risk-new"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk-edit"),
    path("risks/<int:pk>/review/", risks.risk_review, name="risk-review"),
    # The challenge log.
    path("challenges/", challenges.challenge_list, name="challenges"),
    path("challenges/new/", challenges.challenge_new, name="challenge-new"),
    path("challenges/<int:pk>/", challenges.challenge_detail, name="challenge"),
    path("challenges/<int:pk>/edit/", challenges.challenge_edit, name="challenge-edit"),
    path("challenges/<int:pk>/respond/", challenges.challenge_respond, name="challenge-respond"),
    path("challenges/<int:pk>/escalate/", challenges.challenge_escalate, name="challenge-escalate"),
    path("challenges/<int:pk>/close/", challenges.challenge_close, name="challenge-close"),
]
