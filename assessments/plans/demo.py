"""Synthetic services, plans and referrals for the demo clients (seed_demo).

Everything here is made up: service names start with "Demo:" and the plans
belong to DEMO- clients. Some actions are overdue on purpose, so the team view
and the client pages show what a real caseload looks like.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, Client
from assessments.plans.models import Case, FocusFactor, Plan, PlanAction, Referral, Service
from assessments.plans.services import candidates
from factors.models import Action as FactorAction
from factors.models import Factor

DEMO_SERVICES = [
    # name, what it offers, the factors it addresses (slugs), languages
    (
        "Demo: Safe Housing North",
        "Emergency and move-on housing, with a key worker.",
        ("low-starting-economic-conditions", "low-income-during-exit", "agencies-welfare-services"),
        "English, Romanian, Spanish",
    ),
    (
        "Demo: Work Ready",
        "Training, help with CVs and a first job placement.",
        ("career-projects", "access-to-work", "self-efficacy-skills", "low-cultural-capital"),
        "English, Albanian",
    ),
    (
        "Demo: Recovery Together",
        "Substance use support, one-to-one and in groups.",
        ("substance-use", "support-in-recovery-programmes"),
        "English",
    ),
    (
        "Demo: Peer Circle",
        "A women's peer group led by survivors, weekly.",
        (
            "help-from-companions",
            "social-support-networks",
            "relationships-with-professionals-and-peer-mentors",
            "feeling-connected",
            "shame-and-uselessness",
            "stigma-and-labelling",
        ),
        "English, Nigerian Pidgin, Romanian",
    ),
    (
        "Demo: Legal Advice Clinic",
        "Immigration and criminal-justice advice.",
        ("police-security-system", "children-reunification"),
        "English, French",
    ),
]

ACTIONS = [
    ("Visit {service} together", PlanAction.Who.CASEWORKER),
    ("Call {service} to book a first meeting", PlanAction.Who.CLIENT),
    ("Assess and offer support", PlanAction.Who.SERVICE),
]


def seed_services() -> list[Service]:
    actionable = Factor.objects.active().filter(action=FactorAction.ACTIONABLE)
    services = []
    for name, offers, slugs, languages in DEMO_SERVICES:
        service, created = Service.objects.get_or_create(
            name=name,
            defaults={
                "offers": offers,
                "contact": "Synthetic demo contact — not a real service",
                "languages": languages,
                "eligibility": "Adults supported by a caseworker (synthetic demo entry).",
            },
        )
        if created:
            service.factors.set(actionable.filter(slug__in=slugs))
        services.append(service)
    return services


@transaction.atomic
def seed_plans(rng: random.Random) -> int:
    """A plan for the latest completed assessment of each DEMO client without one."""
    services = seed_services()
    today = timezone.localdate()
    made = 0
    clients = Client.objects.filter(reference__startswith="DEMO-", plans__isnull=True)
    for client in clients.order_by("reference"):
        assessment = (
            Assessment.objects.completed().filter(client=client).order_by("-date", "-id").first()
        )
        if assessment is None:
            continue
        plan = Plan.objects.create(
            client=client,
            assessment=assessment,
            created_by=client.caseworker,
            next_review_on=today + timedelta(days=rng.randint(20, 90)),
            agreed_on=assessment.date if rng.random() < 0.7 else None,
            agreed_how="Went through the client's copy together (synthetic)",
        )
        findings = list(assessment.findings.select_related("factor"))
        chosen = rng.sample(candidates(findings), k=min(3, len(candidates(findings))))
        for k, candidate in enumerate(chosen):
            focus = FocusFactor.objects.create(
                plan=plan,
                factor=candidate.finding.factor,
                factor_label=candidate.finding.factor_label,
                kind=candidate.kind,
                everyday_words=candidate.finding.factor_label.lower(),
                client_view=rng.choice(FocusFactor.View.values),
            )
            offered = [s for s in services if candidate.finding.factor in s.factors.all()]
            service = offered[0] if offered else rng.choice(services)
            what, who = ACTIONS[k % len(ACTIONS)]
            # the first action of each plan is overdue; the others are due later or done
            due = today - timedelta(days=rng.randint(3, 40)) if k == 0 else today + timedelta(30)
            PlanAction.objects.create(
                focus=focus,
                what=what.format(service=service.name.removeprefix("Demo: ")),
                who=who,
                service=service if who == PlanAction.Who.SERVICE else None,
                due_on=due,
                status=PlanAction.Status.IN_PROGRESS if k == 0 else rng.choice(["planned", "done"]),
            )
            if k < 2:
                Referral.objects.create(
                    plan=plan,
                    focus=focus,
                    service=service,
                    sent_on=assessment.date + timedelta(days=3),
                    status=rng.choice(Referral.Status.values),
                    outcome="Synthetic demo outcome." if k == 1 else "",
                )
        made += 1
    closing = Client.objects.filter(reference="DEMO-S-004").first()
    if closing is not None and not Case.objects.filter(client=closing).exists():
        Case.objects.create(
            client=closing,
            status=Case.Status.CLOSED,
            closed_on=today - timedelta(days=10),
            reason=Case.Reason.MOVED,
        )
    return made
