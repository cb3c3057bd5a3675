"""Signing in and out, and the second factor (TOTP) for staff."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="Six-digit code from your authenticator app",
        regex=r"^\d{6}$",
        error_messages={"invalid": "Enter the six digits your app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Confirm a one-time code; the first time, enrol an authenticator app."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", "That code is not valid. Check the time on your phone and retry.")
    qr = None
    if enrolling:
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        qr = mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - generated SVG
    return render(
        request,
        "registration/two_factor.html",
        {"form": form, "enrolling": enrolling, "qr": qr, "next": _safe_next(request)},
    )
