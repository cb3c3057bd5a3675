"""The report's true figures, from the database: never published as they are.

For every cell the database returns two numbers: how many clients it counts, and
the sum of those clients' record keys (``Client.record_key``), from which
``disclosure`` reads the cell's perturbation. Both come from aggregate queries,
a fixed number whatever the size of the caseload: with the ORM, one function per
group of figures (the totals, then the latest assessments and the trend); on
PostgreSQL, one statement over the rows the database maintains for the report
(``maintained``).

Only clients who consented to anonymised statistics, did not withdraw it, and
did not withdraw their consent to the record itself are counted. A client's
figures come from their latest completed assessment in the period (or in each
period of the trend).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils.translation import pgettext_lazy

from assessments.models import Assessment, Client, Finding, Stage
from assessments.reports.disclosure import published_total
from assessments.reports.maintained import MaintainedCells, maintained_count
from assessments.reports.periods import (
    AUTO,
    GRAINS,
    Period,
    ReportFilters,
    choose_grain,
    periods_of,
)
from factors.models import Factor, Level, Role

STATS_CONSENT = Q(
    stats_consent_on__isnull=False,
    stats_consent_withdrawn_at__isnull=True,
    data_consent_withdrawn_at__isnull=True,
)
COMPLETED = Assessment.Status.COMPLETED
PRESENT = Finding.Status.PRESENT
ABSENT = Finding.Status.ABSENT

NOT_RECORDED = ""
STAGE_CHOICES = (*Stage.choices, (NOT_RECORDED, pgettext_lazy("stage of change", "Not recorded")))


@dataclass(frozen=True)
class FactorInfo:
    id: int
    slug: str
    label: str
    level: str
    role: str
    action: str = "actionable"

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def role_label(self) -> str:
        return Role(self.role).label


# (figure, item) -> (clients, sum of their record keys). Figures: "assessments"
# (item None), "stage" (stage), "present" and "absent" (factor id), "period"
# (period key), "period_present" ((period key, factor id)).
Figures = dict[tuple[str, object], tuple[int, int]]


@dataclass(frozen=True)
class RawReport:
    """True counts and their key sums. Never render or export this: ``publish`` it."""

    filters: ReportFilters
    grain: str
    clients: int
    excluded: int  # would have been counted but for the lack of consent
    assessments: int
    factors: tuple[FactorInfo, ...]
    present: dict[int, int]  # factor id -> clients
    absent: dict[int, int]  # factor id -> clients with the factor recorded absent
    stages: dict[str, int]
    periods: tuple[Period, ...]
    period_clients: dict[dt.date, int]
    period_present: dict[tuple[dt.date, int], int]  # (period key, factor id) -> clients
    keys: dict[tuple[str, object], int]  # (figure, item) -> sum of the clients' record keys

    def key(self, figure: str, item: object = None) -> int:
        return self.keys.get((figure, item), 0)

    # bench/probe.py compares these with bench/report.sql, which counts by quarter.
    @property
    def quarter_clients(self) -> dict[dt.date, int]:
        return self.period_clients

    @property
    def quarter_present(self) -> dict[tuple[dt.date, int], int]:
        return self.period_present


def compute_report(filters: ReportFilters) -> RawReport:
    """Count the caseload in a fixed number of aggregate queries, whatever its size
    (two on PostgreSQL, from the maintained rows; seven elsewhere)."""
    if connection.vendor == "postgresql":
        cells = MaintainedCells(filters)
        totals = cells.totals()
        grain = _grain(filters, totals)
        figures = cells.figures(grain)
    else:
        in_period = Q(status=COMPLETED, date__gte=filters.start, date__lte=filters.end)
        clients = Client.objects.filter(team_id__in=filters.team_ids, **filters.client_context())
        totals = _totals(clients, in_period)
        grain = _grain(filters, totals)
        figures = _counts(clients.filter(STATS_CONSENT), in_period, grain)
    present = {item: n for (figure, item), (n, _) in figures.items() if figure == "present"}
    absent = {item: n for (figure, item), (n, _) in figures.items() if figure == "absent"}
    factors = tuple(
        FactorInfo(f.pk, f.slug, f.label, f.level, f.role, f.action)
        for f in Factor.objects.filter(Q(retired=False) | Q(pk__in=[*present, *absent]))
        .in_catalogue_order()
        .only("pk", "slug", "label", "level", "role", "action")
    )
    keys = {figure: key for figure, (_, key) in figures.items()}
    for name in ("counted", "excluded"):
        keys[(name, None)] = totals[name][1]
    return RawReport(
        filters=filters,
        grain=grain,
        clients=totals["counted"][0],
        excluded=totals["excluded"][0],
        assessments=figures.get(("assessments", None), (0, 0))[0],
        factors=factors,
        present=present,
        absent=absent,
        stages={item: n for (figure, item), (n, _) in figures.items() if figure == "stage"},
        periods=periods_of(filters.start, filters.end, grain),
        period_clients={
            item: n for (figure, item), (n, _) in figures.items() if figure == "period"
        },
        period_present={
            item: n for (figure, item), (n, _) in figures.items() if figure == "period_present"
        },
        keys=keys,
    )


def _grain(filters: ReportFilters, totals: dict[str, tuple[int, int]]) -> str:
    if filters.grain != AUTO:
        return filters.grain
    return choose_grain(published_total(*totals["counted"]), filters.start, filters.end)


def _totals(clients: QuerySet[Client], in_period: Q) -> dict[str, tuple[int, int]]:
    """Clients assessed in the period: counted, and left out for lack of consent."""
    assessed = clients.filter(Exists(Assessment.objects.filter(in_period, client=OuterRef("pk"))))
    totals = assessed.aggregate(
        counted=Count("pk", filter=STATS_CONSENT),
        counted_key=Sum("record_key", filter=STATS_CONSENT),
        excluded=Count("pk", filter=~STATS_CONSENT),
        excluded_key=Sum("record_key", filter=~STATS_CONSENT),
    )
    return {name: (totals[name], totals[f"{name}_key"] or 0) for name in ("counted", "excluded")}


def _bucket(grain: str):
    """The first day of an assessment's trend period, as the integer YYYYMM."""
    months = GRAINS[grain][1]
    month = Cast(ExtractMonth("date"), IntegerField())
    first_month = (month - 1) / months * months + 1 if months < 12 else Value(1)
    return Cast(ExtractYear("date"), IntegerField()) * 100 + first_month


