"""Signing in and out (the second factor is in assessments.security.views)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from assessments.forms import LoginForm


@login_required
def home(request):
    if request.user.has_perm("assessments.view_client"):
        return redirect("assessments:clients")
    return redirect("factors:catalogue")


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
