"""The audit row written with fixed statements (assessments/statements/audit_writes.py) is
the row the ORM wrote, and a draft's form and saves are folded as before."""

from __future__ import annotations

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone

from assessments import audit
from assessments.models import AuditEvent

KEPT = ("user_id", "username", "action", "object_type", "object_id", "team_id", "ip", "detail")


def request_of(user, address="2001:DB8:0:0::1"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = user
    return request


def row(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in KEPT}


def test_the_row_written_is_the_row_the_orm_wrote(records, caseworker):
    before = timezone.now()
    audit.record(request_of(caseworker), AuditEvent.Action.VIEW, records.completed, "x" * 250)
    written = AuditEvent.objects.get()
    expected = AuditEvent.objects.create(
        user=caseworker,
        username="owner",
        action="view",
        object_type="assessment",
        object_id=records.completed.pk,
        team_id=records.client.team_id,
        ip="2001:DB8:0:0::1",
        detail="x" * 200,
    )
    expected.refresh_from_db()
    assert row(written) == row(expected)
    assert written.ip == "2001:db8::1" and written.team_id == records.client.team_id
    assert before <= written.at <= timezone.now()


def test_a_client_row_names_the_clients_team(records, caseworker):
    audit.record(request_of(caseworker, "10.0.0.7"), AuditEvent.Action.CHANGE, records.client)
    written = AuditEvent.objects.get()
    assert row(written) == {
        "user_id": caseworker.pk,
        "username": "owner",
        "action": "change",
        "object_type": "client",
        "object_id": records.client.pk,
        "team_id": records.client.team_id,
        "ip": "10.0.0.7",
        "detail": "",
    }


def test_the_fold_keeps_one_row_per_stretch_of_the_same_work(records, caseworker, teammate):
    def fold(user=caseworker, obj=records.draft, detail="form", action=AuditEvent.Action.VIEW):
        audit.record(request_of(user), action, obj, detail, fold=True)
        return AuditEvent.objects.count()

    assert fold() == 1
    assert fold() == 1  # the same work again: folded
    assert fold(detail="draft saved") == 2
    assert fold(user=teammate) == 3
    assert fold(obj=records.completed) == 4
    assert fold(action=AuditEvent.Action.CHANGE) == 5
    audit.record(request_of(caseworker), AuditEvent.Action.VIEW, records.draft, "form")
    assert AuditEvent.objects.count() == 6  # without fold, every time


def test_a_row_older_than_the_window_is_not_folded_into(records, caseworker, settings):
    long_ago = timezone.now() - dt.timedelta(minutes=settings.AUDIT_DRAFT_MINUTES, seconds=1)
    AuditEvent.objects.create(
        at=long_ago,
        user=caseworker,
        username="owner",
        action="view",
        object_type="assessment",
        object_id=records.draft.pk,
        team_id=records.client.team_id,
        detail="form",
    )
    audit.record(request_of(caseworker), AuditEvent.Action.VIEW, records.draft, "form", fold=True)
    assert AuditEvent.objects.count() == 2
