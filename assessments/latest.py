"""Each client's latest completed assessment, kept in step instead of searched for.

The report counts every client by their latest completed assessment in the
period and in each quarter of it, found today by rescanning the period's
assessments. ``LatestCompleted`` keeps, per client and calendar quarter, the
latest completed assessment of that quarter and marks the client's latest of
all, so that no statement has to search for them. (Measured at 100,000 clients,
bench/README.md: the report's per-factor counts, not this search, take most of
its time, and reading these rows is not faster than the rescan there.)

It is derived data with one rule: **it always equals** ``expected_rows()``, **a
full recomputation from the assessments**. To keep it so:

- ``refresh(client_id)`` recomputes one client's rows from their assessments.
  It is called in the same transaction as every change that can move a latest
  assessment: completing one (``Assessment.save_checked``, or ``save`` of a
  completed one or of any existing one, as the admin does), reopening one
  (``Assessment.reopen``) and deleting one (a ``post_delete`` receiver, which
  also covers the admin and the cascade when a client is erased; the client's
  rows go with them through their foreign keys).
- ``rebuild()`` recomputes every row, set-based: after bulk loads (``seed_demo``)
  and from ``manage.py rebuild_latest``.

A completed assessment cannot be edited without reopening it first, so no other
change can move a latest assessment.

``report_counts_sql`` is the report's aggregation on top of these rows: the same
figures as ``bench/report.sql`` and ``assessments.reports.compute_report``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection, connections, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from assessments.models import Assessment, Client, Finding, LatestCompleted, quarter_start
from exitsupport.db_router import reading_alias

COMPLETED = Assessment.Status.COMPLETED
PRESENT = Finding.Status.PRESENT
STATS_CONSENT = Q(stats_consent_on__isnull=False, stats_consent_withdrawn_at__isnull=True)

# Each client's latest completed assessment per quarter, and overall, ranked with
# window functions (PostgreSQL and SQLite alike). {where} narrows to one client.
_RANKED = """
INSERT INTO {latest} (client_id, quarter, assessment_id, date, stage, is_latest)
SELECT client_id, quarter, id, date, stage, overall = 1
FROM (
    SELECT client_id, quarter, id, date, stage,
           ROW_NUMBER() OVER (PARTITION BY client_id, quarter ORDER BY date DESC, id DESC)
               AS in_quarter,
           ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY date DESC, id DESC) AS overall
    FROM {assessment}
    WHERE status = %s {where}
) AS ranked
WHERE in_quarter = 1
"""


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "latest": quote(LatestCompleted._meta.db_table),
        "assessment": quote(Assessment._meta.db_table),
        "client": quote(Client._meta.db_table),
        "finding": quote(Finding._meta.db_table),
    }


@transaction.atomic
def refresh(client_id: int) -> None:
    """Recompute one client's rows (three small statements). The client's row is
    locked first, so two changes to the same client's assessments apply in turn."""
    list(Client.objects.select_for_update().filter(pk=client_id).values_list("pk"))
    LatestCompleted.objects.filter(client_id=client_id).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            _RANKED.format(**_tables(), where="AND client_id = %s"), [COMPLETED, client_id]
        )


@transaction.atomic
def rebuild() -> int:
    """Recompute every row from the assessments; the number of rows."""
    LatestCompleted.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(_RANKED.format(**_tables(), where=""), [COMPLETED])
    return LatestCompleted.objects.count()


# client, quarter, assessment, date, stage, whether the client's latest of all
Row = tuple[int, dt.date, int, dt.date, str, bool]


def expected_rows() -> set[Row]:
    """What the rows must be, recomputed in Python from every completed assessment:
    the definition the maintained rows are tested against."""
    per_quarter: dict[tuple[int, dt.date], tuple[dt.date, int, str]] = {}
    overall: dict[int, tuple[dt.date, int]] = {}
    for client_id, date, pk, stage in Assessment.objects.filter(status=COMPLETED).values_list(
        "client_id", "date", "pk", "stage"
    ):
        key = (client_id, quarter_start(date))
        if key not in per_quarter or (date, pk) > per_quarter[key][:2]:
            per_quarter[key] = (date, pk, stage)
        if client_id not in overall or (date, pk) > overall[client_id]:
            overall[client_id] = (date, pk)
    return {
        (client_id, quarter, pk, date, stage, overall[client_id] == (date, pk))
        for (client_id, quarter), (date, pk, stage) in per_quarter.items()
    }


def stored_rows() -> set[Row]:
    return set(
        LatestCompleted.objects.values_list(
            "client_id", "quarter", "assessment_id", "date", "stage", "is_latest"
        )
    )


# --- The report on top of the maintained rows ------------------------------------

