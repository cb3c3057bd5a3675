from __future__ import annotations

from assessments.models import Assessment, AuditEvent, Client


def client_ip(request) -> str | None:
    """The client's address, resolved as django-axes resolves it for lockouts
    (so both agree behind a configured proxy)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def record(request, action: str, obj: Client | Assessment, detail: str = "") -> AuditEvent:
    """Append an audit record of ``action`` by the request's user on ``obj``."""
    if isinstance(obj, Assessment):
        object_type, team_id = AuditEvent.ObjectType.ASSESSMENT, obj.client.team_id
    else:
        object_type, team_id = AuditEvent.ObjectType.CLIENT, obj.team_id
    return AuditEvent.objects.create(
        user=request.user,
        username=request.user.get_username(),
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        team_id=team_id,
        ip=client_ip(request),
        detail=detail[:200],
    )
