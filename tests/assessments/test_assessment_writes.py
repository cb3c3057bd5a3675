"""The version-checked UPDATE of an assessment, as a fixed statement
(assessments/assessment_writes.py): what it writes, and what it refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Assessment, StaleAssessment
from factors.versions import version_to_pin
from tests.conftest import make_assessment

FIELDS = ["date", "stage", "notes", "status", "completed_at", "catalogue_version"]


def stored(assessment) -> dict:
    row = Assessment.objects.get(pk=assessment.pk)
    return {f.attname: getattr(row, f.attname) for f in Assessment._meta.concrete_fields}


def test_a_save_with_the_current_version_writes_the_fields_and_bumps_it(client_record, caseworker):
    draft = make_assessment(client_record, caseworker, completed=False, date=dt.date(2025, 1, 5))
    before, started = stored(draft), timezone.now()
    draft.date, draft.stage, draft.notes = dt.date(2025, 5, 20), "action", "Notes ‘quoted’ %s"
    draft.status, draft.completed_at = Assessment.Status.COMPLETED, timezone.now()
    draft.catalogue_version = version_to_pin()
    draft.reopen_reason = "not in the fields: not written"
    draft.save_checked(draft.version, FIELDS)
    after = stored(draft)
    assert draft.version == after["version"] == before["version"] + 1
    expected = {
        **before,
        "date": dt.date(2025, 5, 20),
        "quarter": dt.date(2025, 4, 1),
        "stage": "action",
        "notes": "Notes ‘quoted’ %s",
        "status": "completed",
        "completed_at": draft.completed_at,
        "catalogue_version_id": draft.catalogue_version.pk,
        "version": before["version"] + 1,
        "updated_at": after["updated_at"],
    }
    assert after == expected
    assert started <= after["updated_at"] <= timezone.now()


def test_a_save_with_an_older_version_is_refused_and_writes_nothing(client_record, caseworker):
    draft = make_assessment(client_record, caseworker, completed=False)
    draft.save_checked(draft.version, ["notes"])
    before = stored(draft)
    stale = Assessment.objects.get(pk=draft.pk)
    stale.notes, stale.stage = "overwritten", "action"
    with pytest.raises(StaleAssessment):
        stale.save_checked(before["version"] - 1, ["notes", "stage"])
    assert stored(draft) == before


def test_another_assessment_with_the_same_version_is_untouched(client_record, caseworker):
    one = make_assessment(client_record, caseworker, completed=False)
    other = make_assessment(client_record, caseworker, date=dt.date(2024, 2, 2))
    before = stored(other)
    one.notes = "mine"
    one.save_checked(one.version, ["notes"])
    assert stored(other) == before and stored(one)["notes"] == "mine"
