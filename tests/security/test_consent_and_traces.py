"""After consent is withdrawn nothing more is recorded; no client reference is
left in a cookie; looking at a record through any of its forms is audited."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditEvent, Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn(records):
    Client.objects.filter(pk=records.client.pk).update(data_consent_withdrawn_at=timezone.now())
    return records


def test_a_draft_cannot_be_saved_after_data_consent_is_withdrawn(as_role, withdrawn):
    http = as_role("caseworker")
    url = reverse("assessments:edit", args=[withdrawn.draft.pk])
    response = http.post(url, {"date": "2025-05-01", "version": withdrawn.draft.version})
    assert response.status_code == 302
    withdrawn.draft.refresh_from_db()
    assert withdrawn.draft.version == 1


def test_the_client_record_cannot_be_changed_after_data_consent_is_withdrawn(as_role, withdrawn):
    url = reverse("assessments:client_edit", args=[withdrawn.client.pk])
    response = as_role("caseworker").post(url, {"reference": "CHANGED-1"})
    assert response.status_code == 302
    assert not Client.objects.filter(reference="CHANGED-1").exists()


def test_no_message_naming_a_client_travels_in_a_cookie(as_role, records):
    http = as_role("caseworker")
    http.post(reverse("assessments:client_consent_withdraw", args=[records.client.pk, "stats"]))
    assert "messages" not in http.cookies


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("caseworker", "assessments:client_edit"),
        ("supervisor", "assessments:client_reassign"),
        ("supervisor", "assessments:client_erase"),
    ],
)
def test_opening_a_form_on_a_client_is_an_audited_view(as_role, records, role, name):
    as_role(role).get(reverse(name, args=[records.client.pk]))
    event = AuditEvent.objects.get(object_id=records.client.pk, action="view")
    assert event.object_type == "client" and event.team_id == records.client.team_id
