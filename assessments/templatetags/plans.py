"""The plan's panel on the client page, so that page needs a single include
line (its view is not changed). The results page's panel is built by its view
(``services.results_panel``), from the findings it has already loaded."""

from __future__ import annotations

from django import template
from django.utils import timezone

from assessments.plans import services
from assessments.plans.panel import plan_lines

register = template.Library()


@register.inclusion_tag("assessments/plans/client_panel_body.html", takes_context=True)
def client_plan_panel(context) -> dict:
    """The case's status and the client's plans (one query: ``plans.panel``)."""
    client, user = context["client"], context["user"]
    can_view = user.has_perm("assessments.view_plan")
    return {
        "client": client,
        "case": services.case_of(client),
        "plans": plan_lines(client.pk, timezone.localdate()) if can_view else [],
        "can_close": user.has_perm("assessments.change_case"),
        "csrf_token": context.get("csrf_token"),
    }
