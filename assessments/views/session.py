"""The timeout warning's two calls: how long is left, and "stay signed in"."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assessments import sessions


def _signed_out() -> JsonResponse:
    return JsonResponse({"seconds_left": 0, "ends_because": "signed_out"}, status=401)


@never_cache
@require_GET
def session_status(request):
    """Time left, without counting this check as activity (it would otherwise
    keep an unattended page signed in forever)."""
    request.session_quiet = True
    if not request.user.is_authenticated:
        return _signed_out()
    return JsonResponse(sessions.time_left(request.session, renewing=False).as_json())


@never_cache
@require_POST
def session_renew(request):
    """Stay signed in: the person's own click restarts the idle clock (the
    absolute lifetime still holds)."""
    if not request.user.is_authenticated:
        return _signed_out()
    request.session[sessions.RENEWED_KEY] = sessions.now()
    return JsonResponse(sessions.time_left(request.session, renewing=False).as_json())
