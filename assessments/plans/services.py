"""Workflows of the support plan that touch several rows at once.

Every change to a plan or its parts first claims the plan's version
(``Plan.bump``), inside the same transaction, so two people cannot overwrite
each other's work on one plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, pgettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.models import Assessment, Finding
from assessments.plans.models import (
    Case,
    FocusFactor,
    Plan,
    PlanAction,
    Referral,
    Service,
)
from assessments.recommendations import BUILD, LIMIT, SUSTAIN, section_of
from factors.models import Action as FactorAction


class CaseClosed(Exception):
    """The client's case is closed: its records are read-only until reopened."""


class StaleCase(Exception):
    """Someone else opened or closed the case since this copy was loaded."""


@dataclass(frozen=True)
class Candidate:
    """A finding the client may choose to focus on, and how (build, sustain, limit)."""

    finding: Finding
    kind: str

    @property
    def factor_id(self) -> int:
        return self.finding.factor_id

    @property
    def kind_label(self) -> str:
        return FocusFactor.Kind(self.kind).label


def candidates(findings: list[Finding]) -> list[Candidate]:
    """Findings a plan may focus on: to sustain, build or limit, and only where the
    catalogue says the factor is something to act on (context and caution
    factors are never targets). ``findings`` must have their factor loaded."""
    chosen = []
    for finding in findings:
        action = finding.factor.action
        section = section_of(finding, action)
        if action == FactorAction.ACTIONABLE and section in (SUSTAIN, BUILD, LIMIT):
            chosen.append(Candidate(finding, section))
    return chosen


def services_for(factor_ids) -> dict[int, list[Service]]:
    """Active services that address each factor, in one query."""
    result: dict[int, list[Service]] = {}
    through = Service.factors.through.objects.filter(
        factor_id__in=list(factor_ids), service__active=True
    ).select_related("service")
    for row in through.order_by("service__name"):
        result.setdefault(row.factor_id, []).append(row.service)
    return result


SUGGEST_FOR = (FocusFactor.Kind.BUILD, FocusFactor.Kind.LIMIT)


def services_to_suggest(factor_kinds) -> dict[int, list[Service]]:
    """Services for the factors, of (factor id, kind) pairs, to build or to limit
    (a factor to sustain is already there: no service is suggested for it)."""
    return services_for(factor_id for factor_id, kind in factor_kinds if kind in SUGGEST_FOR)


def suggested_services(findings: list[Finding]) -> dict[int, list[Service]]:
    """For the results page: services for the factors to build or to limit."""
    return services_to_suggest((c.factor_id, c.kind) for c in candidates(findings))


def results_panel(assessment: Assessment, findings: list[Finding], user) -> dict:
    """The results page's plan panel: the assessment's plan (or whether one may be
    started) and the active local services for its factors to build or to
    limit. ``findings`` are the results view's, with their factor loaded; two
    queries."""
    labels = {f.factor_id: f.factor_label for f in findings}
    return {
        "plan": Plan.objects.filter(assessment=assessment).first(),
        "suggestions": [(labels[k], v) for k, v in suggested_services(findings).items()],
        "can_plan": user.has_perm("assessments.add_plan")
        and assessment.is_completed
        and not is_closed(assessment.client),
        "can_view_plan": user.has_perm("assessments.view_plan"),
    }


def case_of(client) -> Case | None:
    try:
        return client.case
    except Case.DoesNotExist:
        return None


def is_closed(client) -> bool:
    case = case_of(client)
    return case is not None and case.is_closed


def ensure_open(client) -> None:
    if is_closed(client):
        raise CaseClosed


def open_actions(plan: Plan):
    return PlanAction.objects.filter(focus__plan=plan, status__in=PlanAction.OPEN).select_related(
        "focus"
    )


def previous_plan(assessment: Assessment) -> Plan | None:
    """The client's latest plan made before this assessment, if any."""
    return (
        Plan.objects.filter(client_id=assessment.client_id, next_plan__isnull=True)
        .exclude(assessment=assessment)
        .filter(assessment__date__lte=assessment.date)
        .order_by("-assessment__date", "-id")
        .first()
    )


CARRY, DONE, DROP = "carry", "done", "drop"


