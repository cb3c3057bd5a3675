"""Workflows that touch several models at once."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import Assessment, Finding
from factors.models import Factor
from factors.versions import version_to_pin


def factors_for(assessment: Assessment) -> list[Factor]:
    """The factors the assessment form offers: every active factor, plus any
    factor already answered on this assessment (even if retired since)."""
    if assessment.pk is None:
        return list(Factor.objects.active())
    answered = assessment.findings.exclude(status="").values("factor_id")
    return list(Factor.objects.filter(Q(retired=False) | Q(pk__in=answered)))


@transaction.atomic
def save_assessment(
    assessment: Assessment,
    *,
    expected_version: int,
    date,
    stage: str,
    notes: str,
    answers: dict[int, tuple[str, str]],
    factors: list[Factor],
    complete: bool,
) -> None:
    """Write the assessment and its findings, or nothing (StaleAssessment).

    Each finding records the factor's label, level and role as they are now,
    so that the assessment keeps its meaning after later catalogue edits.
    """
    assessment.date, assessment.stage, assessment.notes = date, stage, notes
    if complete:
        assessment.status = Assessment.Status.COMPLETED
        assessment.completed_at = timezone.now()
        # Pinned: its results keep showing this version after later catalogue edits.
        assessment.catalogue_version = version_to_pin()
    else:
        assessment.status = Assessment.Status.DRAFT
        assessment.completed_at = None
        assessment.catalogue_version = None
    assessment.save_checked(
        expected_version,
        ["date", "stage", "notes", "status", "completed_at", "catalogue_version"],
    )

    existing = {f.factor_id: f for f in assessment.findings.all()}
    to_create, to_update = [], []
    for factor in factors:
        status, note = answers.get(factor.pk, ("", ""))
        finding = existing.get(factor.pk)
        if finding is None:
            finding = Finding(assessment=assessment, factor=factor)
            to_create.append(finding)
        else:
            to_update.append(finding)
        finding.status, finding.note = status, note
        finding.factor_label, finding.factor_level, finding.factor_role = (
            factor.label,
            factor.level,
            factor.role,
        )
    Finding.objects.bulk_create(to_create)
    Finding.objects.bulk_update(
        to_update, ["status", "note", "factor_label", "factor_level", "factor_role"]
    )
