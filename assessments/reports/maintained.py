"""The report's true figures on PostgreSQL: one statement over the maintained rows.

``assessments/figures.py`` keeps one row per completed assessment, with its
client's team, consent, record key and context. The statement reads the rows of the
report's teams and period (index on team, date) and groups them by month - the
month of the assessment, and the month of the client's next completed assessment
(``superseded_on``; "after the end" when there is none in the period) - by consent,
and by stage (for the latest in the period). Every figure of the report, for any grain
of the trend, is a sum of these few hundred groups, which Python adds up:

- a row is its client's latest completed assessment in the period when it is not
  superseded in the period; one such row per client assessed: the totals, counted
  (with consent) and left out (without);
- it is the latest in its period of the trend when its next assessment falls in a
  later period of the grain (or after the end);
- the per-factor counts and key sums come from the sums of the packed factors
  (``figures.unpack``), unpacked once per figure.

The totals come from the same statement as the figures, so the automatic grain
(chosen from the total) costs no second query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, connections

from assessments.figures import MAX_CELL_CLIENTS, ReportFigures, unpack
from assessments.models import Finding
from assessments.reports.periods import ReportFilters, months_back, period_key, periods_of
from exitsupport.db_router import reading_alias

PRESENT = Finding.Status.PRESENT
ABSENT = Finding.Status.ABSENT

# One row per group: ``cell`` is (month, month superseded) * 2 + counted, one integer
# so that the planner hashes about a thousand groups rather than sorting the rows; the
# months are indexes in the period's months (``width_bucket`` over their first days,
# the last bound the day after the end), the month superseded the number of months
# when not superseded in the period. Only what a group can need is summed: the
# factors of counted rows, present where the row may be the latest of some period
# of the trend (superseded in a later month), absent where it is the latest in the
# period. ``OFFSET 0`` hides the grouping expressions from the planner, which would
# otherwise expect thousands of groups and sort the rows on disk instead of hashing;
# the stage is a plain column there for the same reason, and only the outer grouping
# (of a thousand rows) keeps it for the latest alone: a third as many sums to send.
_STATEMENT = """
SELECT cell, CASE WHEN cell / 2 %% (%(months)s + 1) = %(months)s THEN stage END,
       sum(n), sum(keys), sum(present), sum(present_keys), sum(absent), sum(absent_keys)
FROM (
    SELECT cell, stage, count(*) AS n, sum(record_key) AS keys,
           sum(present) AS present, sum(present * record_key) AS present_keys,
           sum(absent) AS absent, sum(absent * record_key) AS absent_keys
    FROM (
        SELECT (month * (%(months)s + 1) + superseded) * 2 + counted::integer AS cell,
               stage, record_key,
               CASE WHEN counted AND superseded > month THEN present END AS present,
               CASE WHEN counted AND superseded = %(months)s THEN absent END AS absent
        FROM (
            SELECT width_bucket(f.date, %(bounds)s::date[]) AS month,
                   coalesce(width_bucket(f.superseded_on, %(bounds)s::date[]), %(months)s)
                       AS superseded,
                   f.counted, f.record_key, f.stage, f.present, f.absent
            FROM {figures} AS f
            WHERE f.team_id = ANY (%(teams)s) AND f.date >= %(start)s AND f.date <= %(end)s
                  {context}
        ) AS rows
        OFFSET 0
    ) AS needed
    GROUP BY cell, stage
) AS groups
GROUP BY 1, 2
"""


# The clients the report would count: their latest rows in the period, with consent.
_COUNT = """
SELECT count(*), coalesce(sum(f.record_key), 0)
FROM {figures} AS f
WHERE f.team_id = ANY (%(teams)s) AND f.date >= %(start)s AND f.date <= %(end)s
      AND (f.superseded_on IS NULL OR f.superseded_on > %(end)s) AND f.counted {context}
