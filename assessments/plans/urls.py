from django.urls import path

from assessments.plans import views

app_name = "plans"

urlpatterns = [
    path("assessments/<int:pk>/plan/", views.plan_start, name="start"),
    path("plans/team/", views.team_plans, name="team"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/focus/", views.plan_focus, name="focus"),
    path("plans/<int:pk>/actions/new/", views.action_edit, name="action_new"),
    path("plans/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action"),
    path("plans/<int:pk>/referrals/new/", views.referral_edit, name="referral_new"),
    path("plans/<int:pk>/referrals/<int:referral_pk>/", views.referral_edit, name="referral"),
    path("plans/<int:pk>/agreement/", views.plan_agreement, name="agreement"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="copy"),
    path("clients/<int:pk>/case/close/", views.case_close, name="case_close"),
    path("clients/<int:pk>/case/reopen/", views.case_reopen, name="case_reopen"),
]
