"""What the report may publish: the true figures of ``compute`` turned into cells by
``disclosure`` (perturbed, then small cells withheld), and the page's groupings.

Every figure derived here (shares, the parts of a total, the "where to invest"
lists) is computed from published cells only, so that the page, its charts and
the CSV cannot disagree or reveal more than the cells do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.reports.compute import STAGE_CHOICES, FactorInfo, RawReport, compute_report
from assessments.reports.disclosure import (
    SMALL,
    WITHHELD,
    Cell,
    Share,
    balance,
    perturb,
    published_total,
    share_of,
    suppress_group,
)
from assessments.reports.periods import Period, ReportFilters
from factors.models import Action, Level, Role

TOP_N = 5


@dataclass(frozen=True)
class FactorRow:
    factor: FactorInfo
    present: Cell
    absent: Cell  # recorded absent: "not assessed" and unanswered are neither
    share: Share  # present, of the clients counted
    absent_share: Share


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    clients: Cell
    share: Share


@dataclass(frozen=True)
class SeriesRow:
    """One factor's share of clients over the periods of the trend."""

    factor: FactorInfo
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class TopGroup:
    key: str
    title: str
    measure: str
    column: str  # the table column that holds the same figures
    items: tuple[tuple[FactorRow, Cell, Share], ...]


