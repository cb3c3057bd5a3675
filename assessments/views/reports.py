"""The supervisor report: page with charts, and its CSV export.

Both go through ``assessments.reports.build_report``, which suppresses small
cells before anything here sees a figure.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments.access import require, teams_for
from assessments.audit import client_ip
from assessments.forms_reports import ReportFilterForm
from assessments.models import AuditEvent
from assessments.reports import Report, ReportFilters, build_report
from assessments.suppression import Share
from exitsupport.db_router import replica_reads
from factors.models import Level

# --- Views -------------------------------------------------------------------


def _prepare(request) -> tuple[ReportFilterForm, Report | None]:
    """The filter form, and the report when the filters are valid."""
    require(request.user, "assessments.view_team_report")
    teams = list(teams_for(request.user))
    raw_team = request.GET.get("team", "")
    if raw_team.isascii() and raw_team.isdigit() and int(raw_team) not in {t.pk for t in teams}:
        raise Http404  # not one of the user's teams: as if it did not exist
    form = ReportFilterForm(request.GET, teams=teams, today=timezone.localdate())
    if not teams or not form.is_valid():
        return form, None
    return form, build_report(form.filters(), threshold=settings.REPORT_MIN_CELL)


def _audit(request, action: str, filters: ReportFilters) -> None:
    """One audit record per team the report covers, so that each team's
    supervisors see it in their trail (a report on "all my teams" included)."""
    detail = "; ".join(f"{label}: {value}" for label, value in filters.describe())
    for team_id in filters.team_ids:
        AuditEvent.objects.create(
            user=request.user,
            username=request.user.get_username(),
            action=action,
            object_type=AuditEvent.ObjectType.REPORT,
            object_id=None,
            team_id=team_id,
            ip=client_ip(request),
            detail=detail[:200],
        )


def query_string(filters: ReportFilters) -> str:
    return urlencode(
        {
            "team": filters.team_id or "",
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "age_group": filters.age_group,
            "route": filters.route,
            "setting": filters.setting,
        }
    )


@never_cache
@login_required
@require_safe
@replica_reads
def report(request):
    """Aggregated figures for the supervisor's teams, safe to share."""
    form, result = _prepare(request)
    context = {
        "form": form,
        "report": result,
        "has_teams": bool(form.teams),
        "threshold": settings.REPORT_MIN_CELL,
    }
    if result is not None:
        _audit(request, AuditEvent.Action.VIEW, result.filters)
        context.update(
            query=query_string(result.filters),
            factor_levels=[
                (level, label, roles, bar_chart(result, level))
                for level, label, roles in result.by_level()
            ],
            has_partial_quarter=any(q.partial for q in result.quarters),
            trend_charts=trend_charts(result),
        )
    return render(request, "assessments/report.html", context)


@never_cache
@login_required
@require_safe
@replica_reads
def report_csv(request):
    """The report's tables as CSV, with the same suppression as the page."""
    form, result = _prepare(request)
    if result is None:
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in form.errors.items()
        )
        return HttpResponseBadRequest(
            f"Invalid report filters. {errors or 'You lead no team.'}",
            content_type="text/plain; charset=utf-8",
        )
    _audit(request, AuditEvent.Action.EXPORT, result.filters)
    response = HttpResponse(render_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(result.filters)}"'
    return response


# --- CSV -----------------------------------------------------------------------


def csv_filename(filters: ReportFilters) -> str:
    def part(value: str) -> str:
        return slugify(value.replace("_", "-")) or "any"

    team = slugify(filters.team_name) if filters.team_id else "all-teams"
    return (
        f"exitsupport-report-{team or 'team'}-{filters.start.isoformat()}-to-"
        f"{filters.end.isoformat()}-age-{part(filters.age_group)}-route-{part(filters.route)}"
        f"-setting-{part(filters.setting)}.csv"
    )


