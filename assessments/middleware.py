from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from assessments import sessions
from assessments.roles import CATALOGUE_ADMINS


class RequireTwoFactorMiddleware:
    """With REQUIRE_2FA on, everyone who reads client data (caseworkers,
    supervisors, superusers) and catalogue admins must confirm a one-time
    password (django-otp) before anything but the sign-in pages."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_2FA and self._needs_otp(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('two_factor')}?{query}")
        return self.get_response(request)

    def _needs_otp(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.user.is_verified():
            return False
        if request.path.startswith(self.EXEMPT_PREFIXES):
            return False
        return (
            user.is_superuser
            or user.has_perm("assessments.view_client")
            or user.has_perm("assessments.view_assessment")
            or user.groups.filter(name=CATALOGUE_ADMINS).exists()
        )


class SessionIdleRefreshMiddleware:
    """The idle timeout, without a session write on every request, and the
    absolute lifetime of a session.

    A session expires SESSION_COOKIE_AGE after it was last saved. Instead of
    saving it on every request (SESSION_SAVE_EVERY_REQUEST), this renews it
    when the last renewal is older than a fifteenth of the timeout (at most a
    minute): the idle limit holds to within that margin, and most requests
    write nothing. However busy, a session ends SESSION_ABSOLUTE_SECONDS after
    sign-in: the request that arrives later is treated as signed out (the
    user's id is kept on the request, so that a form it carries can be held,
    see ``assessments.held``). A view can set ``request.session_quiet`` to
    answer without counting as activity (the timeout warning's status check).
    Place it right after SessionMiddleware.
    """

    KEY = sessions.RENEWED_KEY

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = sessions.now()
            if session.get(sessions.SIGNED_IN_KEY) is None:
                session[sessions.SIGNED_IN_KEY] = now
            elif sessions.past_absolute_lifetime(session, now):
                request.expired_user_id = session["_auth_user_id"]
                session.flush()
        response = self.get_response(request)
        if (
            session is not None
            and session.get("_auth_user_id")
            and not getattr(request, "session_quiet", False)
        ):
            now = sessions.now()
            if now - session.get(self.KEY, 0) >= sessions.renewal_interval():
                session[self.KEY] = now
        return response
