"""The second factor (with enrolment codes), issuing enrolment codes, the
security officer's trace, and changing one's own password."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.security import enrolment, trace
from assessments.security.bursts import find_bursts
from assessments.security.forms import EnrolmentCodeForm, IssueCodeForm, TokenForm
from assessments.security.models import EnrolmentCode, SecurityEvent

# The session key of the device being enrolled, set once a code was redeemed.
ENROLLING_KEY = "otp_enrolling_device"
WRONG_TOKEN = _("That code is not valid. Check the time on your phone and retry.")
WRONG_ENROLMENT_CODE = _(
    "That enrolment code is not valid: it may be mistyped, used already or expired. Ask your "
    "supervisor for a new one."
)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _render_two_factor(request, context: dict):
    return render(request, "registration/two_factor.html", {"next": _safe_next(request), **context})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Confirm a one-time code. Without a device: first an enrolment code,
    then the authenticator app. With a new enrolment code, a person who lost
    their phone enrols a new app, which replaces the old one. Opening the
    page creates nothing."""
    user = request.user
    enrolling = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(ENROLLING_KEY, 0)
    ).first()
    device = enrolling or TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or (request.method == "POST" and "code" in request.POST):
        return _enrolment_code_step(request, replacing=device is not None)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                request.session.pop(ENROLLING_KEY, None)
                trace.record(request, SecurityEvent.Kind.ENROLLED, subject=user.get_username())
            otp_login(request, device)
            return redirect(_safe_next(request))
        trace.record(request, SecurityEvent.Kind.WRONG_CODE)
        form.add_error("token", WRONG_TOKEN)
    qr = None
    if not device.confirmed:
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        qr = mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - generated SVG
    return _render_two_factor(
        request,
        {"form": form, "step": "token", "qr": qr, "code_form": EnrolmentCodeForm()},
    )


def _enrolment_code_step(request, *, replacing: bool):
    """Redeem an enrolment code: a new, unconfirmed device for this session.
    A confirmed device it replaces keeps working until the new one is confirmed."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if enrolment.redeem(user=request.user, code=form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            device = TOTPDevice.objects.create(
                user=request.user, name="Authenticator app", confirmed=False
            )
            request.session[ENROLLING_KEY] = device.pk
            return redirect(f"{reverse('two_factor')}?{urlencode({'next': _safe_next(request)})}")
        trace.record(request, SecurityEvent.Kind.WRONG_CODE)
        form.add_error("code", WRONG_ENROLMENT_CODE)
    return _render_two_factor(request, {"form": form, "step": "code", "replacing": replacing})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrolment_codes(request):
    """Issue a one-time enrolment code; it is shown once, on this response only."""
    if not enrolment.can_issue(request.user):
        raise PermissionDenied
    form = IssueCodeForm(request.POST or None, issuer=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["user"]
        issued = (person, enrolment.issue(issuer=request.user, user=person))
        trace.record(request, SecurityEvent.Kind.CODE_ISSUED, subject=person.get_username())
        form = IssueCodeForm(issuer=request.user)
    codes = EnrolmentCode.objects.select_related("user", "issued_by")
    if not request.user.is_superuser:
        codes = codes.filter(user__in=form.fields["user"].queryset)
    return render(
        request,
        "assessments/security/enrolment_codes.html",
        {
            "form": form,
            "issued": issued,
            "codes": codes[:50],
            "hours": settings.ENROLMENT_CODE_HOURS,
        },
    )


@never_cache
@login_required
def security_trace(request):
    """The security officer's page: refused requests and account events, or
    failed sign-ins, with bursts flagged."""
    if not request.user.is_superuser:
        raise PermissionDenied
    showing = "failures" if request.GET.get("list") == "failures" else "events"
    if showing == "failures":
        rows = AccessFailureLog.objects.order_by("-attempt_time", "-id")
    else:
        rows = SecurityEvent.objects.all()
    page = Paginator(rows, settings.CLIENTS_PER_PAGE * 2).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/security/trace.html",
        {
            "page": page,
            "showing": showing,
            "bursts": find_bursts(),
            "burst_count": settings.REFUSAL_BURST_COUNT,
            "burst_minutes": settings.REFUSAL_BURST_MINUTES,
        },
    )


@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "assessments/security/password_change.html"
    success_url = reverse_lazy("security:password_changed")

    def form_valid(self, form):
        response = super().form_valid(form)
        trace.record(
            self.request, SecurityEvent.Kind.PASSWORD_CHANGED, subject=self.request.user.username
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "assessments/security/password_changed.html"
