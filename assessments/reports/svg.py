"""The report's charts drawn as SVG: ``charts.py`` computes each chart's geometry
and words, this module writes the markup, and the templates (report_bars.html,
report_lines.html) put it in a figure with its caption.

Why not a template: a report has some forty charts of a few dozen values each,
and through the template engine, one node per value, they were half of the
page's rendering (25 ms of CPU). And a template writes a float in the reader's
language: in Spanish ``x="310,0"``, which is not an SVG number, so the charts
drew every mark at 0. Here a number is always written as SVG reads it (``num``),
whatever the language, and every text (labels, titles, descriptions) is escaped.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from assessments.reports.charts import BarChart, TrendChart


def num(value: float) -> str:
    """A coordinate as SVG reads it: a dot for the decimals, in every language."""
    return str(value)


def _hatch(chart_id: str, size: int) -> str:
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="{size}" height="{size}" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="{size}" height="{size}" fill="#f8f9fa"/>'
        f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="#adb5bd" stroke-width="1.5"/>'
        "</pattern></defs>"
    )


def _head(chart: BarChart | TrendChart, kind: str) -> str:
    """The opening tag, the title and the description (the chart's text alternative).
    Ids and classes are slugs and choices of our own."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'role="img" aria-labelledby="{chart.id}-title {chart.id}-desc" id="{chart.id}" '
        f'class="{kind}">\n'
        f'  <title id="{chart.id}-title">{escape(chart.title)}</title>\n'
        f'  <desc id="{chart.id}-desc">{escape(chart.desc)}</desc>\n'
    )


def bar_chart_svg(chart: BarChart) -> SafeString:
    """Horizontal bars, one per factor; a withheld figure is a hatched band across
    the whole scale, marked withheld."""
    ticks = "".join(
        f'<line class="report-grid" x1="{num(x)}" x2="{num(x)}" y1="12" y2="{chart.axis_y}" '
        f'stroke="#dee2e6"/><text class="report-tick" x="{num(x)}" y="{chart.height - 2}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for x, label in chart.ticks
    )
    rows = []
    for bar in chart.bars:
        lines = "".join(
            f'<tspan x="{chart.label_w - 6}" y="{num(y)}">{escape(line)}</tspan>'
            for y, line in bar.lines
        )
        if bar.shown:
            rect = (
                f'<rect class="report-bar role-{bar.role}" x="{chart.label_w}" y="{bar.y}" '
                f'width="{num(bar.width)}" height="{chart.bar_h}"/>\n    '
            )
        else:
            rect = (
                f'<rect class="report-bar-withheld" x="{chart.label_w}" y="{bar.y}" '
                f'width="{chart.bar_w}" height="{chart.bar_h}" fill="url(#{chart.id}-hatch)" '
                'stroke="#6c757d" stroke-dasharray="3 2"/>'
            )
        withheld = "" if bar.shown else " report-withheld-text"
        rows.append(
            '\n  <g class="report-bar-row">\n'
            f"    <title>{escape(bar.label)}: {escape(bar.text)}</title>\n"
            f'    <text class="report-label" text-anchor="end">{lines}</text>\n'
            f"    {rect}\n"
            f'    <text class="report-value{withheld}" x="{num(bar.text_x)}" '
            f'y="{bar.text_y}">{escape(bar.text)}</text>\n'
            "  </g>\n  "
        )
    return mark_safe(  # noqa: S308 (every text escaped here, the numbers our own)
        _head(chart, "report-bars")
        + f"  {_hatch(chart.id, 6)}\n"
        + f"  {ticks}\n"
        + f"  {''.join(rows)}\n"
        + f'  <line class="report-axis" x1="{chart.label_w}" x2="{chart.label_w}" y1="12" '
        f'y2="{chart.axis_y}" stroke="#6c757d"/>\n'
        "</svg>"
    )


def trend_chart_svg(chart: TrendChart) -> SafeString:
    """A factor's share period by period; a withheld period is a hatched band over
    the whole height, so that it never reads as 0%."""
    # the same message as the bar chart's ticks
    top, bottom = (escape(gettext("%(percent)s%%") % {"percent": p}) for p in (100, 0))
    withheld = escape(gettext("withheld: not zero"))
    polylines = "".join(
        f'<polyline class="report-line role-{chart.role}" points="{points}" fill="none" '
        'stroke-width="2"/>'
        for points in chart.lines
    )
    dots = "".join(
        f'<circle class="report-dot role-{chart.role}" cx="{num(x)}" cy="{num(y)}" r="3">'
        f"<title>{escape(label)}</title></circle>"
        for x, y, label in chart.dots
    )
    gaps = "".join(
        f'<rect class="report-gap" x="{num(x)}" y="{chart.y0}" width="{chart.band_w}" '
        f'height="{chart.band_h}" fill="url(#{chart.id}-hatch)" stroke="#6c757d" '
        f'stroke-dasharray="2 2"><title>{withheld}</title></rect>'
        for x in chart.gaps
    )
    labels = "".join(
        f'<text class="report-tick" x="{num(x)}" y="{chart.height - 18}" '
        f'text-anchor="{anchor}">{escape(label)}</text>'
        for x, label, anchor in chart.x_labels
    )
    x0, x1, y0, y1 = chart.x0, chart.x1, chart.y0, chart.y1
    return mark_safe(  # noqa: S308 (every text escaped here, the numbers our own)
        _head(chart, "report-lines")
        + f"  {_hatch(chart.id, 5)}\n"
        + f'  <line class="report-axis" x1="{x0}" x2="{x0}" y1="{y0}" y2="{y1}" '
        'stroke="#6c757d"/>\n'
        + f'  <line class="report-axis" x1="{x0}" x2="{x1}" y1="{y1}" y2="{y1}" '
        'stroke="#6c757d"/>\n'
        + f'  <line class="report-grid" x1="{x0}" x2="{x1}" y1="{y0}" y2="{y0}" '
        'stroke="#dee2e6"/>\n'
        + f'  <text class="report-tick" x="{x0 - 4}" y="{y0 + 4}" text-anchor="end">{top}</text>\n'
        + f'  <text class="report-tick" x="{x0 - 4}" y="{y1 + 4}" '
        f'text-anchor="end">{bottom}</text>\n'
        + f"  {polylines}\n"
        + f"  {dots}\n"
        + f"  {gaps}\n"
        + f"  {labels}\n"
        "</svg>"
    )
