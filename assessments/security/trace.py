"""Recording refused requests and account events for the security officer."""

from __future__ import annotations

from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path

from assessments.audit import client_ip
from assessments.security.models import SecurityEvent

# Paths about client records, recorded even when they resolve to nothing
# (an attacker probing /clients/abc/ is probing all the same).
RECORD_PREFIXES = ("/clients/", "/assessments/")


def takes_an_id(path: str) -> bool:
    """A record URL: under the record prefixes, or any URL with a parameter."""
    if path.startswith(RECORD_PREFIXES):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return bool(match.kwargs or match.args)


def record(request, kind: str, *, subject: str = "") -> SecurityEvent:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if signed_in else None,
        username=user.get_username() if signed_in else "",
        ip=client_ip(request),
        method=request.method[:7],
        # ids only: the query string is not kept (it may carry typed text);
        # percent-encoded as sent, so a NUL byte cannot break the insert
        path=escape_uri_path(request.path)[:200],
        subject=subject[:150],
    )


def trace_reference_elsewhere(request, client) -> None:
    """A client saved with a reference that another team uses: allowed (the
    answer must not tell that it exists), but noted for the security officer,
    as probing for other teams' references would look like this."""
    if client.reference_used_elsewhere():
        record(request, SecurityEvent.Kind.REFERENCE_ELSEWHERE)
