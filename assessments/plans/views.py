"""Support plan pages: start, view, focus factors, actions, referrals, the
client's copy, the client's agreement, and opening or closing a case.

Every view fetches through ``assessments.access`` (404 outside the team),
audits what it shows or changes (against the client, with the plan's id), and
hands the work to ``assessments.plans.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import audit
from assessments.access import (
    get_assessment_for,
    get_client_for,
    get_plan_for,
    require,
    teams_for,
)
from assessments.models import AuditEvent
from assessments.plans import services
from assessments.plans.forms import (
    ActionForm,
    AgreementForm,
    CloseCaseForm,
    FocusForm,
    ReferralForm,
    StartPlanForm,
)
from assessments.plans.models import Plan, PlanAction, Referral, StalePlan
from assessments.plans.team import team_figures
from assessments.views.clients import CONSENT_WITHDRAWN
from factors.translations.services import translate_labels

STALE = gettext_lazy(
    "Someone else changed this plan while you were working on it, so your change was not "
    "saved. What you entered is kept below: check the plan (open it in another tab) and save "
    "again."
)
A = AuditEvent.Action


def _consent_withdrawn(request, client) -> bool:
    """A closed case is refused before this, by ``access`` (``refuse_if_closed``)."""
    if not client.has_data_consent:
        messages.error(request, CONSENT_WITHDRAWN)
        return True
    return False


def _rebind_stale(form_class, request, current_version: int, **kwargs):
    """The posted form again, on the current version, with the stale message."""
    posted = request.POST.copy()
    posted["version"] = current_version
    form = form_class(posted, **kwargs)
    form.is_valid()
    form.add_error(None, STALE)
    return form


def _language_name(code: str) -> str:
    """A language's name as ``settings.LANGUAGES`` gives it, in the language in use."""
    return str(dict(settings.LANGUAGES).get(code, code))


