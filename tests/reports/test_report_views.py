"""The report page and its CSV export: who reaches them, what they publish,
what they record, and how they cope with bad filters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditEvent
from assessments.reports.defaults import DEFAULT_MIN_CLIENTS
from assessments.reports.periods import month_end, months_back, periods_of
from tests.conftest import make_assessment, make_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_noise")]

PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}
REPORT = reverse("assessments:report")
CSV = reverse("assessments:report_csv")


def populate(team, n: int, slugs: list[str], prefix: str = "R") -> None:
    """n clients, each assessed in 2025 Q1 and Q2, with factors spread so that
    some counts are large and some small."""
    for i in range(n):
        client = make_client(
            team,
            reference=f"{prefix}-{team.name}-{i:04d}",
            age_group=("adult", "minor")[i % 2],
            route="national",
        )
        make_assessment(
            client, present=slugs[: 1 + i % 3], date=dt.date(2025, 2, 1), stage="action"
        )
        make_assessment(
            client,
            present=slugs[i % 5 : i % 5 + 4],
            date=dt.date(2025, 5, 1),
            stage=("preparation", "action", "maintenance")[i % 3],
        )


def published_counts(csv_text: str) -> list[tuple[str, str]]:
    """Every (section, cell) of the CSV body that holds a count or a share."""
    cells = []
    for row in csv.reader(io.StringIO(csv_text)):
        if not row or row[0].startswith("#") or row[0] == "table":
            continue
        cells += [(row[0], cell) for cell in row[1:] if re.fullmatch(r"<?\d+%?|suppressed", cell)]
    return cells


# --- Access ------------------------------------------------------------------


def test_it_sends_anonymous_users_to_sign_in(client):
    for url in (REPORT, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_it_refuses_caseworkers(login, caseworker):
    client = login(caseworker)
    assert client.get(REPORT).status_code == 403
    assert client.get(CSV).status_code == 403


def test_it_shows_a_supervisor_their_own_team(login, supervisor, north, slugs):
    populate(north, 6, slugs)
    response = login(supervisor).get(REPORT, {"team": north.pk, **PERIOD})
    assert response.status_code == 200
    assert response.context["report"].clients.value == 6


def test_it_hides_another_team_as_if_it_did_not_exist(login, supervisor, south):
    client = login(supervisor)
    assert client.get(REPORT, {"team": south.pk, **PERIOD}).status_code == 404
    assert client.get(CSV, {"team": south.pk, **PERIOD}).status_code == 404
    assert client.get(REPORT, {"team": 999999, **PERIOD}).status_code == 404


def test_all_my_teams_leaves_out_teams_the_supervisor_is_not_in(
    login, supervisor, north, south, slugs
):
    populate(north, 6, slugs)
    populate(south, 7, slugs)
    report = login(supervisor).get(REPORT, PERIOD).context["report"]
    assert report.clients.value == 6


def test_a_superuser_reaches_every_team(login, superuser, north, south, slugs):
    populate(south, 7, slugs)
    client = login(superuser)
    assert client.get(REPORT, {"team": south.pk, **PERIOD}).context["report"].clients.value == 7
    assert client.get(REPORT, PERIOD).context["report"].clients.value == 7


# --- Filters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "31/31/2025"}, "start"),
        ({"end": "tomorrow"}, "end"),
        ({"team": "north"}, "team"),
        ({"team": "１"}, "team"),  # a full-width digit is not an id
        ({"age_group": "elderly"}, "age_group"),
        ({"route": "sea"}, "route"),
        ({"setting": "<script>"}, "setting"),
        ({"grain": "week"}, "grain"),
        ({"start": "2025-06-30", "end": "2025-01-01"}, "end"),
        ({"start": "2020-01-01", "end": "2025-01-01"}, "start"),  # over three years
        ({"start": "0001-01-01", "end": "0001-02-01"}, "start"),
        ({"start": "9999-10-01", "end": "9999-12-31"}, "start"),
    ],
)
def test_bad_filters_show_a_form_error_and_no_report(login, supervisor, params, field):
    client = login(supervisor)
    response = client.get(REPORT, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["report"] is None
    assert b'id="report-errors"' in response.content
    response = client.get(CSV, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_the_default_period_is_the_last_twelve_whole_months(login, supervisor, north, slugs):
    today = timezone.localdate()
    for i in range(DEFAULT_MIN_CLIENTS):
        make_assessment(make_client(north), present=slugs[: 1 + i % 3], date=today)
    response = login(supervisor).get(REPORT)
    report = response.context["report"]
    filters = report.filters
    assert filters.end == month_end(today) and filters.team_id is None
    # the last 12 months, started on the first day of the trend's first period
    assert filters.start == periods_of(months_back(today, 11), filters.end, report.grain)[0].key
    assert not report.periods[0].partial
    assert "fewer than 30 clients" not in response.content.decode()


def test_a_thin_default_period_is_widened_and_the_page_says_so(login, supervisor, north, slugs):
    today = timezone.localdate()
    for i in range(DEFAULT_MIN_CLIENTS):
        old = months_back(today, 20) + dt.timedelta(days=3)
        make_assessment(make_client(north), present=slugs[: 1 + i % 3], date=old)
    response = login(supervisor).get(REPORT)
    report = response.context["report"]
    assert report.filters.start <= months_back(today, 23) < months_back(today, 11)
    assert not report.periods[0].partial
    html = response.content.decode()
    assert "The last 12 months held fewer than 30 clients, so the default view covers 24" in html


def test_a_chosen_period_is_widened_to_whole_months(login, supervisor):
    response = login(supervisor).get(REPORT, {"start": "2025-01-15", "end": "2025-06-03"})
    filters = response.context["report"].filters
    assert (filters.start, filters.end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert "the dates you chose were widened to the months they fall in" in (
        response.content.decode()
    )


def test_the_page_names_the_trend_grain_and_the_rule_that_chose_it(login, supervisor, north, slugs):
    populate(north, 12, slugs)
    response = login(supervisor).get(REPORT, PERIOD)
    html = response.content.decode()
    assert response.context["report"].grain == "year"  # 12 clients: too few per quarter
    assert "By years, chosen automatically: quarters when the period has at least 20" in html
    quarterly = login(supervisor).get(REPORT, {**PERIOD, "grain": "quarter"})
    assert [p.label for p in quarterly.context["report"].periods] == ["2025 Q1", "2025 Q2"]


def test_context_filters_compare_groups(login, supervisor, north, slugs):
    populate(north, 12, slugs)
    client = login(supervisor)
    assert client.get(REPORT, {**PERIOD, "age_group": "adult"}).context["report"].clients.value == 6
    minors = client.get(REPORT, {**PERIOD, "age_group": "minor", "route": "national"})
    assert minors.context["report"].clients.value == 6
    indoor = client.get(REPORT, {**PERIOD, "setting": "indoor"})
    assert indoor.context["report"].withheld


# --- What is published ------------------------------------------------------------


def test_the_page_is_never_cached(login, supervisor):
    response = login(supervisor).get(REPORT, PERIOD)
    assert "no-store" in response["Cache-Control"]


def test_the_page_draws_accessible_charts_without_inline_styles_or_scripts(
    login, supervisor, north, slugs
):
    populate(north, 12, slugs)
    html = login(supervisor).get(REPORT, PERIOD).content.decode()
    assert "<svg" in html
    assert 'id="bars-individual-title"' in html and 'id="bars-individual-desc"' in html
    assert 'aria-labelledby="trend-' in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "css/report.css" in html


def test_no_displayed_count_is_below_the_threshold(login, supervisor, north, slugs):
    populate(north, 9, slugs)
    html = login(supervisor).get(REPORT, PERIOD).content.decode()
    for value in re.findall(r'data-cell="[a-z]+">([^<]*)<', html):
        assert value in ("&lt;5", "suppressed") or int(value.rstrip("%")) >= 5, value
    assert "&lt;5" in html and "suppressed" in html


def test_the_csv_has_the_filters_in_its_name_and_header(login, supervisor, north, slugs):
    populate(north, 9, slugs)
    response = login(supervisor).get(CSV, {"team": north.pk, **PERIOD, "route": "national"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="exitsupport-report-north-2025-01-01-to-2025-06-30'
        '-age-any-route-national-setting-any.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert '"# Team: North"\r\n' in text
    assert '"# Period: 1 Jan 2025 to 30 Jun 2025"\r\n' in text
    assert '"# Route: National (within one country)"\r\n' in text
    assert '"# Counts below 5 are shown as <5' in text
    assert '"# Counts are perturbed slightly (each by at most 2 either way' in text
    for header in ("table,measure,value", "table,stage of change", "table,level,role,factor"):
        assert header.replace(",", '","') in text


def test_no_exported_cell_is_below_the_threshold_or_recoverable(login, supervisor, north, slugs):
    populate(north, 9, slugs)
    text = login(supervisor).get(CSV, PERIOD).content.decode()
    cells = published_counts(text)
    assert cells
    for section, cell in cells:
        if cell.endswith("%"):
            continue
        assert cell in ("<5", "suppressed") or int(cell) >= 5, (section, cell)
    rows = [row for row in csv.reader(io.StringIO(text)) if row and row[0] in ("summary", "stages")]
    total = int(next(row[2] for row in rows if row[1] == "clients counted"))
    stage_cells = [row[2] for row in rows if row[0] == "stages"]
    shown = [int(c) for c in stage_cells if c.isdigit()]
    # The one-missing-cell attack: a single withheld stage would be the total minus the rest.
    assert len(stage_cells) - len(shown) != 1
    if len(stage_cells) - len(shown) > 1:
        assert total - sum(shown) >= 1  # withheld cells are not all known zeros
    factor_rows = [row for row in csv.reader(io.StringIO(text)) if row and row[0] == "factors"]
    for row in factor_rows:
        present, share = row[5], row[6]
        assert (present.isdigit()) == (share != "suppressed")
        if present.isdigit():
            assert total - int(present) >= 5  # the clients without it: not a small cell


def test_the_page_and_the_csv_publish_the_same_figures(login, supervisor, north, slugs):
    populate(north, 14, slugs)
    client = login(supervisor)
    report = client.get(REPORT, PERIOD).context["report"]
    rows = list(csv.reader(io.StringIO(client.get(CSV, PERIOD).content.decode())))
    exported = {row[3]: tuple(row[5:9]) for row in rows if row and row[0] == "factors"}
    assert exported == {
        r.factor.label: (str(r.present), str(r.share), str(r.absent), str(r.absent_share))
        for r in report.rows
    }


def test_a_too_small_caseload_publishes_nothing_but_that(login, supervisor, north, slugs):
    populate(north, 4, slugs)
    client = login(supervisor)
    html = client.get(REPORT, PERIOD).content.decode()
    assert 'id="report-withheld"' in html
    assert "<svg" not in html
    text = client.get(CSV, PERIOD).content.decode()
    assert '"clients counted","<5"' in text
    assert "table,level,role,factor" not in text


# --- Audit -------------------------------------------------------------------


def test_viewing_and_exporting_are_audited(login, supervisor, north):
    client = login(supervisor)
    client.get(REPORT, {"team": north.pk, **PERIOD})
    client.get(CSV, PERIOD)
    view, export = AuditEvent.objects.order_by("id")
    assert (view.action, view.object_type, view.object_id, view.team) == (
        "view",
        "report",
        None,
        north,
    )
    assert view.username == "supervisor"
    assert "Period: 1 Jan 2025 to 30 Jun 2025" in view.detail
    # "All my teams" is recorded once per team, so each team's supervisors see it.
    assert (export.action, export.object_type, export.team) == ("export", "report", north)


def test_bad_filters_are_not_audited(login, supervisor):
    login(supervisor).get(REPORT, {"start": "nope"})
    assert not AuditEvent.objects.exists()


# --- Scale -------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_caseload(login, supervisor, north, slugs):
    client = login(supervisor)
    populate(north, 6, slugs, prefix="A")
    client.get(REPORT, PERIOD)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(REPORT, PERIOD).status_code == 200
    populate(north, 18, slugs, prefix="B")
    with CaptureQueriesContext(connection) as large:
        response = client.get(REPORT, PERIOD)
    assert response.context["report"].clients.value == 24
    assert len(large) == len(small), [q["sql"][:120] for q in large]
    with CaptureQueriesContext(connection) as export:
        client.get(CSV, PERIOD)
    assert len(export) <= len(small)


# --- Disclosure control -------------------------------------------------------------


def test_the_page_and_the_csv_say_that_figures_are_perturbed_and_why(
    login, supervisor, north, slugs
):
    populate(north, 12, slugs)
    client = login(supervisor)
    html = client.get(REPORT, PERIOD).content.decode()
    text = client.get(CSV, PERIOD).content.decode()
    for published in (html, text):
        assert "Counts are perturbed slightly (each by at most 2 either way" in published
        assert "so that comparing two reports cannot reveal a person" in published


def test_a_period_shifted_by_a_day_gives_the_same_report(login, supervisor, north, slugs):
    populate(north, 12, slugs)
    make_assessment(make_client(north, reference="LATE"), present=slugs, date=dt.date(2025, 6, 30))
    client = login(supervisor)
    shorter = client.get(REPORT, {"start": "2025-01-01", "end": "2025-06-29"})
    longer = client.get(REPORT, PERIOD)
    assert shorter.context["report"] == longer.context["report"]
