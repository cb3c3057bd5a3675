"""Supervisor reports: aggregated figures about a caseload, safe to share.

Two steps, kept apart so that the page, its charts and the CSV export cannot
disagree about what may be shown:

1. ``compute_report`` asks the database for raw counts, in a fixed number of
   aggregate queries whatever the size of the caseload.
2. ``suppress`` turns the raw counts into cells that may be published: a count
   below the threshold becomes "<N", and a second cell is withheld wherever the
   first could otherwise be worked out from a published total.

Only clients who consented to anonymised statistics, and did not withdraw,
are counted. A client's figures come from their latest completed assessment
in the period (or in each quarter, for the trends).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from assessments.models import Assessment, Client, Finding, Stage
from assessments.suppression import (
    SMALL,
    WITHHELD,
    Cell,
    Share,
    share_of,
    suppress_group,
)
from exitsupport.db_router import reading_alias
from factors.models import Factor, Level, Role

STATS_CONSENT = Q(stats_consent_on__isnull=False, stats_consent_withdrawn_at__isnull=True)
COMPLETED = Assessment.Status.COMPLETED
PRESENT = Finding.Status.PRESENT


NOT_RECORDED = ""
STAGE_CHOICES = (*Stage.choices, (NOT_RECORDED, "Not recorded"))
TOP_N = 5


# --- Filters and periods -----------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    team_ids: tuple[int, ...]
    team_id: int | None  # the one team chosen, or None for all the user's teams
    team_name: str
    start: dt.date
    end: dt.date
    age_group: str = ""
    route: str = ""
    setting: str = ""

    def client_context(self) -> dict[str, str]:
        fields = {"age_group": self.age_group, "route": self.route, "setting": self.setting}
        return {name: value for name, value in fields.items() if value}

    def describe(self) -> list[tuple[str, str]]:
        """The filters as (label, value) pairs, for headings, the CSV and the audit."""
        return [
            ("Team", self.team_name),
            ("Period", f"{self.start.isoformat()} to {self.end.isoformat()}"),
            ("Age group", Client.AgeGroup(self.age_group).label if self.age_group else "any"),
            ("Route", Client.Route(self.route).label if self.route else "any"),
            ("Setting", Client.Setting(self.setting).label if self.setting else "any"),
        ]


@dataclass(frozen=True)
class Quarter:
    key: dt.date  # first day of the calendar quarter, as TruncQuarter returns it
    start: dt.date  # clipped to the period
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.key.year} Q{(self.key.month - 1) // 3 + 1}"

    @property
    def partial(self) -> bool:
        return self.start != self.key or self.end != _quarter_after(self.key) - dt.timedelta(1)


def _quarter_after(key: dt.date) -> dt.date:
    month = key.month + 3
    return dt.date(key.year + (month > 12), (month - 1) % 12 + 1, 1)


def quarters_of(start: dt.date, end: dt.date) -> tuple[Quarter, ...]:
    """The calendar quarters that the period touches, clipped to it."""
    key = dt.date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    found = []
    while key <= end:
        following = _quarter_after(key)
        found.append(Quarter(key, max(key, start), min(following - dt.timedelta(1), end)))
        key = following
    return tuple(found)


# --- Step 1: raw counts from the database --------------------------------------


@dataclass(frozen=True)
class FactorInfo:
    id: int
    slug: str
    label: str
    level: str
    role: str

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass(frozen=True)
class RawReport:
    """Unsuppressed counts. Never render or export this: pass it to ``suppress``."""

    filters: ReportFilters
    clients: int
    excluded: int  # would have been counted but for the lack of consent
    assessments: int
    factors: tuple[FactorInfo, ...]
    present: dict[int, int]  # factor id -> clients
    stages: dict[str, int]
    quarters: tuple[Quarter, ...]
    quarter_clients: dict[dt.date, int]
    quarter_present: dict[tuple[dt.date, int], int]  # (quarter key, factor id) -> clients


def compute_report(filters: ReportFilters) -> RawReport:
    """Count the caseload in a fixed number of aggregate queries, whatever its size
    (three on PostgreSQL, seven elsewhere)."""
    in_period = Q(status=COMPLETED, date__gte=filters.start, date__lte=filters.end)
    clients = Client.objects.filter(team_id__in=filters.team_ids, **filters.client_context())
    assessed = clients.filter(Exists(Assessment.objects.filter(in_period, client=OuterRef("pk"))))
    totals = assessed.aggregate(
        counted=Count("pk", filter=STATS_CONSENT), excluded=Count("pk", filter=~STATS_CONSENT)
    )
    counted = clients.filter(STATS_CONSENT)

    in_scope = Assessment.objects.filter(in_period, client__in=counted.values("pk"))
    if connection.vendor == "postgresql":
        counts = _counts_in_one_statement(in_scope)
    else:
        counts = _counts(counted, in_period, in_scope)
    assessments, present, stages, quarter_clients, quarter_present = counts
    factors = tuple(
        FactorInfo(f.pk, f.slug, f.label, f.level, f.role)
        for f in Factor.objects.filter(Q(retired=False) | Q(pk__in=list(present)))
        .in_catalogue_order()
        .only("pk", "slug", "label", "level", "role")
    )
    return RawReport(
        filters=filters,
        clients=totals["counted"],
        excluded=totals["excluded"],
        assessments=assessments,
        factors=factors,
        present=present,
        stages=stages,
        quarters=quarters_of(filters.start, filters.end),
        quarter_clients=quarter_clients,
        quarter_present=quarter_present,
    )


Counts = tuple[
    int, dict[int, int], dict[str, int], dict[dt.date, int], dict[tuple[dt.date, int], int]
]


def _counts(counted: QuerySet[Client], in_period: Q, in_scope: QuerySet[Assessment]) -> Counts:
    """The assessment-level counts with the ORM, in five aggregate queries."""
    latest_ids = _latest_in_period(counted, in_period)
    present = dict(
        Finding.objects.filter(status=PRESENT, assessment_id__in=latest_ids)
        .order_by()
        .values("factor_id")
        .annotate(n=Count("*"))
        .values_list("factor_id", "n")
    )
    stages = dict(
        Assessment.objects.filter(id__in=latest_ids)
        .order_by()
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    per_quarter = _latest_per_quarter(counted, in_period)
    quarter_clients = {
        _as_date(quarter): n
        for quarter, n in Assessment.objects.filter(id__in=per_quarter)
        .order_by()
        .values("quarter")
        .annotate(n=Count("id"))
        .values_list("quarter", "n")
    }
    quarter_present = {
        (_as_date(quarter), factor_id): n
        for quarter, factor_id, n in Assessment.objects.filter(
            id__in=per_quarter, findings__status=PRESENT
        )
        .order_by()
        .values("quarter", "findings__factor_id")
        .annotate(n=Count("*"))
        .values_list("quarter", "findings__factor_id", "n")
    }
    return in_scope.count(), present, stages, quarter_clients, quarter_present


# PostgreSQL: the same counts as _counts, in one statement. The assessments in
# scope are selected once (the ORM writes that part, filters included), each
# client's latest one in the period and in each quarter picked with DISTINCT ON,
# and every figure read from those sets: about twice as fast as five queries.
_ONE_STATEMENT = """
WITH in_scope AS MATERIALIZED ({in_scope}),
latest AS MATERIALIZED (
    SELECT DISTINCT ON (client_id) id, stage FROM in_scope
    ORDER BY client_id, date DESC, id DESC
),
latest_in_quarter AS MATERIALIZED (
    SELECT DISTINCT ON (client_id, quarter) id, quarter FROM in_scope
    ORDER BY client_id, quarter, date DESC, id DESC
)
SELECT 'assessments', NULL::date, NULL, NULL::bigint, count(*) FROM in_scope
UNION ALL
SELECT 'stage', NULL, stage, NULL, count(*) FROM latest GROUP BY stage
UNION ALL
SELECT 'present', NULL, NULL, f.factor_id, count(*)
FROM latest JOIN {finding} AS f ON f.assessment_id = latest.id AND f.status = %s
GROUP BY f.factor_id
UNION ALL
SELECT 'quarter', quarter, NULL, NULL, count(*) FROM latest_in_quarter GROUP BY quarter
UNION ALL
SELECT 'quarter_present', q.quarter, NULL, f.factor_id, count(*)
FROM latest_in_quarter AS q JOIN {finding} AS f ON f.assessment_id = q.id AND f.status = %s
GROUP BY q.quarter, f.factor_id
"""


def _counts_in_one_statement(in_scope: QuerySet[Assessment]) -> Counts:
    scope_sql, scope_params = (
        in_scope.order_by().values("id", "client_id", "date", "quarter", "stage").query
    ).sql_with_params()
    sql = _ONE_STATEMENT.format(
        in_scope=scope_sql, finding=connection.ops.quote_name(Finding._meta.db_table)
    )
    assessments, present, stages, quarter_clients, quarter_present = 0, {}, {}, {}, {}
    with connections[reading_alias()].cursor() as cursor:  # the replica in the report views
        cursor.execute(sql, (*scope_params, PRESENT, PRESENT))
        for figure, quarter, stage, factor_id, n in cursor.fetchall():
            if figure == "assessments":
                assessments = n
            elif figure == "stage":
                stages[stage] = n
            elif figure == "present":
                present[factor_id] = n
            elif figure == "quarter":
                quarter_clients[quarter] = n
            else:
                quarter_present[(quarter, factor_id)] = n
    return assessments, present, stages, quarter_clients, quarter_present


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


def _latest_per_quarter(counted: QuerySet[Client], in_period: Q) -> QuerySet:
    """The ids of each counted client's latest completed assessment in each quarter
    of the period, as a subquery."""
    in_scope = Assessment.objects.filter(in_period, client__in=counted.values("pk"))
    # Those with no later completed assessment of the same client in the same quarter.
    later_in_quarter = Assessment.objects.filter(
        in_period, client=OuterRef("client_id"), quarter=OuterRef("quarter")
    ).filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), id__gt=OuterRef("id")))
    return in_scope.filter(~Exists(later_in_quarter)).values("id")


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- Step 2: suppression --------------------------------------------------------


@dataclass(frozen=True)
class FactorRow:
    factor: FactorInfo
    present: Cell
    not_present: Cell  # absent or not assessed: the complement of ``present``
    share: Share
    not_present_share: Share


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    clients: Cell
    share: Share


@dataclass(frozen=True)
class SeriesRow:
    """One factor's share of clients over the quarters of the period."""

    factor: FactorInfo
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class TopGroup:
    key: str
    title: str
    measure: str
    items: tuple[tuple[FactorRow, Cell, Share], ...]


