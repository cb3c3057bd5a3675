"""Reopening a completed assessment: a supervisor's decision with a reason, never
while the client has another draft, and the page that asks for the reason is
audited like every page that shows a client record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, AuditEvent, DraftExists
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db


def test_reopening_while_the_client_has_a_draft_is_refused_by_the_model(client_record):
    completed = make_assessment(client_record)
    make_assessment(client_record, completed=False)
    with pytest.raises(DraftExists):
        completed.reopen("A correction")
    assert Assessment.objects.get(pk=completed.pk).status == "completed"


def test_the_view_says_why_when_a_draft_exists(login, supervisor, client_record):
    completed = make_assessment(client_record)
    make_assessment(client_record, completed=False)
    response = login(supervisor).post(
        reverse("assessments:reopen", args=[completed.pk]), {"reason": "A correction"}, follow=True
    )
    assert "complete or delete it before reopening another one" in response.content.decode()
    assert Assessment.objects.get(pk=completed.pk).status == "completed"


def test_the_page_asking_for_the_reason_is_audited(login, supervisor, client_record):
    completed = make_assessment(client_record)
    response = login(supervisor).post(reverse("assessments:reopen", args=[completed.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_id=completed.pk)
    assert (event.username, event.detail) == ("supervisor", "reopen form")
