"""The report's charts written by ``assessments.reports.svg``: the markup the former
chart templates wrote (kept in ``former/``), and numbers SVG can read in every
language (a template wrote ``x="310,0"`` in Spanish, which drew every mark at 0)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from assessments.reports.charts import bar_chart, trend_charts
from assessments.reports.svg import bar_chart_svg, trend_chart_svg
from tests.reports.test_report_charts import report  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("no_noise")

FORMER = Path(__file__).parent / "former"
NUMBER = re.compile(r' (?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"')
HOSTILE = "<script>alert(1)</script> & “quotes”"


def well_formed(svg: str) -> None:
    ElementTree.fromstring(svg)  # noqa: S314 (our own markup, parsed to check it)


def former(name: str, context: dict) -> str:
    template = engines["django"].from_string((FORMER / name).read_text())
    return template.render(context)


def charts(report):  # noqa: F811
    levels = ("individual", "relational", "structural")
    bars = [chart for chart in (bar_chart(report, level) for level in levels) if chart]
    return bars, trend_charts(report)


@pytest.mark.parametrize("language", ["en-gb", "ne"])
def test_the_markup_is_the_former_templates(report, language):  # noqa: F811
    """Where a template wrote numbers as SVG reads them, nothing changed."""
    with translation.override(language):
        bars, trends = charts(report)
        assert bars and trends
        for chart in bars:
            context = {"chart": chart, "report": report}
            new = render_to_string("assessments/includes/report_bars.html", context)
            assert new == former("report_bars.html", context)
        for chart in trends:
            new = render_to_string("assessments/includes/report_lines.html", {"chart": chart})
            assert new == former("report_lines.html", {"chart": chart})


@pytest.mark.parametrize("language", ["en-gb", "es", "ne"])
def test_every_coordinate_is_an_svg_number_in_every_language(report, language):  # noqa: F811
    with translation.override(language):
        bars, trends = charts(report)
        drawn = [bar_chart_svg(c) for c in bars] + [trend_chart_svg(c) for c in trends]
    decimals = 0
    for svg in drawn:
        well_formed(svg)
        values = NUMBER.findall(svg)
        assert values
        for value in values:
            float(value)  # "310,0" fails here
        decimals += sum("." in value for value in values)
    assert decimals  # the fixture has fractional coordinates: the test can fail


def test_the_former_template_wrote_spanish_decimal_commas(report):  # noqa: F811
    """Why the markup moved out of the template (this test shows the bug it fixes)."""
    with translation.override("es"):
        bars, _ = charts(report)
        html = former("report_bars.html", {"chart": bars[0], "report": report})
    assert any("," in value for value in NUMBER.findall(html))


def test_every_text_is_escaped(report):  # noqa: F811
    bars, trends = charts(report)
    chart, bar = bars[0], bars[0].bars[0]
    bar = dataclasses.replace(bar, label=HOSTILE, lines=((1.0, HOSTILE),), text=HOSTILE)
    chart = dataclasses.replace(chart, title=HOSTILE, desc=HOSTILE, bars=(bar,))
    svg = bar_chart_svg(chart)
    assert "<script>" not in svg and svg.count("&lt;script&gt;") == 6
    well_formed(svg)
    trend = dataclasses.replace(
        trends[0],
        title=HOSTILE,
        desc=HOSTILE,
        dots=((40, 12, HOSTILE),),
        x_labels=((40, HOSTILE, "start"),),
    )
    svg = trend_chart_svg(trend)
    assert "<script>" not in svg and svg.count("&lt;script&gt;") == 4
    well_formed(svg)