@transaction.atomic
def start_plan(
    assessment: Assessment,
    *,
    user,
    previous: Plan | None,
    actions: list[PlanAction],
    next_review_on: dt.date | None,
    reviews: dict[int, tuple[str, str, str]],
) -> Plan:
    """Make the plan of a completed assessment, reviewing the previous plan.

    ``previous`` and its open ``actions`` are those the caseworker reviewed (as
    ``previous_plan`` and ``open_actions`` gave them): the previous plan's version
    is claimed as it was then, so a change to it since is refused (StalePlan)
    rather than reviewed unseen. ``reviews`` maps each of ``actions`` to (outcome,
    helped, dropped reason): done and dropped actions are closed with whether
    they helped; the others are carried into the new plan, with their focus factor.
    """
    ensure_open(assessment.client)
    plan = Plan.objects.create(
        client=assessment.client,
        assessment=assessment,
        previous=previous,
        created_by=user,
        next_review_on=next_review_on,
    )
    if previous is None:
        return plan
    previous.bump(previous.version)
    now = timezone.now()
    carried_focus: dict[int, FocusFactor] = {}
    for action in actions:
        outcome, helped, reason = reviews.get(action.pk, (CARRY, "", ""))
        action.helped, action.reviewed_at = helped, now
        if outcome == DONE:
            action.status = PlanAction.Status.DONE
        elif outcome == DROP:
            action.status, action.dropped_reason = PlanAction.Status.DROPPED, reason
        action.save()
        if outcome != CARRY:
            continue
        focus = carried_focus.get(action.focus_id)
        if focus is None:
            old = action.focus
            focus = carried_focus[old.pk] = FocusFactor.objects.create(
                plan=plan,
                factor_id=old.factor_id,
                factor_label=old.factor_label,
                kind=old.kind,
                everyday_words=old.everyday_words,
                client_view=old.client_view,
                client_words=old.client_words,
            )
        PlanAction.objects.create(
            focus=focus,
            what=action.what,
            who=action.who,
            service_id=action.service_id,
            due_on=action.due_on,
            status=action.status,
            carried_from=action,
        )
    return plan


@transaction.atomic
def save_focus(
    plan: Plan,
    *,
    expected_version: int,
    next_review_on: dt.date | None,
    chosen: dict[int, dict],
    candidates_by_factor: dict[int, Candidate],
) -> None:
    """Keep exactly the chosen focus factors (their actions go with any removed)."""
    ensure_open(plan.client)
    plan.bump(expected_version)
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on", "updated_at"])
    plan.focus_factors.exclude(factor_id__in=list(chosen)).delete()
    existing = {f.factor_id: f for f in plan.focus_factors.all()}
    new: list[FocusFactor] = []
    for factor_id, values in chosen.items():
        focus = existing.get(factor_id)
        if focus is None:
            candidate = candidates_by_factor[factor_id]
            focus = FocusFactor(
                plan=plan,
                factor_id=factor_id,
                factor_label=candidate.finding.factor_label,
                kind=candidate.kind,
            )
            new.append(focus)
        focus.everyday_words = values["everyday_words"]
        focus.client_view = values["client_view"]
        focus.client_words = values["client_words"]
    if existing:
        bulk_update_with_history(
            list(existing.values()), FocusFactor, ["everyday_words", "client_view", "client_words"]
        )
    if new:
        bulk_create_with_history(new, FocusFactor)


@transaction.atomic
def save_part(plan: Plan, part: PlanAction | Referral, *, expected_version: int) -> None:
    """Save an action or a referral of ``plan``, claiming the plan's version."""
    ensure_open(plan.client)
    plan.bump(expected_version)
    part.save()


@transaction.atomic
def record_agreement(
    plan: Plan, *, expected_version: int, agreed_on: dt.date, agreed_how: str
) -> None:
    ensure_open(plan.client)
    plan.bump(expected_version)
    plan.agreed_on, plan.agreed_how = agreed_on, agreed_how
    plan.save(update_fields=["agreed_on", "agreed_how", "updated_at"])