@dataclass(frozen=True)
class Report:
    filters: ReportFilters
    threshold: int
    grain: str
    clients: Cell
    assessments: Cell
    excluded: Cell
    rows: tuple[FactorRow, ...]
    stages: tuple[StageRow, ...]
    periods: tuple[Period, ...]
    period_clients: tuple[Cell, ...]
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

        Strengthen ranks facilitating factors by how many clients have them recorded
        absent (not "not assessed": nobody knows those lack them); limit and watch rank
        hindering and ambivalent factors by how many clients have them present. Only
        factors to act on are ranked: context factors inform the reading, caution
        factors are never to be built. Withheld cells are left out.
        """

        def ranked(role: str, attr: str, share_attr: str):
            rows = [
                r
                for r in self.rows
                if r.factor.role == role
                and r.factor.action == Action.ACTIONABLE
                and getattr(r, attr).shown
            ]
            rows.sort(key=lambda r: (-getattr(r, attr).value, r.factor.label))
            return tuple((r, getattr(r, attr), getattr(r, share_attr)) for r in rows[:TOP_N])

        return (
            TopGroup(
                "strengthen",
                _("Strengthen"),
                _("Facilitating factors most often recorded absent (to build)"),
                pgettext("column of the report's factor tables", "Absent"),
                ranked(Role.FACILITATING, "absent", "absent_share"),
            ),
            TopGroup(
                "limit",
                pgettext("where to invest", "Limit"),
                _("Hindering factors most often present"),
                pgettext("column of the report's factor tables", "Present"),
                ranked(Role.HINDERING, "present", "share"),
            ),
            TopGroup(
                "watch",
                pgettext("where to invest", "Watch"),
                _("Ambivalent factors most often present"),
                pgettext("column of the report's factor tables", "Present"),
                ranked(Role.AMBIVALENT, "present", "share"),
            ),
        )

    def not_ranked(self) -> tuple[FactorRow, ...]:
        """Factors described in the tables but never ranked as an investment."""
        return tuple(r for r in self.rows if r.factor.action != Action.ACTIONABLE)


def publish(raw: RawReport, threshold: int) -> Report:
    """Everything the report may publish: perturbed cells, small ones and those that
    would reveal them withheld. Pure: the same raw counts always give the same report."""

    def cells(values: Sequence[int], reasons: Sequence[str]) -> list[Cell]:
        return [
            Cell(None if reason else value, reason, threshold)
            for value, reason in zip(values, reasons, strict=True)
        ]

    def alone(value: int) -> Cell:
        return cells([value], [SMALL if value < threshold else ""])[0]

    table = raw.key("counted")  # every cell's noise also depends on who the report counts
    total = published_total(raw.clients, table)
    clients = alone(total)
    factor_values = [_factor_groups(raw, total, table, factor.id) for factor in raw.factors]
    factor_reasons = [
        suppress_group(values, threshold) for groups in factor_values for values in groups
    ]
    stage_values = balance(
        total, [perturb(raw.stages.get(s, 0), raw.key("stage", s), table) for s, _ in STAGE_CHOICES]
    )
    stage_reasons = suppress_group(stage_values, threshold)
    if not clients.shown or stage_reasons is None or None in factor_reasons:
        return _withheld(raw, threshold, clients)

    rows = []
    reasons = iter(factor_reasons)
    for factor, (present_values, absent_values) in zip(raw.factors, factor_values, strict=True):
        present = cells(present_values, next(reasons))[0]
        absent = cells(absent_values, next(reasons))[0]
        rows.append(
            FactorRow(
                factor, present, absent, share_of(present, clients), share_of(absent, clients)
            )
        )
    stages = tuple(
        StageRow(stage, label, c, share_of(c, clients))
        for (stage, label), c in zip(STAGE_CHOICES, cells(stage_values, stage_reasons), strict=True)
    )
    period_clients, period_shares = _periods(raw, threshold, table)
    return Report(
        filters=raw.filters,
        threshold=threshold,
        grain=raw.grain,
        clients=clients,
        assessments=alone(perturb(raw.assessments, raw.key("assessments"), table)),
        excluded=alone(perturb(raw.excluded, raw.key("excluded"), table)),
        rows=tuple(rows),
        stages=stages,
        periods=raw.periods,
        period_clients=period_clients,
        series=tuple(
            SeriesRow(factor, tuple(shares[k] for shares in period_shares))
            for k, factor in enumerate(raw.factors)
        ),
    )


def _pair(total: int, count: int, key_sum: int, table: int) -> list[int]:
    """A perturbed part of a published total and its complement, adding up to it."""
    part = min(perturb(count, key_sum, table), total)
    return [part, total - part]


def _factor_groups(raw: RawReport, total: int, table: int, factor_id: int) -> list[list[int]]:
    """A factor's two published groups: (present, not present) and (absent, not
    absent). The not-assessed clients are in both complements, never a cell of
    their own, so no cell of one group can be worked out from the other."""
    return [
        _pair(total, raw.present.get(factor_id, 0), raw.key("present", factor_id), table),
        _pair(total, raw.absent.get(factor_id, 0), raw.key("absent", factor_id), table),
    ]


def _periods(
    raw: RawReport, threshold: int, table: int
) -> tuple[tuple[Cell, ...], list[list[Share]]]:
    """Each period's client count and factor shares. A period whose figures cannot be
    made safe is withheld whole: its count is not linked to any other figure."""
    totals, shares = [], []
    for period in raw.periods:
        n, n_key = raw.period_clients.get(period.key, 0), raw.key("period", period.key)
        total = perturb(n, n_key, table)
        hidden = [Share(None)] * len(raw.factors)
        if total < threshold:
            totals.append(Cell(None, SMALL, threshold))
            shares.append(hidden)
            continue
        column = []
        for factor in raw.factors:
            item = (period.key, factor.id)
            present, key = raw.period_present.get(item, 0), raw.key("period_present", item)
            values = _pair(total, present, key, table)
            reasons = suppress_group(values, threshold)
            if reasons is None:
                break
            column.append(Share(None) if reasons[0] else Share(values[0] / total))
        else:
            totals.append(Cell(total, "", threshold))
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
        grain=raw.grain,
        clients=clients if not clients.shown else hidden,
        assessments=hidden,
        excluded=hidden,
        rows=(),
        stages=(),
        periods=raw.periods,
        period_clients=tuple(hidden for _ in raw.periods),
        series=(),
    )


def build_report(filters: ReportFilters, *, threshold: int) -> Report:
    return publish(compute_report(filters), threshold)
