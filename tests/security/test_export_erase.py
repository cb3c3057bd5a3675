"""A supervisor exports one client's complete record as JSON and erases it;
the erasure is audited without keeping anything about the person."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from assessments.models import Assessment, AuditEvent, Client, Finding

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_client_all_assessments_and_findings(as_role, records):
    records.draft.notes = "Draft notes"
    records.draft.save()
    response = as_role("supervisor").post(
        reverse("assessments:client_export", args=[records.client.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "N-0001" not in disposition
    record = json.loads(response.content)
    assert record["client"]["reference"] == "N-0001"
    assert record["client"]["nationality"] == "Romania"
    assert record["client"]["team"] == "North"
    assert len(record["assessments"]) == 2
    assert [a["status"] for a in record["assessments"]] == ["completed", "draft"]
    assert record["assessments"][1]["notes"] == "Draft notes"
    for exported, assessment in zip(
        record["assessments"], [records.completed, records.draft], strict=True
    ):
        assert len(exported["findings"]) == assessment.findings.count() > 0


def test_exporting_is_a_post_so_it_cannot_be_triggered_by_a_link(as_role, records):
    url = reverse("assessments:client_export", args=[records.client.pk])
    assert as_role("supervisor").get(url).status_code == 405


def test_erasing_requires_typing_the_reference(as_role, records):
    url = reverse("assessments:client_erase", args=[records.client.pk])
    http = as_role("supervisor")
    page = http.get(url)
    assert page.status_code == 200 and b'name="confirm"' in page.content
    for wrong in ["", "n-0001", "N-000", "S-0001"]:
        response = http.post(url, {"confirm": wrong})
        assert response.status_code == 200
    assert b"nothing was erased" in response.content
    assert Client.objects.filter(pk=records.client.pk).exists()
    assert not AuditEvent.objects.filter(action="erase").exists()


def test_erasing_removes_the_client_and_everything_about_them(as_role, records, supervisor):
    client_pk = records.client.pk
    assessment_pks = [records.completed.pk, records.draft.pk]
    http = as_role("supervisor")
    response = http.post(
        reverse("assessments:client_erase", args=[client_pk]), {"confirm": " N-0001 "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:clients")
    assert not Client.objects.filter(pk=client_pk).exists()
    assert not Assessment.objects.filter(pk__in=assessment_pks).exists()
    assert not Finding.objects.filter(assessment_id__in=assessment_pks).exists()
    erased = AuditEvent.objects.get(action="erase")
    assert (erased.object_type, erased.object_id, erased.user) == ("client", client_pk, supervisor)
    assert erased.detail == ""
    assert http.get(reverse("assessments:client", args=[client_pk])).status_code == 404
    assert Client.objects.filter(pk=records.south_client.pk).exists()


@pytest.mark.parametrize(("role", "status"), [("caseworker", 403), ("other_supervisor", 404)])
def test_only_a_supervisor_of_the_team_can_export_or_erase(as_role, records, role, status):
    http = as_role(role)
    export = reverse("assessments:client_export", args=[records.client.pk])
    erase = reverse("assessments:client_erase", args=[records.client.pk])
    assert http.post(export).status_code == status
    assert http.post(erase, {"confirm": "N-0001"}).status_code == status
    assert Client.objects.filter(pk=records.client.pk).exists()
    assert not AuditEvent.objects.filter(action__in=["export", "erase"]).exists()