@transaction.atomic
def set_case(
    client, *, expected_version: int, closed_on: dt.date | None, reason: str, detail: str
) -> Case:
    """Close the case (with a date and reason), or reopen it (``closed_on`` None)."""
    try:
        # With no Case row yet, the lock takes nothing: a close at the same moment
        # may insert it first, and this one then finds the case changed.
        case, _ = Case.objects.select_for_update().get_or_create(client=client)
    except IntegrityError as race:
        raise StaleCase from race
    if case.version != expected_version:
        raise StaleCase
    case.status = Case.Status.CLOSED if closed_on else Case.Status.OPEN
    case.closed_on, case.reason, case.reason_detail = closed_on, reason, detail
    case.version += 1
    case.save()
    return case


def plan_with_parts(plan: Plan) -> Plan:
    """The plan with its focus factors, actions and referrals loaded (4 queries)."""
    focus = FocusFactor.objects.prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.select_related("service"))
    )
    return (
        Plan.objects.select_related("client", "client__team", "assessment", "previous")
        .prefetch_related(
            Prefetch("focus_factors", queryset=focus),
            Prefetch("referrals", queryset=Referral.objects.select_related("service", "focus")),
        )
        .get(pk=plan.pk)
    )


def studies_for(focus: list[FocusFactor]) -> dict[int, list[str]]:
    """The studies behind each focus factor, by short citation (the client's copy
    shows them only when the client asks)."""
    from factors.models import Evidence

    result: dict[int, list[str]] = {}
    rows = Evidence.objects.filter(factor_id__in=[f.factor_id for f in focus]).select_related(
        "study"
    )
    for ev in rows.order_by("factor_id", "position", "id"):
        cited = result.setdefault(ev.factor_id, [])
        if ev.study.short_citation not in cited:
            cited.append(ev.study.short_citation)
    return result


# --- The client's copy, in the client's language ------------------------------


def copy_language(client) -> str:
    """The language the client's copy prints in: the one chosen for the client,
    else the one the caseworker is using."""
    return client.language or translation.get_language() or settings.LANGUAGE_CODE


def copy_catalogue_text(focus: list[FocusFactor], language: str, *, studies: bool) -> dict:
    """The one place the client's copy reads text from the catalogue: per focus
    factor's factor id, the studies behind it (only when the client asks for them).

    The copy names each factor in the client's everyday words, never by the
    catalogue's label; what it does show of the catalogue comes from here, so
    that translated catalogue text for ``language`` (``factors.translations``)
    would be plugged in at this one point. Today it shows only short citations
    (authors and years), which stay as published in every language."""
    return studies_for(focus) if studies else {}


def translation_reviewed(language: str) -> bool:
    """Whether a fluent speaker has checked the interface translation into
    ``language`` (the per-language review status catalogue admins set); when not,
    the client's copy says so, in that language. English is the source; a
    language with no review recorded counts as a draft."""
    from factors.translations.languages import catalogue_language
    from factors.translations.services import status

    if language.lower().split("-")[0] == "en":
        return True
    code = catalogue_language(language)
    if code is None:
        return False
    return not status(code)["interface_draft"]


def plan_records(client) -> list[dict]:
    """The client's plans, actions, referrals and case status, for the client's export."""
    plans = (
        Plan.objects.filter(client=client)
        .select_related("assessment")
        .prefetch_related(
            Prefetch(
                "focus_factors",
                queryset=FocusFactor.objects.prefetch_related(
                    Prefetch("actions", queryset=PlanAction.objects.select_related("service"))
                ),
            ),
            Prefetch("referrals", queryset=Referral.objects.select_related("service", "focus")),
        )
        .order_by("assessment__date", "id")
    )

    def day(value):
        return value and value.isoformat()

    return [
        {
            "assessment_date": day(plan.assessment.date),
            "next_review_on": day(plan.next_review_on),
            "agreed_on": day(plan.agreed_on),
            "agreed_how": plan.agreed_how,
            "focus_factors": [
                {
                    "factor": focus.factor_label,
                    "kind": focus.kind,
                    "everyday_words": focus.everyday_words,
                    "client_view": focus.client_view,
                    "client_words": focus.client_words,
                    "actions": [
                        {
                            "what": a.what,
                            "who": a.who,
                            "service": a.service.name if a.service else None,
                            "due_on": day(a.due_on),
                            "status": a.status,
                            "dropped_reason": a.dropped_reason,
                            "helped": a.helped,
                        }
                        for a in focus.actions.all()
                    ],
                }
                for focus in plan.focus_factors.all()
            ],
            "referrals": [
                {
                    "service": r.service.name,
                    "focus_factor": r.focus.factor_label if r.focus else None,
                    "date": day(r.sent_on),
                    "status": r.status,
                    "outcome": r.outcome,
                }
                for r in plan.referrals.all()
            ],
        }
        for plan in plans
    ]


