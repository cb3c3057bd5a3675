"""Builders for plans, services and referrals in tests."""

from __future__ import annotations

import datetime as dt

from assessments.plans.models import FocusFactor, Plan, PlanAction, Referral, Service
from factors.models import Factor


def make_service(name: str = "Housing First North", *, factors=(), active: bool = True):
    service = Service.objects.create(
        name=name,
        offers="Safe housing and help to keep it.",
        contact="Phone 0100 000 000 (office hours)",
        languages="English, Romanian",
        eligibility="Adults referred by a caseworker.",
        active=active,
    )
    service.factors.set(factors)
    return service


def make_plan(
    assessment, *, factor_slug: str | None = None, due_on=dt.date(2025, 4, 1), service=None
) -> Plan:
    """The assessment's plan, with one focus factor, one action and one referral
    (made once: later calls return the same plan)."""
    existing = Plan.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    plan = Plan.objects.create(
        client=assessment.client,
        assessment=assessment,
        created_by=assessment.caseworker,
        next_review_on=dt.date(2025, 6, 1),
    )
    factor = (
        Factor.objects.get(slug=factor_slug)
        if factor_slug
        else Factor.objects.filter(action="actionable").first()
    )
    focus = FocusFactor.objects.create(
        plan=plan,
        factor=factor,
        factor_label=factor.label,
        kind=FocusFactor.Kind.BUILD,
        everyday_words="people I can count on",
        client_view=FocusFactor.View.AGREES,
        client_words="I want friends outside",
    )
    service = service or Service.objects.first() or make_service(factors=[factor])
    PlanAction.objects.create(
        focus=focus, what="Visit the women's group", who="client", due_on=due_on
    )
    Referral.objects.create(plan=plan, focus=focus, service=service, sent_on=dt.date(2025, 3, 5))
    return plan


def plan_action(plan: Plan) -> PlanAction:
    return PlanAction.objects.filter(focus__plan=plan).first()


def plan_referral(plan: Plan) -> Referral:
    return plan.referrals.first()


def _plan(records) -> Plan:
    return make_plan(records.completed)


# The support plan's id-taking URLs, for tests/security (RECORD_KWARGS).
PLAN_KWARGS = {
    "plans:start": lambda r: {"pk": r.completed.pk},
    "plans:plan": lambda r: {"pk": _plan(r).pk},
    "plans:focus": lambda r: {"pk": _plan(r).pk},
    "plans:action_new": lambda r: {"pk": _plan(r).pk},
    "plans:action": lambda r: {"pk": _plan(r).pk, "action_pk": plan_action(_plan(r)).pk},
    "plans:referral_new": lambda r: {"pk": _plan(r).pk},
    "plans:referral": lambda r: {"pk": _plan(r).pk, "referral_pk": plan_referral(_plan(r)).pk},
    "plans:agreement": lambda r: {"pk": _plan(r).pk},
    "plans:copy": lambda r: {"pk": _plan(r).pk},
    "plans:case_close": lambda r: {"pk": r.client.pk},
    "plans:case_reopen": lambda r: {"pk": r.client.pk},
}
