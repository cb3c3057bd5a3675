"""The report's true figures, from the database: never published as they are.

For every cell the database returns two numbers: how many clients it counts, and
the sum of those clients' record keys (``Client.record_key``), from which
``disclosure`` reads the cell's perturbation. Both come from aggregate queries,
a fixed number whatever the size of the caseload: one function per group of
figures (the totals, then the latest assessments and the trend, which
PostgreSQL computes in one statement).

Only clients who consented to anonymised statistics, did not withdraw it, and
did not withdraw their consent to the record itself are counted. A client's
figures come from their latest completed assessment in the period (or in each
period of the trend).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, connections
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

from assessments.figures import MAX_CELL_CLIENTS, ReportFigures, unpack
from assessments.models import Assessment, Client, Finding, Stage
from assessments.reports.disclosure import published_total
from assessments.reports.periods import (
    AUTO,
    GRAINS,
    Period,
    ReportFilters,
    choose_grain,
    periods_of,
)
from exitsupport.db_router import reading_alias
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
    (three on PostgreSQL, seven elsewhere)."""
    in_period = Q(status=COMPLETED, date__gte=filters.start, date__lte=filters.end)
    clients = Client.objects.filter(team_id__in=filters.team_ids, **filters.client_context())
    totals = _totals(clients, in_period)
    grain = filters.grain
    if grain == AUTO:
        grain = choose_grain(published_total(*totals["counted"]), filters.start, filters.end)
    counted = clients.filter(STATS_CONSENT)
    if connection.vendor == "postgresql":
        figures = _counts_in_one_statement(counted, filters.start, filters.end, grain)
    else:
        figures = _counts(counted, in_period, grain)
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


# PostgreSQL: the same figures as _counts, in one statement over the maintained
# rows of assessments/figures.py (one per completed assessment; no findings read).
# Each row in the period falls in one period of the trend, ``width_bucket`` of its
# date over the periods' boundaries (the last one the day after the end); it is the
# client's latest in the period when not superseded by the end, and the latest in
# its period of the trend when not superseded within that period (its next
# assessment's date falls in a later period, or after the end). Rows are grouped by
# period, those two facts and the stage (one integer ``cell``, for the planner:
# a hash of a few dozen groups), and the per-factor counts and key sums are read
# from the sums of the packed numbers (figures.unpack).
_ONE_STATEMENT = """
SELECT cell, stage, count(*), sum(record_key),
       sum(present), sum(present * record_key), sum(absent), sum(absent * record_key)
FROM (
    SELECT width_bucket(f.date, %(bounds)s::date[]) * 4
               + (f.superseded_on IS NULL OR f.superseded_on > %(end)s)::integer * 2
               + (f.superseded_on IS NULL
                  OR width_bucket(f.superseded_on, %(bounds)s::date[])
                     <> width_bucket(f.date, %(bounds)s::date[]))::integer AS cell,
           f.stage, c.record_key,
           CASE WHEN f.superseded_on IS NULL
                     OR width_bucket(f.superseded_on, %(bounds)s::date[])
                        <> width_bucket(f.date, %(bounds)s::date[])
                THEN f.present END AS present,
           CASE WHEN f.superseded_on IS NULL OR f.superseded_on > %(end)s
                THEN f.absent END AS absent
    FROM {figures} AS f JOIN ({counted}) AS c ON c.id = f.client_id
    WHERE f.date >= %(start)s AND f.date <= %(end)s
    OFFSET 0
) AS rows
GROUP BY cell, stage
"""
LATEST, LATEST_IN_PERIOD = 2, 1


def _counts_in_one_statement(
    counted: QuerySet[Client], start: dt.date, end: dt.date, grain: str
) -> Figures:
    periods = periods_of(start, end, grain)
    bounds = [p.key for p in periods[1:]] + [end + dt.timedelta(days=1)]
    clients_sql, clients_params = (
        counted.order_by().values("id", "record_key").query.sql_with_params()
    )
    # the ORM's positional parameters, named as the statement's are
    parts = clients_sql.split("%s")
    clients_sql = "".join(
        part + (f"%(c{i})s" if i < len(clients_params) else "") for i, part in enumerate(parts)
    )
    sql = _ONE_STATEMENT.format(
        figures=connection.ops.quote_name(ReportFigures._meta.db_table), counted=clients_sql
    )
    params = {f"c{i}": value for i, value in enumerate(clients_params)}
    params.update(bounds=bounds, start=start, end=end)
    figures: dict[tuple[str, object], list[int]] = {("assessments", None): [0, 0]}

    def add(figure: str, item: object, n: int, k: int) -> None:
        cell = figures.setdefault((figure, item), [0, 0])
        cell[0] += n
        cell[1] += k

    with connections[reading_alias()].cursor() as cursor:  # the replica in the report views
        cursor.execute(sql, params)
        for cell, stage, n, k, present, present_k, absent, absent_k in cursor.fetchall():
            if n > MAX_CELL_CLIENTS:
                raise OverflowError("too many clients for the packed counts")
            k = int(k or 0)
            add("assessments", None, n, k)
            if cell & LATEST_IN_PERIOD:
                period = periods[cell // 4].key
                add("period", period, n, k)
                keys = unpack(present_k)
                for factor_id, count in unpack(present).items():
                    add("period_present", (period, factor_id), count, keys[factor_id])
            if cell & LATEST:
                add("stage", stage, n, k)
                for figure, packed, packed_k in (
                    (PRESENT, present, present_k),
                    (ABSENT, absent, absent_k),
                ):
                    keys = unpack(packed_k)
                    for factor_id, count in unpack(packed).items():
                        add(figure, factor_id, count, keys[factor_id])
    return {key: (n, k) for key, (n, k) in figures.items()}


def count_clients(filters: ReportFilters) -> tuple[int, int]:
    """The clients the report would count, and their key sum: one query, for choosing
    a default period before the whole report is computed."""
    in_period = Q(status=COMPLETED, date__gte=filters.start, date__lte=filters.end)
    clients = Client.objects.filter(team_id__in=filters.team_ids, **filters.client_context())
    return _totals(clients, in_period)["counted"]