def case_record(client) -> dict | None:
    case = Case.objects.filter(client=client).first()
    if case is None:
        return None
    return {
        "status": case.status,
        "closed_on": case.closed_on and case.closed_on.isoformat(),
        "reason": case.reason,
        "reason_detail": case.reason_detail,
    }


def forget_history(client_id: int) -> None:
    """Erase the change history of a client's plans and case, which
    django-simple-history would otherwise keep after the rows are deleted."""
    plan_ids = list(
        Plan.history.filter(client_id=client_id).values_list("id", flat=True).distinct()
    )
    focus_ids = list(
        FocusFactor.history.filter(plan_id__in=plan_ids).values_list("id", flat=True).distinct()
    )
    PlanAction.history.filter(focus_id__in=focus_ids).delete()
    FocusFactor.history.filter(plan_id__in=plan_ids).delete()
    Referral.history.filter(plan_id__in=plan_ids).delete()
    Plan.history.filter(client_id=client_id).delete()
    Case.history.filter(client_id=client_id).delete()


# What each kind of change says, per part of the plan and history type (added,
# changed, removed): whole sentences, so that each language can word them its own way.
CHANGE_SENTENCES = {
    ("plan", "+"): gettext_lazy("%(user)s added the plan"),
    ("plan", "~"): gettext_lazy("%(user)s changed the plan"),
    ("plan", "-"): gettext_lazy("%(user)s removed the plan"),
    ("focus", "+"): gettext_lazy("%(user)s added focus “%(name)s”"),
    ("focus", "~"): gettext_lazy("%(user)s changed focus “%(name)s”"),
    ("focus", "-"): gettext_lazy("%(user)s removed focus “%(name)s”"),
    ("action", "+"): gettext_lazy("%(user)s added action “%(name)s”"),
    ("action", "~"): gettext_lazy("%(user)s changed action “%(name)s”"),
    ("action", "-"): gettext_lazy("%(user)s removed action “%(name)s”"),
    ("referral", "+"): gettext_lazy("%(user)s added a referral"),
    ("referral", "~"): gettext_lazy("%(user)s changed a referral"),
    ("referral", "-"): gettext_lazy("%(user)s removed a referral"),
}


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    user: str  # a username, or "" for a change made by the system
    part: str  # "plan", "focus", "action" or "referral"
    name: str  # the focus factor's label or the action's text; "" for the others
    kind: str  # django-simple-history's history type: "+", "~" or "-"

    @property
    def sentence(self) -> str:
        user = self.user or pgettext("who made a change to a plan", "system")
        template = CHANGE_SENTENCES.get((self.part, self.kind))
        if template is None:
            return f"{user} {self.kind} {self.part} {self.name}".strip()
        return template % {"user": user, "name": self.name}


def plan_changes(plan: Plan, limit: int = 20) -> list[Change]:
    """The latest changes to the plan and its parts, newest first (four queries);
    the rows themselves are kept by django-simple-history."""
    focus_ids = FocusFactor.history.filter(plan_id=plan.pk).values("id")
    sources = [
        (Plan.history.filter(id=plan.pk), "plan", lambda h: ""),
        (FocusFactor.history.filter(plan_id=plan.pk), "focus", lambda h: h.factor_label),
        (PlanAction.history.filter(focus_id__in=focus_ids), "action", lambda h: h.what),
        (Referral.history.filter(plan_id=plan.pk), "referral", lambda h: ""),
    ]
    changes = []
    for rows, part, name in sources:
        for h in rows.select_related("history_user").order_by("-history_date")[:limit]:
            who = h.history_user.get_username() if h.history_user else ""
            changes.append(Change(h.history_date, who, part, name(h), h.history_type))
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:limit]
