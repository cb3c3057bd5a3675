"""Assessments: start, fill in (draft or complete), results, reopen, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import audit
from assessments.access import can_edit_assessment, get_assessment_for, get_client_for
from assessments.forms import AssessmentForm
from assessments.models import Assessment, AuditEvent, StaleAssessment
from assessments.recommendations import GROUPS, recommendations_for
from assessments.services import factors_for, save_assessment
from assessments.views.clients import CONSENT_WITHDRAWN

STALE_MESSAGE = (
    "Someone else saved this assessment while you were editing it, so your changes were not "
    "saved. Everything you entered is shown below. Check the latest version (open it in another "
    "tab) and save again to replace it with yours."
)


@never_cache
@login_required
@require_POST
def assessment_start(request, client_pk: int):
    client = get_client_for(request.user, client_pk, perm="assessments.add_assessment")
    if not client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect(client)
    assessment = Assessment.objects.create(client=client, caseworker=request.user)
    audit.record(request, AuditEvent.Action.CREATE, assessment)
    return redirect("assessments:edit", assessment.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk: int):
    assessment = get_assessment_for(request.user, pk, perm="assessments.change_assessment")
    if not can_edit_assessment(request.user, assessment):
        raise PermissionDenied
    if not assessment.client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect("assessments:results", assessment.pk)
    factors = factors_for(assessment)
    if request.method == "POST":
        completing = "complete" in request.POST
        form = AssessmentForm(request.POST, factors=factors, completing=completing)
        if form.is_valid():
            data = form.cleaned_data
            try:
                save_assessment(
                    assessment,
                    expected_version=data["version"],
                    date=data["date"],
                    stage=data["stage"],
                    notes=data["notes"],
                    answers=form.answers(),
                    factors=factors,
                    complete=completing,
                )
            except StaleAssessment:
                current = Assessment.objects.values_list("version", flat=True).get(pk=pk)
                posted = request.POST.copy()
                posted["version"] = current
                form = AssessmentForm(posted, factors=factors, completing=completing)
                form.is_valid()
                form.add_error(None, STALE_MESSAGE)
            else:
                if completing:
                    audit.record(request, AuditEvent.Action.COMPLETE, assessment)
                    messages.success(request, "Assessment completed.")
                    return redirect("assessments:results", assessment.pk)
                audit.record(
                    request, AuditEvent.Action.CHANGE, assessment, "draft saved", fold=True
                )
                messages.success(request, "Draft saved.")
                return redirect("assessments:edit", assessment.pk)
        if not form.non_field_errors():
            messages.error(request, "Some answers need attention; nothing you entered is lost.")
    else:
        findings = {f.factor_id: f for f in assessment.findings.all()}
        form = AssessmentForm(
            initial=AssessmentForm.initial_for(assessment, findings), factors=factors
        )
        audit.record(request, AuditEvent.Action.VIEW, assessment, "form", fold=True)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "assessment": assessment, "client": assessment.client},
    )


@never_cache
@login_required
def assessment_results(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    findings = list(assessment.findings.select_related("factor"))
    groups = recommendations_for(findings, assessment.client)
    audit.record(request, AuditEvent.Action.VIEW, assessment)
    not_assessed = sorted(
        (f for f in findings if f.status in ("not_assessed", "")),
        key=lambda f: (f.factor.level_order, f.factor.role_order, f.factor.position),
    )
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "groups": [(key, title, intro, groups[key]) for key, title, intro in GROUPS],
            "not_assessed": not_assessed,
            "can_edit": can_edit_assessment(request.user, assessment),
            "can_reopen": assessment.is_completed
            and assessment.client.has_data_consent
            and request.user.has_perm("assessments.reopen_assessment"),
        },
    )


@never_cache
@login_required
@require_POST
def assessment_reopen(request, pk: int):
    assessment = get_assessment_for(request.user, pk, perm="assessments.reopen_assessment")
    if not assessment.client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
    elif assessment.is_completed:
        try:
            assessment.reopen()
        except StaleAssessment:
            messages.error(request, "The assessment changed meanwhile; try again.")
        else:
            audit.record(request, AuditEvent.Action.REOPEN, assessment)
            messages.success(request, "The assessment is a draft again and can be corrected.")
    return redirect("assessments:results", assessment.pk)


@never_cache
@login_required
@require_POST
def assessment_delete(request, pk: int):
    """Delete a draft (a completed assessment is part of the record)."""
    assessment = get_assessment_for(request.user, pk, perm="assessments.delete_assessment")
    if assessment.is_completed or not can_edit_assessment(request.user, assessment):
        raise PermissionDenied
    client = assessment.client
    if not client.has_data_consent:
        # Kept as it is for the person's export or erasure, like the rest of the record.
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect(client)
    audit.record(request, AuditEvent.Action.DELETE, assessment)
    assessment.delete()
    messages.success(request, "Draft deleted.")
    return redirect(client)
