from __future__ import annotations

from django.conf import settings

from assessments.security import trace
from assessments.security.models import SecurityEvent


class RefusalTraceMiddleware:
    """Record every 403, and every 404 on a record URL, with who asked and
    from where: an enumeration of ids leaves one row per attempt. Place it
    after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            trace.record(request, SecurityEvent.Kind.FORBIDDEN)
        elif response.status_code == 404 and trace.takes_an_id(request.path):
            trace.record(request, SecurityEvent.Kind.NOT_FOUND)
        return response


class PermissionsPolicyMiddleware:
    """Turn off browser features the app never uses (camera, microphone,
    location, payment, ...), so an injected script could not use them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response