def _bucket_date(value: int) -> dt.date:
    value = int(value)
    return dt.date(value // 100, value % 100, 1)


def _counts(counted: QuerySet[Client], in_period: Q, grain: str) -> Figures:
    """The assessment-level figures with the ORM, in five aggregate queries."""
    in_scope = Assessment.objects.filter(in_period, client__in=counted.values("pk"))
    scope = in_scope.aggregate(n=Count("id"), k=Sum("client__record_key"))
    return {
        ("assessments", None): (scope["n"], scope["k"] or 0),
        **_latest_figures(counted, in_period),
        **_trend_figures(in_scope, in_period, grain),
    }


def _latest_figures(counted: QuerySet[Client], in_period: Q) -> Figures:
    """Present, absent and stage, from each client's latest assessment in the period."""
    key = Sum("client__record_key")
    figures: Figures = {}
    latest_ids = _latest_in_period(counted, in_period)
    for status, factor_id, n, k in (
        Finding.objects.filter(status__in=(PRESENT, ABSENT), assessment_id__in=latest_ids)
        .order_by()
        .values("status", "factor_id")
        .annotate(n=Count("*"), k=Sum("assessment__client__record_key"))
        .values_list("status", "factor_id", "n", "k")
    ):
        figures[(status, factor_id)] = (n, k)
    for stage, n, k in (
        Assessment.objects.filter(id__in=latest_ids)
        .order_by()
        .values("stage")
        .annotate(n=Count("id"), k=key)
        .values_list("stage", "n", "k")
    ):
        figures[("stage", stage)] = (n, k)
    return figures


def _trend_figures(in_scope: QuerySet[Assessment], in_period: Q, grain: str) -> Figures:
    """Clients and present factors per period of the trend, from each client's latest
    assessment in each period."""
    key = Sum("client__record_key")
    figures: Figures = {}
    per_period = _latest_per_period(in_scope, in_period, grain)
    for bucket, n, k in (
        Assessment.objects.filter(id__in=per_period)
        .annotate(bucket=_bucket(grain))
        .order_by()
        .values("bucket")
        .annotate(n=Count("id"), k=key)
        .values_list("bucket", "n", "k")
    ):
        figures[("period", _bucket_date(bucket))] = (n, k)
    for bucket, factor_id, n, k in (
        Assessment.objects.filter(id__in=per_period, findings__status=PRESENT)
        .annotate(bucket=_bucket(grain))
        .order_by()
        .values("bucket", "findings__factor_id")
        .annotate(n=Count("*"), k=key)
        .values_list("bucket", "findings__factor_id", "n", "k")
    ):
        figures[("period_present", (_bucket_date(bucket), factor_id))] = (n, k)
    return figures


def _latest_in_period(counted: QuerySet[Client], in_period: Q) -> QuerySet:
    """The ids of each counted client's latest completed assessment in the period
    (greatest date, then greatest id), as a subquery."""
    latest = (
        Assessment.objects.filter(in_period, client=OuterRef("pk"))
        .order_by("-date", "-id")
        .values("id")[:1]
    )
    # Clients with nothing in the period give NULL, which matches no id.
    return counted.annotate(latest_id=Subquery(latest)).values("latest_id")


def _latest_per_period(in_scope: QuerySet[Assessment], in_period: Q, grain: str) -> QuerySet:
    """The ids of each counted client's latest completed assessment in each period
    of the trend, as a subquery."""
    # Those with no later completed assessment of the same client in the same period.
    later_in_period = (
        Assessment.objects.annotate(bucket=_bucket(grain))
        .filter(in_period, client=OuterRef("client_id"), bucket=OuterRef("bucket"))
        .filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), id__gt=OuterRef("id")))
    )
    return in_scope.annotate(bucket=_bucket(grain)).filter(~Exists(later_in_period)).values("id")


def count_clients(filters: ReportFilters) -> tuple[int, int]:
    """The clients the report would count, and their key sum: one query, for choosing
    a default period before the whole report is computed."""
    if connection.vendor == "postgresql":
        return maintained_count(filters)
    in_period = Q(status=COMPLETED, date__gte=filters.start, date__lte=filters.end)
    clients = Client.objects.filter(team_id__in=filters.team_ids, **filters.client_context())
    return _totals(clients, in_period)["counted"]
