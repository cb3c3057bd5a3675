"""Assessments: start, fill in (draft, autosave or complete), results, reopen,
delete, and the per-factor timeline of a client."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import audit, sessions
from assessments.access import can_edit_assessment, get_assessment_for, get_client_for
from assessments.forms import AssessmentForm, ReopenForm
from assessments.held import RESTORED_MESSAGE, hold_when_signed_out
from assessments.held import take as take_held
from assessments.models import Assessment, AuditEvent, DraftExists, StaleAssessment
from assessments.plans import services as plan_services
from assessments.progress import timeline_for
from assessments.recommendations import results_for
from assessments.rendering import fragments
from assessments.services import factors_for, save_assessment, start_assessment
from assessments.views.clients import CONSENT_WITHDRAWN
from factors.translations.services import translate_form, translate_labels, translate_shown
from factors.versions import changed_since, factors_shown, is_pinned

# Marked here, translated where they are used: _(STALE_MESSAGE).
STALE_MESSAGE = gettext_noop(
    "Someone else saved this assessment while you were editing it, so your changes were not "
    "saved. Everything you entered is shown below. Check the latest version (open it in another "
    "tab) and save again to replace it with yours."
)
DRAFT_EXISTS = gettext_noop("This client already has a draft assessment: it is open below.")
REOPEN_DRAFT_EXISTS = gettext_noop(
    "This client has a draft assessment: complete or delete it before reopening another one."
)
NOT_A_DRAFT = gettext_noop("Only a draft saves itself; use the buttons of the form.")
NOT_SAVED = gettext_noop("Not saved automatically yet: some answers need attention.")


@never_cache
@login_required
@require_POST
def assessment_start(request, client_pk: int):
    client = get_client_for(request.user, client_pk, perm="assessments.add_assessment")
    if not client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect(client)
    assessment, created = start_assessment(client, request.user)
    if created:
        audit.record(request, AuditEvent.Action.CREATE, assessment)
    else:
        messages.info(request, _(DRAFT_EXISTS))
    return redirect("assessments:edit", assessment.pk)


def _editable(request, pk: int) -> Assessment:
    assessment = get_assessment_for(request.user, pk, perm="assessments.change_assessment")
    if not can_edit_assessment(request.user, assessment):
        raise PermissionDenied
    return assessment


def _form(assessment: Assessment, data=None, *, completing=False, initial=None):
    findings = {f.factor_id: f for f in assessment.findings.all()}
    carried = {fid: f for fid, f in findings.items() if f.carried_over}
    form = AssessmentForm(
        data,
        initial=initial or AssessmentForm.initial_for(assessment, findings),
        factors=factors_for(assessment, findings.values()),
        client=assessment.client,
        completing=completing,
        carried=carried,
    )
    return translate_form(form)


def _save(assessment: Assessment, form: AssessmentForm, *, complete: bool) -> None:
    data = form.cleaned_data
    save_assessment(
        assessment,
        expected_version=data["version"],
        date=data["date"],
        stage=data["stage"],
        notes=data["notes"],
        answers=form.answers(),
        factors=form.factors,
        complete=complete,
    )


@never_cache
@hold_when_signed_out
@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk: int):
    assessment = _editable(request, pk)
    if not assessment.client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect("assessments:results", assessment.pk)
    if request.method == "POST":
        # A completed assessment is saved as completed: only a reopen makes a draft.
        completing = "complete" in request.POST or assessment.is_completed
        form = _form(assessment, request.POST, completing=completing)
        if form.is_valid():
            try:
                _save(assessment, form, complete=completing)
            except StaleAssessment:
                current = Assessment.objects.values_list("version", flat=True).get(pk=pk)
                posted = request.POST.copy()
                posted["version"] = current
                form = _form(assessment, posted, completing=completing)
                form.is_valid()
                form.add_error(None, _(STALE_MESSAGE))
            else:
                if completing:
                    audit.record(request, AuditEvent.Action.COMPLETE, assessment)
                    messages.success(request, _("Assessment completed."))
                    return redirect("assessments:results", assessment.pk)
                audit.record(
                    request, AuditEvent.Action.CHANGE, assessment, "draft saved", fold=True
                )
                messages.success(request, _("Draft saved."))
                return redirect("assessments:edit", assessment.pk)
    else:
        held = take_held(request.user, assessment)
        if held is not None:
            form = _form(assessment, held)
            messages.info(request, _(RESTORED_MESSAGE))
        else:
            form = _form(assessment)
        audit.record(request, AuditEvent.Action.VIEW, assessment, "form", fold=True)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "form": form,
            "assessment": assessment,
            "client": assessment.client,
            "previous_stage": assessment.carried_from.get_stage_display()
            if assessment.carried_from
            else "",
            "max_note": settings.MAX_NOTE_LENGTH,
            "session_left": sessions.time_left(request.session, renewing=True),
        },
    )


@never_cache
@hold_when_signed_out
@login_required
@require_POST
def assessment_autosave(request, pk: int):
    """Save a draft as it is typed (static/js/assessment-form.js), with the
    same optimistic locking as "Save draft". Answers in JSON; signed out, the
    sign-in redirect (the script reads it as "signed out"), the form held."""
    assessment = _editable(request, pk)
    if assessment.is_completed or not assessment.client.has_data_consent:
        return JsonResponse({"error": _(NOT_A_DRAFT)}, status=409)
    form = _form(assessment, request.POST)
    if not form.is_valid():
        return JsonResponse(
            {"error": _(NOT_SAVED), "problems": [m for _, m in form.error_summary()]}, status=422
        )
    try:
        _save(assessment, form, complete=False)
    except StaleAssessment:
        return JsonResponse({"error": _(STALE_MESSAGE)}, status=409)
    audit.record(
        request, AuditEvent.Action.CHANGE, assessment, "draft saved automatically", fold=True
    )
    left = sessions.time_left(request.session, renewing=True)
    return JsonResponse(
        {
            "version": assessment.version,
            "saved_at": timezone.localtime().strftime("%H:%M"),
            "answered": form.answered_count(),
            **left.as_json(),
        }
    )


@never_cache
@login_required
def assessment_results(request, pk: int):
    """What to sustain, build, limit and watch. A completed assessment shows its
    pinned catalogue version; ``?appendix=1`` adds the full evidence (for print)."""
    appendix = request.GET.get("appendix")
    if appendix not in (None, "1"):
        return HttpResponseBadRequest(_("appendix must be 1 or left out."))
    assessment = get_assessment_for(request.user, pk)
    findings = list(assessment.findings.select_related("factor"))
    factors = factors_shown(assessment, {f.factor_id for f in findings})
    audit.record(request, AuditEvent.Action.VIEW, assessment)
    # In the page's language (display only: nothing below saves a finding).
    findings, factors = translate_labels(findings), translate_shown(factors)
    results = results_for(findings, factors, assessment.client)
    # The catalogue's part of each recommendation, rendered once per pinned version and language.
    fragments.attach(
        [*(rec for _, _, _, items in results.sections for rec in items), *results.other_notes],
        assessment.catalogue_version if is_pinned(assessment) else None,
    )
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "results": results,
            "version": assessment.catalogue_version if assessment.is_completed else None,
            "changed_since": changed_since(assessment),
            "plan_panel": plan_services.results_panel(assessment, findings, request.user),
            "appendix": appendix == "1",
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
    """Reopen a completed assessment for correction: a supervisor's decision,
    with a reason (asked for on a page of its own when the form has none)."""
    assessment = get_assessment_for(request.user, pk, perm="assessments.reopen_assessment")
    if not assessment.client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return redirect("assessments:results", assessment.pk)
    if not assessment.is_completed:
        return redirect("assessments:results", assessment.pk)
    form = ReopenForm(request.POST if "reason" in request.POST else None)
    if not form.is_valid():
        audit.record(request, AuditEvent.Action.VIEW, assessment, "reopen form")
        return render(
            request,
            "assessments/assessment_reopen.html",
            {"form": form, "assessment": assessment, "client": assessment.client},
        )
    try:
        assessment.reopen(form.cleaned_data["reason"])
    except DraftExists:
        messages.error(request, _(REOPEN_DRAFT_EXISTS))
    except (StaleAssessment, IntegrityError):
        messages.error(request, _("The assessment changed meanwhile; try again."))
    else:
        audit.record(request, AuditEvent.Action.REOPEN, assessment, "with a reason")
        messages.success(request, _("The assessment is a draft again and can be corrected."))
    return redirect("assessments:results", assessment.pk)


@never_cache
@login_required
def client_timeline(request, pk: int):
    """What changed, factor by factor, across all completed assessments."""
    client = get_client_for(request.user, pk, perm="assessments.view_assessment")
    audit.record(request, AuditEvent.Action.VIEW, client, "timeline")
    return render(
        request,
        "assessments/timeline.html",
        {"client": client, "timeline": timeline_for(client)},
    )


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
    messages.success(request, _("Draft deleted."))
    return redirect(client)
