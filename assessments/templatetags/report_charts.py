"""``{{ chart|svg }}``: a report chart's SVG, written by ``assessments.reports.svg``."""

from django import template

from assessments.reports.charts import BarChart, TrendChart
from assessments.reports.svg import bar_chart_svg, trend_chart_svg

register = template.Library()

DRAW = {BarChart: bar_chart_svg, TrendChart: trend_chart_svg}


@register.filter
def svg(chart: BarChart | TrendChart) -> str:
    return DRAW[type(chart)](chart)