@dataclass(frozen=True)
class Report:
    filters: ReportFilters
    threshold: int
    clients: Cell
    assessments: Cell
    excluded: Cell
    rows: tuple[FactorRow, ...]
    stages: tuple[StageRow, ...]
    quarters: tuple[Quarter, ...]
    quarter_clients: tuple[Cell, ...]
    series: tuple[SeriesRow, ...]

    @property
    def withheld(self) -> bool:
        """Too few clients to publish anything but that fact."""
        return not self.clients.shown

    def by_level(self) -> list[tuple[str, str, list[tuple[str, str, list[FactorRow]]]]]:
        """The rows as the catalogue grid: level, then role."""
        return [
            (
                level.value,
                level.label,
                [
                    (role.value, role.label, rows)
                    for role in Role
                    if (
                        rows := [
                            r for r in self.rows if (r.factor.level, r.factor.role) == (level, role)
                        ]
                    )
                ],
            )
            for level in Level
            if any(r.factor.level == level for r in self.rows)
        ]

    def top(self) -> tuple[TopGroup, ...]:
        """The most frequent factors to strengthen, limit and watch across the caseload.

        Strengthen ranks facilitating factors by how many clients lack them (where
        building them would reach most people); limit and watch rank hindering and
        ambivalent factors by how many clients have them. Withheld cells are left out.
        """

        def ranked(role: str, attr: str, share_attr: str):
            rows = [r for r in self.rows if r.factor.role == role and getattr(r, attr).shown]
            rows.sort(key=lambda r: (-getattr(r, attr).value, r.factor.label))
            return tuple((r, getattr(r, attr), getattr(r, share_attr)) for r in rows[:TOP_N])

        return (
            TopGroup(
                "strengthen",
                "Strengthen",
                "Facilitating factors most often not present (to build)",
                ranked(Role.FACILITATING, "not_present", "not_present_share"),
            ),
            TopGroup(
                "limit",
                "Limit",
                "Hindering factors most often present",
                ranked(Role.HINDERING, "present", "share"),
            ),
            TopGroup(
                "watch",
                "Watch",
                "Ambivalent factors most often present",
                ranked(Role.AMBIVALENT, "present", "share"),
            ),
        )


