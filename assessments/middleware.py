from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class RequireTwoFactorMiddleware:
    """With REQUIRE_2FA on, supervisors and catalogue admins must confirm a
    one-time password (django-otp) before anything but the sign-in pages."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_2FA and self._needs_otp(request):
            return redirect(f"{reverse('two_factor')}?next={request.path}")
        return self.get_response(request)

    def _needs_otp(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.user.is_verified():
            return False
        if request.path.startswith(self.EXEMPT_PREFIXES):
            return False
        return (
            user.is_superuser
            or user.groups.filter(name__in=["Supervisors", "Catalogue admins"]).exists()
        )
