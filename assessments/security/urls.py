from django.urls import path

from assessments.security import views

app_name = "security"

urlpatterns = [
    path("enrolment-codes/", views.enrolment_codes, name="enrolment_codes"),
    path("trace/", views.security_trace, name="trace"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", views.PasswordChangeDoneView.as_view(), name="password_changed"),
]
