"""The team view's true figures, from the database: never shown as they are
(``team`` perturbs them, then withholds small cells, as the report does).

Every cell is a number of clients and the sum of those clients' record keys
(``Client.record_key``), from which ``disclosure.perturb`` reads its noise. Each
table is one aggregate query, whatever the size of the caseload.

Why clients, not actions or referrals. The cell-key method gives the same noise
to the same set of people: its key is the sum of their record keys. A count of
actions could use the sum of its rows' clients' keys (each client's key once per
action, as the report's count of assessments does), but then:

- small-cell suppression no longer protects people: one client with five open
  actions on a factor makes a cell of 5, shown, that is that client alone;
- the noise follows the client's paperwork, not the people: an action split in two, or
  carried into the next plan, changes the key and so the published figure while
  the people behind the cell are the same, and differencing two views then tells
  which cell the change touched.

So each cell counts distinct clients, and each client is in one column of a row
only, so that the columns add up to the row's total (which suppression needs to
reason about what a total gives away): per factor, a client counts as "open" if
the client has any open action on it, else "done" if any is done, else "dropped"; per
service, by the status of their latest referral to it.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import pgettext

from assessments.models import Client
from assessments.plans.models import Case as ClientCase
from assessments.plans.models import PlanAction, Referral

# (clients, sum of their record keys)
Pair = tuple[int, int]
# A table: each row's label and its cells, in column order.
Table = list[tuple[str, list[Pair]]]

ACTION_STATES = ("open", "done", "dropped")  # the columns of "actions per factor", in order
_ACTION_STATE = Case(
    When(status__in=PlanAction.OPEN, then=Value(0)),
    When(status=PlanAction.Status.DONE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
OPEN_CASE = ~Q(case__status=ClientCase.Status.CLOSED)


def clients_per_factor(clients: QuerySet[Client]) -> Table:
    """Per factor label: clients with an open action on it; with none open but one
    done; with all dropped. One query: each (client, factor) pair is represented by
    its action of best state (open, then done, then dropped; then lowest id)."""
    better = (
        PlanAction.objects.annotate(state=_ACTION_STATE)
        .filter(
            focus__plan__client=OuterRef("focus__plan__client"),
            focus__factor_label=OuterRef("focus__factor_label"),
        )
        .filter(Q(state__lt=OuterRef("state")) | Q(state=OuterRef("state"), id__lt=OuterRef("id")))
    )
    rows = (
        PlanAction.objects.filter(focus__plan__client__in=clients)
        .annotate(state=_ACTION_STATE)
        .filter(~Exists(better))
        .order_by()
        .values("focus__factor_label", "state")
        .annotate(n=Count("id"), k=Sum("focus__plan__client__record_key"))
        .values_list("focus__factor_label", "state", "n", "k")
    )
    return _pivot(rows, len(ACTION_STATES))


def clients_per_service(clients: QuerySet[Client]) -> Table:
    """Per service: clients by the status of their latest referral to it (latest
    date, then greatest id), in ``Referral.Status`` order. One query."""
    later = Referral.objects.filter(
        plan__client=OuterRef("plan__client"), service=OuterRef("service")
    ).filter(
        Q(sent_on__gt=OuterRef("sent_on")) | Q(sent_on=OuterRef("sent_on"), id__gt=OuterRef("id"))
    )
    statuses = {status: i for i, status in enumerate(Referral.Status.values)}
    rows = (
        Referral.objects.filter(plan__client__in=clients)
        .filter(~Exists(later))
        .order_by()
        .values("service__name", "status")
        .annotate(n=Count("id"), k=Sum("plan__client__record_key"))
        .values_list("service__name", "status", "n", "k")
    )
    return _pivot(((name, statuses[s], n, k) for name, s, n, k in rows), len(statuses))


def open_cases_and_table_key(clients: QuerySet[Client]) -> tuple[Table, int]:
    """Per caseworker, clients whose case is not closed; and the table key of the
    whole view, the sum of the record keys of every client it covers. One query."""
    rows = list(
        clients.order_by()
        .values("caseworker__username")
        .annotate(
            n=Count("id", filter=OPEN_CASE),
            k=Sum("record_key", filter=OPEN_CASE),
            everyone=Sum("record_key"),
        )
        .order_by("caseworker__username")
        .values_list("caseworker__username", "n", "k", "everyone")
    )
    unassigned = pgettext("caseworker", "not assigned")
    table = [(name or unassigned, [(n, k or 0)]) for name, n, k, _ in rows if n]
    return table, sum(everyone or 0 for *_, everyone in rows)


def _pivot(rows, columns: int) -> Table:
    """(label, column, clients, key sum) rows as a table sorted by label."""
    table: dict[str, list[Pair]] = {}
    for label, column, n, k in rows:
        table.setdefault(label, [(0, 0)] * columns)[column] = (n, k or 0)
    return sorted(table.items())
