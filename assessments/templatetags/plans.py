"""The plan's panel on the client page, so that page needs a single include
line (its view is not changed). The results page's panel is built by its view
(``services.results_panel``), from the findings it has already loaded."""

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
