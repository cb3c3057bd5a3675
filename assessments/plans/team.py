"""The supervisors' view of their teams' plans: what is overdue, which factors
the actions serve, how referrals fare per service, open cases per caseworker,
and closed cases coming due for erasure. Counts follow the report's
disclosure rules (small cells withheld)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from assessments.models import Client
from assessments.plans.disclosure import SMALL, WITHHELD, Cell, suppress_group
from assessments.plans.models import Case, PlanAction, Referral

OVERDUE_SHOWN = 50


@dataclass
class Row:
    label: str
    cells: list[Cell]


def disclosed(rows: list[tuple[str, list[int]]], threshold: int) -> list[Row]:
    """Each row's counts and their total, as the report would publish them: a
    total below the threshold withholds the whole row; otherwise the cells are
    suppressed so that none can be worked out from the total (a row whose
    cells cannot be made safe loses its total too)."""
    result = []
    for label, values in rows:
        total = sum(values)
        if total < threshold:
            reasons = [SMALL] * (len(values) + 1)
        else:
            group = suppress_group(values, threshold)
            reasons = [WITHHELD] * (len(values) + 1) if group is None else [*group, ""]
        counts = [*values, total] if len(values) > 1 else [total]
        reasons = reasons if len(values) > 1 else reasons[-1:]
        result.append(
            Row(
                label,
                [
                    Cell(None if r else v, r, threshold)
                    for v, r in zip(counts, reasons, strict=True)
                ],
            )
        )
    return result


def team_figures(user, today: dt.date) -> dict:
    """Everything the team page shows, in a fixed number of queries."""
    threshold = settings.REPORT_MIN_CELL
    clients = Client.objects.for_user(user).values("pk")
    actions = PlanAction.objects.filter(focus__plan__client__in=clients)

    overdue = list(
        actions.filter(status__in=PlanAction.OPEN, due_on__lt=today)
        .select_related("focus__plan__client", "focus__plan__client__caseworker")
        .order_by("due_on", "id")[:OVERDUE_SHOWN]
    )
    per_factor = [
        (r["focus__factor_label"], [r["open"], r["done"], r["dropped"]])
        for r in actions.values("focus__factor_label")
        .annotate(
            open=Count("id", filter=Q(status__in=PlanAction.OPEN)),
            done=Count("id", filter=Q(status=PlanAction.Status.DONE)),
            dropped=Count("id", filter=Q(status=PlanAction.Status.DROPPED)),
        )
        .order_by("focus__factor_label")
    ]
    statuses = Referral.Status.values
    per_service = [
        (r["service__name"], [r[s] for s in statuses])
        for r in Referral.objects.filter(plan__client__in=clients)
        .values("service__name")
        .annotate(**{s: Count("id", filter=Q(status=s)) for s in statuses})
        .order_by("service__name")
    ]
    per_caseworker = [
        (r["caseworker__username"] or "not assigned", [r["n"]])
        for r in Client.objects.for_user(user)
        .exclude(case__status=Case.Status.CLOSED)
        .values("caseworker__username")
        .annotate(n=Count("id"))
        .order_by("caseworker__username")
    ]
    notice = settings.CASE_RETENTION_DAYS - settings.CASE_RETENTION_NOTICE_DAYS
    coming_due = list(
        Case.objects.closed()
        .filter(client__in=clients, closed_on__lte=today - dt.timedelta(days=notice))
        .select_related("client")
        .order_by("closed_on", "id")
    )
    return {
        "overdue": overdue,
        "overdue_more": len(overdue) == OVERDUE_SHOWN,
        "per_factor": disclosed(per_factor, threshold),
        "per_service": disclosed(per_service, threshold),
        "service_columns": [*Referral.Status.labels, "Total"],
        "action_columns": ["Open", "Done", "Dropped", "Total"],
        "caseworker_columns": ["Open cases"],
        "per_caseworker": disclosed(per_caseworker, threshold),
        "coming_due": coming_due,
        "threshold": threshold,
    }