def suppress(raw: RawReport, threshold: int) -> Report:
    """Everything the report may publish, with small cells and the cells that would
    reveal them withheld. Pure: the same raw counts always give the same report."""

    def cell(value: int, reason: str = "") -> Cell:
        return Cell(None if reason else value, reason, threshold)

    clients = cell(raw.clients, SMALL if raw.clients < threshold else "")
    factor_values = [
        (raw.present.get(f.id, 0), raw.clients - raw.present.get(f.id, 0)) for f in raw.factors
    ]
    factor_reasons = [suppress_group(values, threshold) for values in factor_values]
    stage_values = [raw.stages.get(stage, 0) for stage, _ in STAGE_CHOICES]
    stage_reasons = suppress_group(stage_values, threshold)
    if not clients.shown or stage_reasons is None or None in factor_reasons:
        return _withheld(raw, threshold, clients)

    rows = []
    for factor, values, reasons in zip(raw.factors, factor_values, factor_reasons, strict=True):
        present, not_present = (cell(v, r) for v, r in zip(values, reasons, strict=True))
        rows.append(
            FactorRow(
                factor,
                present,
                not_present,
                share_of(present, clients),
                share_of(not_present, clients),
            )
        )
    stages = tuple(
        StageRow(stage, label, c, share_of(c, clients))
        for (stage, label), c in zip(
            STAGE_CHOICES,
            (cell(v, r) for v, r in zip(stage_values, stage_reasons, strict=True)),
            strict=True,
        )
    )
    quarter_clients, quarter_shares = _quarters(raw, threshold)
    return Report(
        filters=raw.filters,
        threshold=threshold,
        clients=clients,
        assessments=cell(raw.assessments, SMALL if raw.assessments < threshold else ""),
        excluded=cell(raw.excluded, SMALL if raw.excluded < threshold else ""),
        rows=tuple(rows),
        stages=stages,
        quarters=raw.quarters,
        quarter_clients=quarter_clients,
        series=tuple(
            SeriesRow(factor, tuple(shares[k] for shares in quarter_shares))
            for k, factor in enumerate(raw.factors)
        ),
    )


