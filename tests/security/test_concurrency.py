"""Two people editing the same assessment: the first save wins, the later one
is refused with a clear message, its input is shown back, and nothing the
first person saved is overwritten (optimistic locking on ``version``)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from assessments.views.assessment import STALE_MESSAGE

pytestmark = pytest.mark.django_db


def posted(assessment, notes: str, status: str, note: str) -> dict:
    data = {"date": "2025-04-02", "stage": "action", "notes": notes, "version": 1, "draft": "1"}
    for finding in assessment.findings.all():
        data[f"finding_{finding.factor_id}"] = status
        data[f"note_{finding.factor_id}"] = note
    return data


def test_the_later_save_is_refused_and_its_input_shown_back(as_role, records):
    url = reverse("assessments:edit", args=[records.draft.pk])
    first, second = as_role("caseworker"), as_role("teammate")
    assert b'name="version" value="1"' in first.get(url).content
    assert b'name="version" value="1"' in second.get(url).content

    saved = first.post(url, posted(records.draft, "First person's notes", "present", "seen"))
    assert saved.status_code == 302

    refused = second.post(url, posted(records.draft, "Second person's notes", "absent", "mine"))
    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    assert STALE_MESSAGE in page
    assert "Second person's notes" in page
    assert page.count("\nmine</textarea>") == records.draft.findings.count()
    assert re.search(r'value="absent"[^>]*checked', page)
    # the refused form now carries the current version, so saving again is deliberate
    assert 'name="version" value="2"' in page

    records.draft.refresh_from_db()
    assert records.draft.notes == "First person's notes"
    assert records.draft.version == 2
    assert set(records.draft.findings.values_list("status", flat=True)) == {"present"}
    assert set(records.draft.findings.values_list("note", flat=True)) == {"seen"}


def test_saving_again_after_the_refusal_replaces_the_first_save(as_role, records):
    url = reverse("assessments:edit", args=[records.draft.pk])
    first, second = as_role("caseworker"), as_role("teammate")
    first.post(url, posted(records.draft, "first", "present", ""))
    second.post(url, posted(records.draft, "second", "absent", ""))
    again = posted(records.draft, "second", "absent", "")
    again["version"] = 2
    assert second.post(url, again).status_code == 302
    records.draft.refresh_from_db()
    assert records.draft.notes == "second"
    assert records.draft.version == 3


def test_completing_a_stale_copy_is_refused_too(as_role, records):
    url = reverse("assessments:edit", args=[records.draft.pk])
    as_role("caseworker").post(url, posted(records.draft, "first", "present", ""))
    data = posted(records.draft, "second", "absent", "")
    data.pop("draft")
    data["complete"] = "1"
    response = as_role("teammate").post(url, data)
    assert response.status_code == 200
    records.draft.refresh_from_db()
    assert records.draft.status == "draft"
    assert records.draft.completed_at is None


def test_a_reopen_racing_an_edit_is_refused_not_lost(records):
    from assessments.models import Assessment, StaleAssessment

    records.draft.delete()  # one draft per client
    stale = Assessment.objects.get(pk=records.completed.pk)
    Assessment.objects.get(pk=records.completed.pk).reopen("A finding was recorded wrongly")
    with pytest.raises(StaleAssessment):
        stale.reopen("A finding was recorded wrongly")
