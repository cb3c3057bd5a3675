"""The charts: a withheld figure never reads as zero, and no label runs off the chart."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string

from assessments.reports.charts import LABEL_CHARS, bar_chart, trend_charts
from assessments.reports.published import publish
from tests.reports.test_suppression import raw_report

pytestmark = pytest.mark.usefixtures("no_noise")


@pytest.fixture
def report():
    """Factor 2's share is withheld in the period; factor 1's in the first quarter."""
    return publish(
        raw_report(
            20,
            [10, 3, 8],
            {"action": 20},
            quarter_clients=(12, 10),
            quarter_present={
                (dt.date(2025, 1, 1), 1): 9,
                (dt.date(2025, 4, 1), 1): 5,
                (dt.date(2025, 1, 1), 3): 6,
                (dt.date(2025, 4, 1), 3): 5,
            },
        ),
        5,
    )


def test_a_withheld_bar_spans_the_whole_scale_and_says_withheld(report):
    chart = bar_chart(report, "individual")
    withheld = next(bar for bar in chart.bars if not bar.shown)
    assert withheld.text == "withheld"
    html = render_to_string(
        "assessments/includes/report_bars.html", {"chart": chart, "report": report}
    )
    band = re.search(r'<rect class="report-bar-withheld"[^>]*width="(\d+)"', html)
    assert band and int(band.group(1)) == chart.bar_w  # 0 to 100%: not a short bar near 0
    assert ">withheld</text>" in html


def test_a_withheld_period_is_a_band_over_the_whole_height_not_a_mark_on_zero(report):
    chart = next(c for c in trend_charts(report) if c.title == "Factor 1")
    assert len(chart.gaps) == 1
    html = render_to_string("assessments/includes/report_lines.html", {"chart": chart})
    gap = re.search(
        r'<rect class="report-gap" x="[\d.]+" y="(\d+)" width="\d+" height="(\d+)"', html
    )
    assert gap and (int(gap.group(1)), int(gap.group(2))) == (chart.y0, chart.y1 - chart.y0)
    assert "withheld: not zero" in html


def test_period_labels_stay_inside_the_chart(report):
    chart = trend_charts(report)[0]
    (x0, _, first), (x1, _, last) = chart.x_labels
    assert (first, last) == ("start", "end")  # drawn inwards from each end
    assert x0 > 0 and x1 < chart.width


def test_long_factor_labels_wrap_onto_two_lines_instead_of_running_off(report):
    from assessments.reports.charts import _label_lines

    lines = _label_lines("Cultural orientation (collectivist or individualist)", 22)
    assert [text for _, text in lines] == [
        "Cultural orientation (collectivist or",
        "individualist)",
    ]
    assert all(len(text) <= LABEL_CHARS for _, text in lines)
    long = _label_lines("word " * 40, 22)
    assert len(long) == 2 and long[1][1].endswith("…")
