"""Drafts save themselves: the autosave endpoint keeps the rules of "Save draft"."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, AuditEvent, Finding
from factors.models import Factor
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client_record, caseworker):
    return Assessment.objects.create(client=client_record, caseworker=caseworker)


def data(assessment, **extra) -> dict:
    first = Factor.objects.first()
    values = {
        "date": "2025-04-01",
        "version": assessment.version,
        f"finding_{first.pk}": "present",
        f"note_{first.pk}": "Said she feels safer",
    }
    values.update(extra)
    return values


def test_an_autosave_saves_the_draft_and_returns_the_new_version(login, caseworker, draft):
    response = login(caseworker).post(reverse("assessments:autosave", args=[draft.pk]), data(draft))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2 and body["answered"] == 1 and body["seconds_left"] > 0
    finding = Finding.objects.get(assessment=draft, factor=Factor.objects.first())
    assert (finding.status, finding.note) == ("present", "Said she feels safer")


def test_an_autosave_on_an_outdated_copy_is_refused(login, caseworker, draft):
    http = login(caseworker)
    http.post(reverse("assessments:autosave", args=[draft.pk]), data(draft))
    response = http.post(reverse("assessments:autosave", args=[draft.pk]), data(draft))
    assert response.status_code == 409
    assert "Someone else saved" in response.json()["error"]


def test_a_completed_assessment_never_saves_itself_as_a_draft(login, caseworker, client_record):
    completed = make_assessment(client_record, caseworker)
    url = reverse("assessments:autosave", args=[completed.pk])
    assert login(caseworker).post(url, data(completed)).status_code == 409
    completed.refresh_from_db()
    assert completed.status == "completed"


def test_an_autosave_with_problems_saves_nothing_and_lists_them(login, caseworker, draft):
    response = login(caseworker).post(
        reverse("assessments:autosave", args=[draft.pk]), data(draft, date="2999-01-01")
    )
    assert response.status_code == 422
    assert any("future" in p for p in response.json()["problems"])
    draft.refresh_from_db()
    assert draft.version == 1


def test_autosaves_are_audited_once_in_ten_minutes_not_at_every_answer(login, caseworker, draft):
    http = login(caseworker)
    for _ in range(3):
        draft.refresh_from_db()
        http.post(reverse("assessments:autosave", args=[draft.pk]), data(draft))
    assert AuditEvent.objects.filter(action="change", object_id=draft.pk).count() == 1


def test_another_team_cannot_autosave(login, outsider, draft):
    response = login(outsider).post(reverse("assessments:autosave", args=[draft.pk]), data(draft))
    assert response.status_code == 404
