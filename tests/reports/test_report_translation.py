"""The report speaks the reader's language: the CSV's headers and notes, the
charts' titles, axes and withheld marks, the period labels."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from assessments.reports.charts import bar_chart, trend_charts
from assessments.reports.csv import render_csv
from assessments.reports.periods import HALF, Period, ReportFilters
from assessments.reports.published import publish
from tests.fake_translations import fake_catalogue, pseudo_translate
from tests.reports.test_suppression import raw_report

pytestmark = pytest.mark.usefixtures("no_noise")

SPANISH = {
    "table": "tabla",
    "measure": "medida",
    "value": "valor",
    "factor": "factor (es)",
    "share present": "proporción presente",
    "clients counted": "clientes contados",
}


@pytest.fixture
def report():
    published = publish(
        raw_report(
            20,
            [10, 3, 8],
            {"action": 20},
            quarter_clients=(12, 10),
            quarter_present={(dt.date(2025, 1, 1), 1): 9, (dt.date(2025, 4, 1), 1): 5},
        ),
        5,
    )
    filters = ReportFilters((1,), 1, "North", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    return dataclasses.replace(published, filters=filters)


def header_rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text)) if row and row[0] == "tabla"]


def test_a_spanish_users_csv_has_spanish_headers(report, monkeypatch):
    fake_catalogue(monkeypatch, "es", SPANISH)
    with translation.override("es"):
        text = render_csv(report)
    headers = header_rows(text)
    assert headers[0] == ["tabla", "medida", "valor"]
    assert "factor (es)" in headers[1] and "proporción presente" in headers[1]
    assert '"summary","clientes contados"' in text  # the table key stays, the measure is Spanish
    with translation.override("en-gb"):
        assert header_rows(render_csv(report)) == []  # and in English, English


def test_the_csv_download_follows_the_users_language(
    login, supervisor, north, monkeypatch, settings
):
    """Through a request: the language the request runs in (here the browser's, as
    the locale middleware reads it) is the CSV's."""
    if "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index(SESSION) + 1, "django.middleware.locale.LocaleMiddleware"
        )
        settings.MIDDLEWARE = middleware
    fake_catalogue(monkeypatch, "es", SPANISH)
    # The middleware leaves the request's language active in the thread: restore ours.
    with translation.override(translation.get_language()):
        response = login(supervisor).get(
            reverse("assessments:report_csv"), HTTP_ACCEPT_LANGUAGE="es"
        )
    assert response.status_code == 200
    assert header_rows(response.content.decode())[0] == ["tabla", "medida", "valor"]


SESSION = "django.contrib.sessions.middleware.SessionMiddleware"


def test_the_charts_text_is_marked_for_translation(report, monkeypatch):
    pseudo_translate(monkeypatch)
    chart = bar_chart(report, "individual")
    assert chart.title.startswith("[") and chart.desc.startswith("[")
    assert all(label.startswith("[") for _, label in chart.ticks)
    assert {bar.text for bar in chart.bars if not bar.shown} <= {"[withheld]"}
    html = render_to_string(
        "assessments/includes/report_bars.html", {"chart": chart, "report": report}
    )
    assert "<figcaption" in html and "[Bars: share of clients" in html
    trend = trend_charts(report)[0]
    assert trend.desc.startswith("[")
    lines = render_to_string("assessments/includes/report_lines.html", {"chart": trend})
    assert ">[100%]</text>" in lines and ">[0%]</text>" in lines


def test_period_labels_and_suppression_marks_are_marked(report, monkeypatch):
    pseudo_translate(monkeypatch)
    assert Period(dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 30), HALF).label == (
        "[2025 H1]"
    )
    assert str(report.clients.__class__(None, "small", 5)) == "[<5]"
