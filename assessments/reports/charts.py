"""The report's charts, drawn on the server as SVG: these functions compute the
geometry and the words, ``svg.py`` writes the markup, and the templates
(report_bars.html, report_lines.html) put it in a figure with its caption.

A withheld figure is never drawn where a value could be: a withheld bar is a
hatched band over the whole scale, labelled "withheld", and a withheld period of
a trend is a hatched band over the whole height, so that neither reads as 0%.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.reports.disclosure import Share
from assessments.reports.periods import HALF, QUARTER
from assessments.reports.published import Report
from factors.models import Level

BAR_LABEL_W, BAR_W, VALUE_W, ROW_H, BAR_H, CHART_TOP = 240, 280, 84, 30, 14, 22
LABEL_CHARS = 38  # a label wraps onto a second line beyond this (11 px text)
LINE_W, LINE_H, LINE_X0, LINE_X1, LINE_Y0, LINE_Y1 = 260, 124, 40, 236, 12, 86
BAND_W = 10  # width of the hatched band drawn for a withheld period


@dataclass(frozen=True)
class Bar:
    label: str
    lines: tuple[tuple[float, str], ...]  # (y, text) of each line of the label
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
        return BAR_LABEL_W + (self.width if self.shown else BAR_W) + 6


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    desc: str
    bars: tuple[Bar, ...]
    height: int
    width: int = BAR_LABEL_W + BAR_W + VALUE_W
    label_w: int = BAR_LABEL_W
    bar_w: int = BAR_W
    bar_h: int = BAR_H

    @property
    def ticks(self) -> list[tuple[float, str]]:
        return [
            (BAR_LABEL_W + BAR_W * p / 100, _("%(percent)s%%") % {"percent": p})
            for p in (0, 25, 50, 75, 100)
        ]

    @property
    def axis_y(self) -> int:
        return self.height - 14


def _label_lines(label: str, y: int) -> tuple[tuple[float, str], ...]:
    """The label on one line, or two (the second shortened if it must be), centred
    on the bar: nothing runs past the chart's left edge."""
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="…")]
    middle = y + BAR_H / 2 + 4
    if len(lines) == 1:
        return ((middle, lines[0]),)
    return ((middle - 6, lines[0]), (middle + 7, lines[1]))


def bar_chart(report: Report, level: str) -> BarChart | None:
    rows = [r for r in report.rows if r.factor.level == level]
    if not rows:
        return None
    withheld = _("withheld")
    bars = tuple(
        Bar(
            label=r.factor.label,
            lines=_label_lines(r.factor.label, CHART_TOP + i * ROW_H),
            role=r.factor.role,
            y=CHART_TOP + i * ROW_H,
            width=BAR_W * r.share.percent / 100 if r.share.shown else BAR_W,
            text=str(r.share) if r.share.shown else withheld,
            shown=r.share.shown,
        )
        for i, r in enumerate(rows)
    )
    label = Level(level).label
    return BarChart(
        id=f"bars-{level}",
        title=_("%(level)s factors: share of clients with the factor present") % {"level": label},
        desc=_(
            "Horizontal bars, one per %(level)s factor, from 0 to 100%% of the %(clients)s "
            "clients counted. A withheld figure is a hatched band across the whole scale, "
            "marked withheld. The same figures are in the table beside the chart."
        )
        % {"level": str(label).lower(), "clients": report.clients},
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
    gaps: tuple[float, ...]  # left x of the band drawn for each withheld period
    x_labels: tuple[tuple[float, str, str], ...]  # x, text, text-anchor
    width: int = LINE_W
    height: int = LINE_H
    x0: int = LINE_X0
    x1: int = LINE_X1
    y0: int = LINE_Y0
    y1: int = LINE_Y1
    band_w: int = BAND_W

    @property
    def band_h(self) -> int:
        return self.y1 - self.y0


def _x(i: int, n: int) -> float:
    if n == 1:
        return (LINE_X0 + LINE_X1) / 2
    return round(LINE_X0 + i * (LINE_X1 - LINE_X0) / (n - 1), 1)


def _y(share: Share) -> float:
    return round(LINE_Y1 - share.value * (LINE_Y1 - LINE_Y0), 1)


def trend_charts(report: Report) -> list[TrendChart]:
    """A small line chart per factor (those with at least one period shown)."""
    n = len(report.periods)
    by_period = {
        QUARTER: _("Share of clients with the factor present, by quarter. %(values)s."),
        HALF: _("Share of clients with the factor present, by half-year. %(values)s."),
    }.get(report.grain, _("Share of clients with the factor present, by year. %(values)s."))
    withheld = _("withheld")
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
                gaps.append(_x(i, n) - BAND_W / 2)
                if current:
                    lines.append(" ".join(current))
                current = []
        if current:
            lines.append(" ".join(current))
        values = "; ".join(
            _("%(period)s: %(share)s")
            % {"period": p.label, "share": share if share.shown else withheld}
            for p, share in zip(report.periods, row.shares, strict=True)
        )
        labels = [(_x(0, n), report.periods[0].label, "start" if n > 1 else "middle")]
        if n > 1:
            labels.append((_x(n - 1, n), report.periods[-1].label, "end"))
        charts.append(
            TrendChart(
                id=f"trend-{row.factor.slug}",
                title=row.factor.label,
                desc=by_period % {"values": values},
                role=row.factor.role,
                lines=tuple(line for line in lines if " " in line),
                dots=tuple(dots),
                gaps=tuple(gaps),
                x_labels=tuple(labels),
            )
        )
    return charts
