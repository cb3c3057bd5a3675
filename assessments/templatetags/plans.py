"""The plan's panels on the client and results pages, so those pages need a
single include line each (their views are not changed)."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from assessments.plans import services
from assessments.plans.models import Plan, PlanAction

register = template.Library()


@register.inclusion_tag("assessments/plans/client_panel_body.html", takes_context=True)
def client_plan_panel(context) -> dict:
    """The case's status and the client's plans (one query)."""
    client, user = context["client"], context["user"]
    today = timezone.localdate()
    open_ = Q(focus_factors__actions__status__in=PlanAction.OPEN)
    plans = (
        Plan.objects.filter(client=client)
        .select_related("assessment")
        .annotate(
            open_actions=Count("focus_factors__actions", filter=open_),
            overdue_actions=Count(
                "focus_factors__actions", filter=open_ & Q(focus_factors__actions__due_on__lt=today)
            ),
        )
    )
    return {
        "client": client,
        "case": services.case_of(client),
        "plans": list(plans) if user.has_perm("assessments.view_plan") else [],
        "can_close": user.has_perm("assessments.change_case"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("assessments/plans/results_panel_body.html", takes_context=True)
def results_plan_panel(context) -> dict:
    """The plan of this assessment (or a way to start it) and the active local
    services for its factors to build or to limit (three queries)."""
    assessment, user = context["assessment"], context["user"]
    findings = list(assessment.findings.select_related("factor"))
    suggestions = services.suggested_services(findings)
    labels = {f.factor_id: f.factor_label for f in findings}
    return {
        "assessment": assessment,
        "plan": Plan.objects.filter(assessment=assessment).first(),
        "suggestions": [(labels[k], v) for k, v in suggestions.items()],
        "can_plan": user.has_perm("assessments.add_plan")
        and assessment.is_completed
        and not services.is_closed(assessment.client),
        "can_view_plan": user.has_perm("assessments.view_plan"),
    }