def _current_version(plan: Plan) -> int:
    return Plan.objects.values_list("version", flat=True).get(pk=plan.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_start(request, pk: int):
    """The plan of a completed assessment: open it, or make it (reviewing the
    open actions of the client's last plan)."""
    assessment = get_assessment_for(request.user, pk, perm="assessments.add_plan")
    existing = Plan.objects.filter(assessment=assessment).first()
    if existing is not None:
        return redirect(existing)
    if not assessment.is_completed:
        messages.error(request, _("A plan starts from a completed assessment."))
        return redirect("assessments:results", assessment.pk)
    if _consent_withdrawn(request, assessment.client):
        return redirect(assessment.client)
    previous = services.previous_plan(assessment)
    actions = list(services.open_actions(previous)) if previous else []
    form = StartPlanForm(
        request.POST or None, open_actions=actions, assessment_date=assessment.date
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_plan(
                assessment,
                user=request.user,
                previous=previous,
                actions=actions,
                next_review_on=form.cleaned_data["next_review_on"],
                reviews=form.reviews(),
            )
        except IntegrityError:  # a colleague started it at the same moment
            messages.info(request, _("A plan for this assessment was just started; here it is."))
            return redirect("plans:start", assessment.pk)
        except StalePlan:  # the previous plan changed since this request read it
            previous = services.previous_plan(assessment)
            actions = list(services.open_actions(previous)) if previous else []
            form = StartPlanForm(
                request.POST, open_actions=actions, assessment_date=assessment.date
            )
            form.is_valid()
            form.add_error(
                None, _("The previous plan changed meanwhile; review its actions again.")
            )
        else:
            audit.record(request, A.CREATE, assessment.client, f"plan {plan.pk}")
            messages.success(request, _("Plan started. Choose the focus factors with the client."))
            return redirect("plans:focus", plan.pk)
    if request.method == "GET":
        audit.record(request, A.VIEW, assessment.client, f"plan start form, assessment {pk}")
    return render(
        request,
        "assessments/plans/plan_start.html",
        {"form": form, "assessment": assessment, "client": assessment.client, "previous": previous},
    )


@never_cache
@login_required
def plan_detail(request, pk: int):
    plan = services.plan_with_parts(get_plan_for(request.user, pk))
    focus = translate_labels(plan.focus_factors.all())  # in the page's language (display only)
    suggestions = services.services_to_suggest((f.factor_id, f.kind) for f in focus)
    audit.record(request, A.VIEW, plan.client, f"plan {plan.pk}")
    user = request.user
    return render(
        request,
        "assessments/plans/plan_detail.html",
        {
            "plan": plan,
            "client": plan.client,
            "focus": [(f, suggestions.get(f.factor_id, [])) for f in focus],
            "closed": services.is_closed(plan.client),
            "can_change": user.has_perm("assessments.change_plan"),
            "later_plans": Plan.objects.filter(previous=plan).values_list("pk", flat=True),
            "changes": services.plan_changes(plan),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_focus(request, pk: int):
    plan = get_plan_for(request.user, pk, perm="assessments.change_plan")
    if _consent_withdrawn(request, plan.client):
        return redirect(plan)
    findings = list(plan.assessment.findings.select_related("factor"))
    candidates = services.candidates(findings)
    day = plan.assessment.date
    if request.method == "POST":
        form = FocusForm(request.POST, candidates=candidates, assessment_date=day)
        if form.is_valid():
            try:
                services.save_focus(
                    plan,
                    expected_version=form.cleaned_data["version"],
                    next_review_on=form.cleaned_data["next_review_on"],
                    chosen=form.chosen(),
                    candidates_by_factor={c.factor_id: c for c in candidates},
                )
            except StalePlan:
                form = _rebind_stale(
                    FocusForm,
                    request,
                    _current_version(plan),
                    candidates=candidates,
                    assessment_date=day,
                )
            else:
                audit.record(request, A.CHANGE, plan.client, f"plan {plan.pk} focus factors")
                messages.success(request, _("Focus factors saved."))
                return redirect(plan)
    else:
        form = FocusForm(
            initial=FocusForm.initial_for(plan, candidates),
            candidates=candidates,
            assessment_date=day,
        )
        audit.record(request, A.VIEW, plan.client, f"plan {plan.pk} focus form")
    return render(
        request,
        "assessments/plans/plan_focus.html",
        {"form": form, "plan": plan, "client": plan.client},
    )


def _edit_part(request, plan: Plan, instance, form_class, kind: str):
    """Add or change an action or a referral of ``plan``."""
    if _consent_withdrawn(request, plan.client):
        return redirect(plan)
    initial = {"version": plan.version}
    form = form_class(request.POST or None, instance=instance, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        part = form.save(commit=False)
        if isinstance(part, Referral):
            part.plan = plan
        try:
            services.save_part(plan, part, expected_version=form.cleaned_data["version"])
        except StalePlan:
            form = _rebind_stale(
                form_class, request, _current_version(plan), instance=instance, plan=plan
            )
        else:
            verb = A.CHANGE if instance.pk else A.CREATE
            audit.record(request, verb, plan.client, f"plan {plan.pk} {kind} {part.pk}")
            messages.success(
                request,
                _("The action is saved.") if kind == "action" else _("The referral is saved."),
            )
            return redirect(plan)
    if request.method == "GET":
        audit.record(request, A.VIEW, plan.client, f"plan {plan.pk} {kind} form")
    return render(
        request,
        "assessments/plans/part_form.html",
        {"form": form, "plan": plan, "client": plan.client, "kind": kind, "part": instance},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int, action_pk: int | None = None):
    plan = get_plan_for(request.user, pk, perm="assessments.change_plan")
    if action_pk is None:
        if not plan.focus_factors.exists():
            messages.error(request, _("Choose a focus factor first: every action serves one."))
            return redirect("plans:focus", plan.pk)
        action = PlanAction()
    else:
        action = get_object_or_404(PlanAction, pk=action_pk, focus__plan=plan)
    return _edit_part(request, plan, action, ActionForm, "action")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request, pk: int, referral_pk: int | None = None):
    plan = get_plan_for(request.user, pk, perm="assessments.change_plan")
    if referral_pk is None:
        referral = Referral(plan=plan)
    else:
        referral = get_object_or_404(Referral, pk=referral_pk, plan=plan)
    return _edit_part(request, plan, referral, ReferralForm, "referral")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_agreement(request, pk: int):
    plan = get_plan_for(request.user, pk, perm="assessments.change_plan")
    if _consent_withdrawn(request, plan.client):
        return redirect(plan)
    initial = {"version": plan.version, "agreed_on": plan.agreed_on, "agreed_how": plan.agreed_how}
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_agreement(
                plan,
                expected_version=data["version"],
                agreed_on=data["agreed_on"],
                agreed_how=data["agreed_how"],
            )
        except StalePlan:
            form = _rebind_stale(AgreementForm, request, _current_version(plan))
        else:
            audit.record(request, A.CHANGE, plan.client, f"plan {plan.pk} agreement")
            messages.success(request, _("The client's agreement is recorded."))
            return redirect(plan)
    if request.method == "GET":
        audit.record(request, A.VIEW, plan.client, f"plan {plan.pk} agreement form")
    return render(
        request,
        "assessments/plans/agreement.html",
        {"form": form, "plan": plan, "client": plan.client},
    )


@never_cache
@login_required
def plan_copy(request, pk: int):
    """The client's own copy, in plain words: no notes, no jargon, and the
    studies only when asked for (``?studies=1``); ``?large=1`` for large print."""
    flags = {}
    for name in ("large", "studies"):
        value = request.GET.get(name, "0")
        if value not in ("0", "1"):
            raise Http404
        flags[name] = value == "1"
    plan = services.plan_with_parts(get_plan_for(request.user, pk))
    focus = list(plan.focus_factors.all())
    audit.record(request, A.VIEW, plan.client, f"plan {plan.pk} client copy")
    language = services.copy_language(plan.client)
    # The copy itself, dates included, in the client's language; the page around
    # it (the caseworker's buttons) stays in the caseworker's.
    with translation.override(language):
        evidence = services.copy_catalogue_text(focus, language, studies=flags["studies"])
        copy = {
            "plan": plan,
            "focus": [(f, evidence.get(f.factor_id, [])) for f in focus],
            "referrals": [r for r in plan.referrals.all() if r.status != Referral.Status.DECLINED],
            "translation_reviewed": services.translation_reviewed(language),
            **flags,
        }
        body = render_to_string("assessments/plans/client_copy_body.html", copy, request)
        title = _("Your plan")
    return render(
        request,
        "assessments/plans/client_copy.html",
        {
            "plan": plan,
            "client": plan.client,
            "copy_body": body,
            "copy_title": title,
            "copy_language_name": _language_name(language),
            "can_change_language": request.user.has_perm("assessments.change_client"),
            **flags,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, pk: int):
    client = get_client_for(request.user, pk, perm="assessments.change_case")
    case = services.case_of(client)
    if case is not None and case.is_closed:
        messages.info(request, _("The case is already closed."))
        return redirect(client)
    form = CloseCaseForm(request.POST or None, initial={"version": case.version if case else 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_case(
                client,
                expected_version=data["version"],
                closed_on=data["closed_on"],
                reason=data["reason"],
                detail=data["reason_detail"].strip(),
            )
        except services.StaleCase:
            messages.error(request, _("The case changed meanwhile; look at it again."))
            return redirect(client)
        audit.record(request, A.CHANGE, client, f"case closed: {data['reason']}")
        messages.success(
            request, _("The case is closed. Its records are read-only until reopened.")
        )
        return redirect(client)
    if request.method == "GET":
        audit.record(request, A.VIEW, client, "close case form")
    return render(
        request,
        "assessments/plans/case_close.html",
        {"form": form, "client": client, "retention_days": settings.CASE_RETENTION_DAYS},
    )


@never_cache
@login_required
@require_POST
def case_reopen(request, pk: int):
    client = get_client_for(request.user, pk, perm="assessments.change_case")
    case = services.case_of(client)
    if case is not None and case.is_closed:
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.set_case(
                client, expected_version=version, closed_on=None, reason="", detail=""
            )
        except services.StaleCase:
            messages.error(request, _("The case changed meanwhile; look at it again."))
        else:
            audit.record(request, A.CHANGE, client, "case reopened")
            messages.success(request, _("The case is open again."))
    return redirect(client)


@never_cache
@login_required
def team_plans(request):
    """Supervisors: their teams' plans at a glance (counts perturbed, then small ones withheld)."""
    require(request.user, "assessments.view_team_report")
    figures = team_figures(request.user, timezone.localdate())
    audit.record_report(
        request, A.VIEW, [team.pk for team in teams_for(request.user)], "team plans"
    )
    listed = [action.focus.plan.client for action in figures["overdue"]]
    listed += [case.client for case in figures["coming_due"]]
    audit.record_clients(request, A.VIEW, listed, "listed on team plans")
    return render(
        request,
        "assessments/plans/team.html",
        {**figures, "retention_days": settings.CASE_RETENTION_DAYS},
    )