def _safe(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _comment(text: str) -> str:
    return "# " + " ".join(text.split()) + "\r\n"


def render_csv(report: Report) -> str:
    out = io.StringIO()
    out.write(_comment("ExitSupport supervisor report: aggregated figures, small cells suppressed"))
    for label, value in report.filters.describe():
        out.write(_comment(f"{label}: {value}"))
    out.write(
        _comment(
            f"Counts below {report.threshold} are shown as <{report.threshold}; 'suppressed' "
            "marks a figure withheld so that a small count cannot be worked out from others."
        )
    )
    out.write(_comment("Only clients who consented to anonymised statistics are counted."))
    writer = csv.writer(out)

    def rows(header: list[str], body) -> None:
        writer.writerow([])
        writer.writerow(header)
        writer.writerows([[_safe(cell) for cell in row] for row in body])

    rows(
        ["table", "measure", "value"],
        [
            ["summary", "clients counted", report.clients],
            ["summary", "completed assessments", report.assessments],
            ["summary", "clients left out: no consent to statistics", report.excluded],
        ],
    )
    if report.withheld:
        return out.getvalue()
    rows(
        ["table", "level", "role", "factor", "clients with factor present", "share of clients"],
        [
            [
                "factors",
                r.factor.level_label,
                r.factor.role_label,
                r.factor.label,
                r.present,
                r.share,
            ]
            for r in report.rows
        ],
    )
    rows(
        ["table", "stage of change", "clients", "share of clients"],
        [["stages", s.label, s.clients, s.share] for s in report.stages],
    )
    rows(
        ["table", "level", "role", "factor", *(q.label for q in report.quarters)],
        [
            ["quarterly", "", "", "clients assessed in the quarter", *report.quarter_clients],
            *(
                ["quarterly", s.factor.level_label, s.factor.role_label, s.factor.label, *s.shares]
                for s in report.series
            ),
        ],
    )
    return out.getvalue()


# --- Charts (server-side SVG; the templates draw what these compute) -------------

BAR_LABEL_W, BAR_W, ROW_H, BAR_H, CHART_TOP = 290, 280, 22, 14, 22
LINE_W, LINE_H, LINE_X0, LINE_X1, LINE_Y0, LINE_Y1 = 240, 120, 38, 228, 12, 86
STUB = 18  # width of the hatched stub drawn for a withheld bar


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    role: str
    y: int
    width: float
    text: str
    shown: bool

    @property
    def text_y(self) -> int:
        return self.y + BAR_H - 3

    @property
    def text_x(self) -> float:
        return BAR_LABEL_W + self.width + 6


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    desc: str
    bars: tuple[Bar, ...]
    height: int
    width: int = BAR_LABEL_W + BAR_W + 60
    label_w: int = BAR_LABEL_W
    bar_h: int = BAR_H

    @property
    def ticks(self) -> list[tuple[float, str]]:
        return [(BAR_LABEL_W + BAR_W * p / 100, f"{p}%") for p in (0, 25, 50, 75, 100)]

    @property
    def axis_y(self) -> int:
        return self.height - 14


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(report: Report, level: str) -> BarChart | None:
    rows = [r for r in report.rows if r.factor.level == level]
    if not rows:
        return None
    bars = tuple(
        Bar(
            label=r.factor.label,
            short_label=_short(r.factor.label),
            role=r.factor.role,
            y=CHART_TOP + i * ROW_H,
            width=BAR_W * r.share.percent / 100 if r.share.shown else STUB,
            text=str(r.share) if r.share.shown else str(r.present),
            shown=r.share.shown,
        )
        for i, r in enumerate(rows)
    )
    label = Level(level).label
    return BarChart(
        id=f"bars-{level}",
        title=f"{label} factors: share of clients with the factor present",
        desc=(
            f"Horizontal bars, one per {label.lower()} factor, from 0 to 100% of the "
            f"{report.clients} clients counted. Withheld figures are drawn as short hatched bars. "
            "The same figures are in the table beside the chart."
        ),
        bars=bars,
        height=CHART_TOP + len(rows) * ROW_H + 24,
    )


@dataclass(frozen=True)
class TrendChart:
    id: str
    title: str
    desc: str
    role: str
    lines: tuple[str, ...]  # "x,y x,y" polylines, broken where a share is withheld
    dots: tuple[tuple[float, float, str], ...]
    gaps: tuple[float, ...]  # x of each withheld quarter
    x_labels: tuple[tuple[float, str], ...]
    width: int = LINE_W
    height: int = LINE_H
    x0: int = LINE_X0
    x1: int = LINE_X1
    y0: int = LINE_Y0
    y1: int = LINE_Y1


def _x(i: int, n: int) -> float:
    if n == 1:
        return (LINE_X0 + LINE_X1) / 2
    return round(LINE_X0 + i * (LINE_X1 - LINE_X0) / (n - 1), 1)


def _y(share: Share) -> float:
    return round(LINE_Y1 - share.value * (LINE_Y1 - LINE_Y0), 1)


def trend_charts(report: Report) -> list[TrendChart]:
    """A small line chart per factor (those with at least one quarter shown)."""
    n = len(report.quarters)
    charts = []
    for row in report.series:
        if not any(share.shown for share in row.shares):
            continue
        lines, current, dots, gaps = [], [], [], []
        for i, share in enumerate(row.shares):
            if share.shown:
                current.append(f"{_x(i, n)},{_y(share)}")
                dots.append((_x(i, n), _y(share), str(share)))
            else:
                gaps.append(_x(i, n))
                if current:
                    lines.append(" ".join(current))
                current = []
        if current:
            lines.append(" ".join(current))
        values = "; ".join(
            f"{q.label}: {share}" for q, share in zip(report.quarters, row.shares, strict=True)
        )
        labels = [(_x(0, n), report.quarters[0].label)]
        if n > 1:
            labels.append((_x(n - 1, n), report.quarters[-1].label))
        charts.append(
            TrendChart(
                id=f"trend-{row.factor.slug}",
                title=row.factor.label,
                desc=f"Share of clients with the factor present, by quarter. {values}.",
                role=row.factor.role,
                lines=tuple(line for line in lines if " " in line),
                dots=tuple(dots),
                gaps=tuple(gaps),
                x_labels=tuple(labels),
            )
        )
    return charts
