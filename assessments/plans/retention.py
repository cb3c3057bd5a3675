"""Erasing closed cases once their retention period has passed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from assessments.models import AuditEvent
from assessments.plans.models import Case

RETENTION_USER = "retention (erase_closed_cases)"


def cases_past_retention(today: dt.date):
    return (
        Case.objects.erasable_on(today, settings.CASE_RETENTION_DAYS)
        .select_related("client", "client__team")
        .order_by("closed_on", "id")
    )


def erase_case(case: Case) -> None:
    """Erase the client of a closed case, as a supervisor's erasure does: the
    audit trail keeps that it happened, when and the record's id, nothing more."""
    client = case.client
    with transaction.atomic():
        AuditEvent.objects.create(
            user=None,
            username=RETENTION_USER,
            action=AuditEvent.Action.ERASE,
            object_type=AuditEvent.ObjectType.CLIENT,
            object_id=client.pk,
            team_id=client.team_id,
            detail=f"retention period of {settings.CASE_RETENTION_DAYS} days passed",
        )
        client.delete()