def _quarters(raw: RawReport, threshold: int) -> tuple[tuple[Cell, ...], list[list[Share]]]:
    """Each quarter's client count and factor shares. A quarter whose figures cannot
    be made safe is withheld whole: its count is not linked to any other figure."""
    totals, shares = [], []
    for quarter in raw.quarters:
        n = raw.quarter_clients.get(quarter.key, 0)
        hidden = [Share(None)] * len(raw.factors)
        if n < threshold:
            totals.append(Cell(None, SMALL, threshold))
            shares.append(hidden)
            continue
        column = []
        for factor in raw.factors:
            present = raw.quarter_present.get((quarter.key, factor.id), 0)
            reasons = suppress_group((present, n - present), threshold)
            if reasons is None:
                break
            column.append(Share(None) if reasons[0] else Share(present / n))
        else:
            totals.append(Cell(n, "", threshold))
            shares.append(column)
            continue
        totals.append(Cell(None, WITHHELD, threshold))
        shares.append(hidden)
    return tuple(totals), shares


def _withheld(raw: RawReport, threshold: int, clients: Cell) -> Report:
    """Too few clients to publish any figure: only that fact is shown."""
    hidden = Cell(None, WITHHELD, threshold)
    return Report(
        filters=raw.filters,
        threshold=threshold,
        clients=clients if not clients.shown else hidden,
        assessments=hidden,
        excluded=hidden,
        rows=(),
        stages=(),
        quarters=raw.quarters,
        quarter_clients=tuple(hidden for _ in raw.quarters),
        series=(),
    )


def build_report(filters: ReportFilters, *, threshold: int) -> Report:
    return suppress(compute_report(filters), threshold)
