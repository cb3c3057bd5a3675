"""Saving an assessment writes only the findings whose answer, note, carried-over
mark or catalogue snapshot changed; the others stay as they were, and the
saved record is the same as if every finding had been written."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Finding
from assessments.services import factors_for, save_assessment


def save(assessment, answers, factors):
    assessment.refresh_from_db()
    save_assessment(
        assessment,
        expected_version=assessment.version,
        date=dt.date(2026, 1, 5),
        stage="",
        notes="",
        answers=answers,
        factors=factors,
        complete=False,
    )


def updates(captured) -> int:
    return sum(q["sql"].startswith('UPDATE "assessments_finding"') for q in captured)


def test_only_changed_findings_are_written(client_record, caseworker):
    assessment = Assessment.objects.create(client=client_record, caseworker=caseworker)
    factors = factors_for(assessment)
    answers = {f.pk: ("absent", "") for f in factors}
    save(assessment, answers, factors)
    assert assessment.findings.count() == len(factors)

    with CaptureQueriesContext(connection) as unchanged:
        save(assessment, answers, factors)
    assert updates(unchanged) == 0

    first, second = factors[0], factors[1]
    answers[first.pk] = ("present", "A note")
    answers[second.pk] = ("absent", "", True)  # carried over, not yet confirmed
    with CaptureQueriesContext(connection) as changed:
        save(assessment, answers, factors)
    assert updates(changed) == 1  # one statement for the rows that changed
    by_factor = {f.factor_id: f for f in assessment.findings.all()}
    assert (by_factor[first.pk].status, by_factor[first.pk].note) == ("present", "A note")
    assert by_factor[second.pk].carried_over is True
    assert all(
        f.status == "absent" and f.note == "" and not f.carried_over
        for pk, f in by_factor.items()
        if pk not in (first.pk, second.pk)
    )


def test_a_catalogue_label_change_reaches_the_snapshot_on_the_next_save(client_record, caseworker):
    assessment = Assessment.objects.create(client=client_record, caseworker=caseworker)
    factors = factors_for(assessment)
    answers = {f.pk: ("absent", "") for f in factors}
    save(assessment, answers, factors)
    factor = factors[0]
    factor.label = "A relabelled factor"
    factor.save()
    factors = factors_for(assessment)
    save(assessment, answers, factors)
    assert Finding.objects.get(assessment=assessment, factor=factor).factor_label == (
        "A relabelled factor"
    )


def test_one_changed_finding_is_one_plain_update(client_record, caseworker):
    assessment = Assessment.objects.create(client=client_record, caseworker=caseworker)
    factors = factors_for(assessment)
    answers = {f.pk: ("absent", "") for f in factors}
    save(assessment, answers, factors)
    factor = factors[3]
    answers[factor.pk] = ("present", "Changed on its own", True)
    with CaptureQueriesContext(connection) as changed:
        save(assessment, answers, factors)
    assert updates(changed) == 1
    assert "CASE" not in next(
        q["sql"] for q in changed if q["sql"].startswith('UPDATE "assessments_finding"')
    )
    finding = Finding.objects.get(assessment=assessment, factor=factor)
    assert (finding.status, finding.note, finding.carried_over) == (
        "present",
        "Changed on its own",
        True,
    )
    assert (finding.factor_label, finding.factor_level, finding.factor_role) == (
        factor.label,
        factor.level,
        factor.role,
    )
    others = Finding.objects.filter(assessment=assessment).exclude(factor=factor)
    assert all((f.status, f.note, f.carried_over) == ("absent", "", False) for f in others)
