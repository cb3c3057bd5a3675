"""A client's complete record, for a subject-access export: everything held
about them, with each completed assessment shown as it was completed (its
catalogue version), the review's sentences and our guidance under separate keys."""

from __future__ import annotations

from django.utils import timezone

from assessments.models import Client, Finding
from assessments.plans.services import case_record, plan_records
from factors.versions import catalogue_shown, factor_record


def client_record(client: Client) -> dict:
    """Everything held about one client, for a subject-access export."""
    assessments = list(
        client.assessments.select_related("caseworker", "catalogue_version").order_by("date", "id")
    )
    rows = list(Finding.objects.filter(assessment__client=client).order_by("assessment_id", "id"))
    shown = catalogue_shown(assessments, rows)
    findings: dict[int, list] = {}
    for f in rows:
        factor = shown[f.assessment_id].get(f.factor_id)
        findings.setdefault(f.assessment_id, []).append(
            {
                "factor": f.factor_label,
                "level": f.factor_level,
                "role": f.factor_role,
                "status": f.status,
                "note": f.note,
            }
            | (factor_record(factor) if factor else {})
        )
    return {
        "exported_at": timezone.now().isoformat(),
        "client": {
            "reference": client.reference,
            "team": client.team.name,
            "caseworker": client.caseworker.get_username() if client.caseworker else None,
            "age_group": client.age_group,
            "route": client.route,
            "setting": client.setting,
            "nationality": client.nationality,
            "language": client.language,
            "data_consent_on": client.data_consent_on.isoformat(),
            "data_consent_method": client.data_consent_method,
            "data_consent_withdrawn_at": client.data_consent_withdrawn_at
            and client.data_consent_withdrawn_at.isoformat(),
            "stats_consent_on": client.stats_consent_on and client.stats_consent_on.isoformat(),
            "stats_consent_withdrawn_at": client.stats_consent_withdrawn_at
            and client.stats_consent_withdrawn_at.isoformat(),
            "created_at": client.created_at.isoformat(),
        },
        "assessments": [
            {
                "date": a.date.isoformat(),
                "caseworker": a.caseworker.get_username() if a.caseworker else None,
                "status": a.status,
                "stage_of_change": a.stage,
                "notes": a.notes,
                "completed_at": a.completed_at and a.completed_at.isoformat(),
                "catalogue_version": a.catalogue_version.number
                if a.is_completed and a.catalogue_version
                else None,
                "findings": findings.get(a.pk, []),
            }
            for a in assessments
        ],
        "case": case_record(client),
        "plans": plan_records(client),
    }