"""


def _run(statement: str, filters: ReportFilters, **params) -> list[tuple]:
    """The statement's rows for the filters' teams, period and client context."""
    context = "".join(f" AND f.{name} = %({name})s" for name in sorted(filters.client_context()))
    sql = statement.format(
        figures=connection.ops.quote_name(ReportFigures._meta.db_table), context=context
    )
    params.update(
        teams=list(filters.team_ids),
        start=filters.start,
        end=filters.end,
        **filters.client_context(),
    )
    with connections[reading_alias()].cursor() as cursor:  # the replica in the report views
        cursor.execute(sql, params)
        return cursor.fetchall()


def maintained_count(filters: ReportFilters) -> tuple[int, int]:
    """The clients the report would count, and their key sum."""
    ((clients, keys),) = _run(_COUNT, filters)
    return clients, int(keys)


@dataclass(frozen=True)
class _Group:
    month: int
    superseded: int  # months: not superseded in the period
    counted: bool
    stage: str | None  # the latest in the period only
    clients: int
    keys: int
    present: int
    present_keys: int
    absent: int
    absent_keys: int


def _month_bounds(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of each month of the period after the first, then the day after
    the end: ``width_bucket`` gives a day of the period its month's index."""
    bounds, year, month = [], start.year, start.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        first = dt.date(year, month, 1)
        if first > end:
            return [*bounds, end + dt.timedelta(days=1)]
        bounds.append(first)


class MaintainedCells:
    """The groups of one report's rows (one query), and the figures for any grain."""

    def __init__(self, filters: ReportFilters):
        self.start, self.end = filters.start, filters.end
        bounds = _month_bounds(filters.start, filters.end)
        self.months = len(bounds)
        rows = _run(_STATEMENT, filters, bounds=bounds, months=self.months)
        self.groups = [self._group(*row) for row in rows]

    def _group(self, cell, stage, n, k, present, present_k, absent, absent_k) -> _Group:
        months, counted = divmod(cell, 2)
        month, superseded = divmod(months, self.months + 1)
        return _Group(
            month,
            superseded,
            bool(counted),
            stage,
            int(n),
            int(k or 0),
            *(int(value or 0) for value in (present, present_k, absent, absent_k)),
        )

    def totals(self) -> dict[str, tuple[int, int]]:
        """Clients assessed in the period: counted, and left out for lack of consent
        (each has one latest row in the period)."""
        totals = {"counted": [0, 0], "excluded": [0, 0]}
        for group in self.groups:
            if group.superseded == self.months:
                total = totals["counted" if group.counted else "excluded"]
                total[0] += group.clients
                total[1] += group.keys
        return {name: (n, k) for name, (n, k) in totals.items()}

    def figures(self, grain: str) -> dict[tuple[str, object], tuple[int, int]]:
        """compute.Figures for the trend by ``grain``, from the groups."""
        periods = periods_of(self.start, self.end, grain)
        keys = [p.key for p in periods]
        index = {key: i for i, key in enumerate(keys)}
        # each month's period of the trend; "after the end" in none
        period_of = [
            index[period_key(months_back(self.start, -month), grain)]
            for month in range(self.months)
        ]
        period_of.append(None)

        counts: dict[tuple[str, object], list[int]] = {("assessments", None): [0, 0]}
        # (figure, period or None) -> [clients, packed sum, packed key sum]
        packed: dict[tuple[str, object], list[int]] = {}

        def add(into, figure: str, item: object, *values: int) -> None:
            cell = into.setdefault((figure, item), [0] * len(values))
            for i, value in enumerate(values):
                cell[i] += value

        for g in self.groups:
            if not g.counted:
                continue
            add(counts, "assessments", None, g.clients, g.keys)
            period = period_of[g.month]
            if period_of[g.superseded] != period:  # the latest in its period of the trend
                add(counts, "period", keys[period], g.clients, g.keys)
                add(packed, "period_present", keys[period], g.clients, g.present, g.present_keys)
            if g.superseded == self.months:  # the latest in the period
                add(counts, "stage", g.stage, g.clients, g.keys)
                add(packed, PRESENT, None, g.clients, g.present, g.present_keys)
                add(packed, ABSENT, None, g.clients, g.absent, g.absent_keys)

        figures = {key: (n, k) for key, (n, k) in counts.items()}
        for (figure, period), (clients, sums, key_sums) in packed.items():
            if clients > MAX_CELL_CLIENTS:  # a field would have overflowed into the next
                raise OverflowError("too many clients for the packed counts")
            key_fields = unpack(key_sums)
            for factor_id, n in unpack(sums).items():
                item = factor_id if period is None else (period, factor_id)
                figures[(figure, item)] = (n, key_fields[factor_id])
        return figures
