"""The supervisors' view of their teams' plans: what is overdue, which factors
the actions serve, how referrals fare per service, open cases per caseworker,
and closed cases coming due for erasure. Counts follow the report's
disclosure rules: each is a number of clients (``team_counts`` says why not of
actions or referrals), perturbed by the cell-key method with the view's own
table key, its parts adjusted to add up to its total, then small cells withheld;
like the report, they leave out clients without statistics consent.
The lists of overdue actions and of cases coming due are records the supervisor
may open anyway: they are not aggregates and are shown as they are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.models import Client
from assessments.plans.disclosure import (
    MAX_CHANGE,
    SMALL,
    WITHHELD,
    Cell,
    balance,
    perturb,
    suppress_group,
)
from assessments.plans.models import Case, PlanAction, Referral
from assessments.plans.team_counts import (
    Table,
    clients_per_factor,
    clients_per_service,
    open_cases_and_table_key,
)
from assessments.reports.compute import STATS_CONSENT

OVERDUE_SHOWN = 50


@dataclass
class Row:
    label: str
    cells: list[Cell]


def perturbed(table: Table, table_key: int) -> list[tuple[str, list[int]]]:
    """Each row's published counts, as the report publishes a total and its parts:
    the row's total (its distinct clients: the columns never count one twice) is
    perturbed with the key sum of all its clients, each part with its own, and the
    parts are then balanced to add up to the published total. A one-column row is
    its own total."""
    rows = []
    for label, pairs in table:
        parts = [perturb(n, k, table_key) for n, k in pairs]
        if len(pairs) > 1:
            total = perturb(sum(n for n, _ in pairs), sum(k for _, k in pairs), table_key)
            parts = balance(total, parts)
        rows.append((label, parts))
    return rows


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
    # The counts follow the report: clients without statistics consent, or who
    # withdrew it, are not counted. The lists are case management and stay complete.
    counted_clients = Client.objects.for_user(user).filter(STATS_CONSENT)
    counted = counted_clients.values("pk")
    actions = PlanAction.objects.filter(focus__plan__client__in=clients)

    overdue = list(
        actions.filter(status__in=PlanAction.OPEN, due_on__lt=today)
        .select_related("focus__plan__client", "focus__plan__client__caseworker")
        .order_by("due_on", "id")[: OVERDUE_SHOWN + 1]
    )
    overdue_more = len(overdue) > OVERDUE_SHOWN
    del overdue[OVERDUE_SHOWN:]
    per_caseworker, table_key = open_cases_and_table_key(counted_clients)

    def publish(table: Table) -> list[Row]:
        return disclosed(perturbed(table, table_key), threshold)

    notice = settings.CASE_RETENTION_DAYS - settings.CASE_RETENTION_NOTICE_DAYS
    coming_due = list(
        Case.objects.closed()
        .filter(client__in=clients, closed_on__lte=today - dt.timedelta(days=notice))
        .select_related("client")
        .order_by("closed_on", "id")
    )
    return {
        "overdue": overdue,
        "overdue_more": overdue_more,
        "per_factor": publish(clients_per_factor(counted)),
        "per_service": publish(clients_per_service(counted)),
        "service_columns": [*Referral.Status.labels, _("Clients")],
        "action_columns": [
            pgettext("actions on a factor", "Open"),
            pgettext("actions on a factor", "Done"),
            pgettext("actions on a factor", "Dropped"),
            _("Clients"),
        ],
        "caseworker_columns": [_("Open cases")],
        "per_caseworker": publish(per_caseworker),
        "max_change": MAX_CHANGE,
        "coming_due": coming_due,
        "threshold": threshold,
    }
