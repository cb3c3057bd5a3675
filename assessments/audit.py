from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from assessments.models import Assessment, AuditEvent, Client
from assessments.statements import audit_writes

# The details this app records, as the audit page shows them in the reader's
# language. The stored detail stays in English (the trail is not rewritten);
# a detail not listed here (one with an id or a reason in it) is shown as stored.
DETAIL_LABELS = {
    "draft saved": pgettext_lazy("audit detail", "draft saved"),
    "draft saved automatically": pgettext_lazy("audit detail", "draft saved automatically"),
    "form": pgettext_lazy("audit detail", "form"),
    "reopen form": pgettext_lazy("audit detail", "reopen form"),
    "with a reason": pgettext_lazy("audit detail", "with a reason"),
    "timeline": pgettext_lazy("audit detail", "timeline"),
    "details or consent": pgettext_lazy("audit detail", "details or consent"),
    "edit form": pgettext_lazy("audit detail", "edit form"),
    "data consent withdrawn": pgettext_lazy("audit detail", "data consent withdrawn"),
    "stats consent withdrawn": pgettext_lazy("audit detail", "stats consent withdrawn"),
    "reassign form": pgettext_lazy("audit detail", "reassign form"),
    "erase form": pgettext_lazy("audit detail", "erase form"),
}


def client_ip(request) -> str | None:
    """The client's address, resolved as django-axes resolves it for lockouts
    (so both agree behind a configured proxy)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def record(
    request, action: str, obj: Client | Assessment, detail: str = "", *, fold: bool = False
) -> None:
    """Append an audit record of ``action`` by the request's user on ``obj``
    (with fixed statements: ``audit_writes``).

    With ``fold`` (draft saves and the draft form), the same action with the
    same detail on the same record by the same user is recorded once per
    AUDIT_DRAFT_MINUTES: autosave and save-then-reload leave one row per
    stretch of work instead of one per keystroke pause.
    """
    if isinstance(obj, Assessment):
        object_type, team_id = AuditEvent.ObjectType.ASSESSMENT, obj.client.team_id
    else:
        object_type, team_id = AuditEvent.ObjectType.CLIENT, obj.team_id
    same = {
        "user": request.user.pk,
        "action": action,
        "object_type": object_type,
        "object_id": obj.pk,
        "detail": detail[:200],
    }
    now = timezone.now()
    if fold and audit_writes.written_since(
        now - dt.timedelta(minutes=settings.AUDIT_DRAFT_MINUTES), **same
    ):
        return
    audit_writes.write(
        at=now,
        username=request.user.get_username(),
        team=team_id,
        ip=client_ip(request),
        **same,
    )


def record_report(request, action: str, team_ids, detail: str) -> None:
    """One REPORT record per team a report or team view covers, in one insert,
    so that each team's supervisors see it in their trail."""
    user, ip = request.user, client_ip(request)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=user,
            username=user.get_username(),
            action=action,
            object_type=AuditEvent.ObjectType.REPORT,
            object_id=None,
            team_id=team_id,
            ip=ip,
            detail=detail[:200],
        )
        for team_id in team_ids
    )


def record_clients(request, action: str, clients, detail: str = "") -> None:
    """One record of ``action`` per client (each once), in one insert: for a page
    that lists several clients' records."""
    user, ip = request.user, client_ip(request)
    seen: dict[int, Client] = {client.pk: client for client in clients}
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=user,
            username=user.get_username(),
            action=action,
            object_type=AuditEvent.ObjectType.CLIENT,
            object_id=client.pk,
            team_id=client.team_id,
            ip=ip,
            detail=detail[:200],
        )
        for client in seen.values()
    )


def attach_links(user, events: list[AuditEvent]) -> list[AuditEvent]:
    """Set ``event.link`` to the record's page where ``user`` may open it now,
    else None (an erased record or one outside the user's teams gets no link
    and no hint why). Two queries for any number of events."""
    wanted = {kind: set() for kind in AuditEvent.ObjectType.values}
    for event in events:
        if event.object_id is not None:
            wanted[event.object_type].add(event.object_id)
    client_ids: set[int] = set()
    assessment_ids: set[int] = set()
    if wanted["client"] and user.has_perm("assessments.view_client"):
        client_ids = set(
            Client.objects.for_user(user)
            .filter(pk__in=wanted["client"])
            .values_list("pk", flat=True)
        )
    if wanted["assessment"] and user.has_perm("assessments.view_assessment"):
        assessment_ids = set(
            Assessment.objects.for_user(user)
            .filter(pk__in=wanted["assessment"])
            .values_list("pk", flat=True)
        )
    for event in events:
        event.link = None
        if event.object_type == AuditEvent.ObjectType.CLIENT and event.object_id in client_ids:
            event.link = reverse("assessments:client", args=[event.object_id])
        elif (
            event.object_type == AuditEvent.ObjectType.ASSESSMENT
            and event.object_id in assessment_ids
        ):
            event.link = reverse("assessments:results", args=[event.object_id])
    return events


def label_details(events: list[AuditEvent]) -> list[AuditEvent]:
    """Set ``event.detail_label``: the detail in the reader's language where it
    is one of the fixed details above, else as it was stored."""
    for event in events:
        event.detail_label = DETAIL_LABELS.get(event.detail, event.detail)
    return events