# Every figure of the report for the clients of {scope} (a SELECT of id and
# consent: the team and client-context filters, written by the ORM) and the
# period [start, end], as rows of (figure, quarter, item, n) - the shape of
# bench/report.sql. No statement reads all the assessments to find the latest:
#
# per_quarter  the latest assessment of each client in each quarter of the period
#              (clipped to it): the maintained row of the quarter when its date is
#              in the period. A quarter's latest before the start means nothing of
#              the quarter is in the period. Only in the last quarter can the
#              latest fall after the end (a period that ends mid-quarter, before
#              today); for those clients alone, the latest up to the end is looked
#              up in their assessments of that quarter.
# latest       each client's latest in the period: the maintained latest of all
#              when its date is in the period (always the case for a period that
#              ends today); for clients with a later one, the greatest of their
#              per_quarter rows.
# assessments  a count over the completed assessments in the period (an index
#              range, nothing sorted).
_REPORT = """
WITH scope AS ({scope}),
per_quarter AS (
    SELECT l.client_id, l.quarter, l.assessment_id AS id, l.date, s.consent
    FROM {latest} AS l JOIN scope AS s ON s.id = l.client_id
    WHERE l.quarter BETWEEN %(first_quarter)s AND %(last_quarter)s
      AND l.date BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT client_id, quarter, id, date, consent FROM (
        SELECT a.client_id, a.quarter, a.id, a.date, s.consent,
               ROW_NUMBER() OVER (PARTITION BY a.client_id ORDER BY a.date DESC, a.id DESC)
                   AS rank
        FROM {latest} AS l
        JOIN scope AS s ON s.id = l.client_id
        JOIN {assessment} AS a ON a.client_id = l.client_id AND a.quarter = l.quarter
        WHERE l.quarter = %(last_quarter)s AND l.date > %(end)s
          AND a.status = %(completed)s AND a.date BETWEEN %(start)s AND %(end)s
    ) AS clipped
    WHERE rank = 1
),
latest AS (
    SELECT l.assessment_id AS id, l.stage, s.consent
    FROM {latest} AS l JOIN scope AS s ON s.id = l.client_id
    WHERE l.is_latest AND l.date BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT id, stage, consent FROM (
        SELECT p.id, a.stage, p.consent,
               ROW_NUMBER() OVER (PARTITION BY p.client_id ORDER BY p.date DESC, p.id DESC)
                   AS rank
        FROM per_quarter AS p
        JOIN {latest} AS l ON l.client_id = p.client_id AND l.is_latest AND l.date > %(end)s
        JOIN {assessment} AS a ON a.id = p.id
    ) AS earlier
    WHERE rank = 1
)
SELECT 'clients' AS figure, CAST(NULL AS DATE) AS quarter, CAST(NULL AS TEXT) AS item,
       count(*) AS n
FROM latest WHERE consent
UNION ALL
SELECT 'excluded', NULL, NULL, count(*) FROM latest WHERE NOT consent
UNION ALL
SELECT 'assessments', NULL, NULL, count(*)
FROM {assessment} AS a JOIN scope AS s ON s.id = a.client_id AND s.consent
WHERE a.status = %(completed)s AND a.date BETWEEN %(start)s AND %(end)s
UNION ALL
SELECT 'present', NULL, CAST(f.factor_id AS TEXT), count(*)
FROM latest JOIN {finding} AS f ON f.assessment_id = latest.id AND f.status = %(present)s
WHERE latest.consent
GROUP BY f.factor_id
UNION ALL
SELECT 'stage', NULL, stage, count(*) FROM latest WHERE consent GROUP BY stage
UNION ALL
SELECT 'quarter_clients', quarter, NULL, count(*) FROM per_quarter WHERE consent GROUP BY quarter
UNION ALL
SELECT 'quarter_present', p.quarter, CAST(f.factor_id AS TEXT), count(*)
FROM per_quarter AS p JOIN {finding} AS f ON f.assessment_id = p.id AND f.status = %(present)s
WHERE p.consent
GROUP BY p.quarter, f.factor_id
"""


def report_counts_sql(scope_sql: str, start: dt.date, end: dt.date) -> tuple[str, dict]:
    """The report's statement and its named parameters. ``scope_sql`` selects
    ``id`` and ``consent`` (a boolean) of the clients in scope, with its own
    parameters already inlined as named ones by the caller (see
    ``report_counts``)."""
    sql = _REPORT.format(scope=scope_sql, **_tables())
    params = {
        "start": start,
        "end": end,
        "first_quarter": quarter_start(start),
        "last_quarter": quarter_start(end),
        "completed": COMPLETED,
        "present": PRESENT,
    }
    return sql, params


def report_counts(clients: QuerySet[Client], start: dt.date, end: dt.date) -> ReportCounts:
    """Every figure of the report for ``clients`` (the team and client-context
    filters applied, consent not yet) in [start, end], in one statement."""
    scope = clients.order_by().annotate(
        consent=ExpressionWrapper(STATS_CONSENT, output_field=BooleanField())
    )
    scope_sql, scope_params = scope.values("id", "consent").query.sql_with_params()
    # The ORM writes positional placeholders; the statement uses named ones.
    names = iter(range(len(scope_params)))
    scope_sql = re.sub(r"(?<!%)%s", lambda _: f"%(scope_{next(names)})s", scope_sql)
    sql, params = report_counts_sql(scope_sql, start, end)
    params.update({f"scope_{k}": value for k, value in enumerate(scope_params)})
    counts = ReportCounts()
    with connections[reading_alias()].cursor() as cursor:  # the replica in the report views
        cursor.execute(sql, params)
        for figure, quarter, item, n in cursor.fetchall():
            if quarter is not None:
                quarter = dt.date.fromisoformat(quarter) if isinstance(quarter, str) else quarter
            counts.add(figure, quarter, item, n)
    return counts


@dataclass
class ReportCounts:
    """The report's raw figures, named as in ``assessments.reports.RawReport``."""

    clients: int = 0
    excluded: int = 0
    assessments: int = 0
    present: dict[int, int] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)
    quarter_clients: dict[dt.date, int] = field(default_factory=dict)
    quarter_present: dict[tuple[dt.date, int], int] = field(default_factory=dict)

    def add(self, figure: str, quarter: dt.date | None, item, n: int) -> None:
        if figure in ("clients", "excluded", "assessments"):
            setattr(self, figure, n)
        elif figure == "present":
            self.present[int(item)] = n
        elif figure == "stage":
            self.stages[item] = n
        elif figure == "quarter_clients":
            self.quarter_clients[quarter] = n
        else:
            self.quarter_present[(quarter, int(item))] = n
