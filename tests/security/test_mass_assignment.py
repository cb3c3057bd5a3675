"""Fields a form does not offer are ignored when posted: a caseworker cannot
move a record to another team, reassign it, set an assessment's status,
author, timestamps or version, or pick records of another team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Client

pytestmark = pytest.mark.django_db

SNEAKY = {
    "id": 999,
    "pk": 999,
    "created_at": "2001-01-01T00:00:00Z",
    "updated_at": "2001-01-01T00:00:00Z",
    "created_by": 1,
    "data_consent_withdrawn_at": "2001-01-01T00:00:00Z",
    "stats_consent_withdrawn_at": "2001-01-01T00:00:00Z",
}


def client_data(**overrides):
    data = {
        "reference": "N-0100",
        "age_group": "adult",
        "data_consent_on": "2025-01-02",
        "data_consent_method": "written",
    }
    data.update(overrides)
    return data


def test_creating_a_client_ignores_fields_the_form_does_not_offer(
    as_role, records, north, caseworker
):
    data = client_data(team=north.pk, caseworker=caseworker.pk, **SNEAKY)
    response = as_role("caseworker").post(reverse("assessments:client_new"), data)
    assert response.status_code == 302
    created = Client.objects.get(reference="N-0100")
    assert created.pk != 999
    assert created.created_at.year > 2001
    assert created.data_consent_withdrawn_at is None
    assert created.stats_consent_withdrawn_at is None


def test_a_client_cannot_be_created_in_another_team(as_role, records, south):
    response = as_role("caseworker").post(
        reverse("assessments:client_new"), client_data(team=south.pk)
    )
    assert response.status_code == 200
    assert not Client.objects.filter(reference="N-0100").exists()


def test_a_client_cannot_be_given_a_caseworker_of_another_team(as_role, records, north, outsider):
    response = as_role("caseworker").post(
        reverse("assessments:client_new"), client_data(team=north.pk, caseworker=outsider.pk)
    )
    assert response.status_code == 200
    assert not Client.objects.filter(reference="N-0100").exists()


def test_editing_a_client_ignores_a_posted_team_and_caseworker(
    as_role, records, south, teammate, outsider
):
    url = reverse("assessments:client_edit", args=[records.client.pk])
    data = client_data(reference="N-0001", team=south.pk, caseworker=teammate.pk, **SNEAKY)
    assert as_role("caseworker").post(url, data).status_code == 302
    records.client.refresh_from_db()
    assert records.client.team.name == "North"
    assert records.client.caseworker.username == "owner"  # reassigning is a supervisor's job
    assert records.client.data_consent_withdrawn_at is None
    assert records.client.age_group == "adult"


def test_the_edit_form_does_not_offer_the_team_or_the_caseworker(as_role, records):
    html = (
        as_role("caseworker")
        .get(reverse("assessments:client_edit", args=[records.client.pk]))
        .content
    )
    assert b'name="team"' not in html
    assert b'name="caseworker"' not in html


def test_saving_an_assessment_ignores_status_author_client_and_timestamps(
    as_role, records, teammate
):
    url = reverse("assessments:edit", args=[records.draft.pk])
    data = {
        "date": "2025-04-02",
        "notes": "ok",
        "version": 1,
        "draft": "1",
        "status": "completed",
        "completed_at": "2001-01-01T00:00:00Z",
        "caseworker": teammate.pk,
        "client": records.south_client.pk,
        "created_at": "2001-01-01T00:00:00Z",
        "id": 999,
    }
    assert as_role("caseworker").post(url, data).status_code == 302
    draft = Assessment.objects.get(pk=records.draft.pk)
    assert draft.status == "draft"
    assert draft.completed_at is None
    assert draft.caseworker.username == "owner"
    assert draft.client_id == records.client.pk
    assert draft.created_at.year > 2001


def test_a_posted_version_cannot_skip_the_lock(as_role, records):
    url = reverse("assessments:edit", args=[records.draft.pk])
    data = {"date": "2025-04-02", "notes": "jump", "version": 50, "draft": "1"}
    assert as_role("caseworker").post(url, data).status_code == 200
    draft = Assessment.objects.get(pk=records.draft.pk)
    assert draft.version == 1
    assert draft.notes == ""


def test_starting_an_assessment_ignores_a_posted_author_or_client(as_role, records, teammate):
    url = reverse("assessments:start", args=[records.client.pk])
    data = {"caseworker": teammate.pk, "client": records.south_client.pk, "status": "completed"}
    assert as_role("caseworker").post(url, data).status_code == 302
    started = Assessment.objects.latest("id")
    assert started.caseworker.username == "owner"
    assert started.client_id == records.client.pk
    assert started.status == "draft"


def test_reassigning_ignores_a_posted_team_or_reference(as_role, records, south, teammate):
    url = reverse("assessments:client_reassign", args=[records.client.pk])
    data = {"caseworker": teammate.pk, "team": south.pk, "reference": "HIJACK"}
    assert as_role("supervisor").post(url, data).status_code == 302
    records.client.refresh_from_db()
    assert (records.client.team.name, records.client.reference) == ("North", "N-0001")
    assert records.client.caseworker == teammate
