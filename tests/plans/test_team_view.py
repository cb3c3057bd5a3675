"""Supervisors see their teams' plans: overdue actions, actions per factor,
referral uptake per service, open cases per caseworker and cases coming due;
counts follow the report's disclosure rules (see test_team_disclosure for the
perturbation)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments.models import AuditEvent
from assessments.plans.models import Case, Referral
from assessments.plans.team import disclosed
from tests.conftest import make_assessment, make_client
from tests.plans.factories import make_plan, make_service

pytestmark = pytest.mark.django_db
URL = reverse("plans:team")


def caseload(team, caseworker, n: int, prefix: str):
    service = make_service(f"Service {prefix}")
    for i in range(n):
        client = make_client(team, caseworker, reference=f"{prefix}-{i:03d}")
        make_plan(make_assessment(client, caseworker), service=service, due_on=dt.date(2020, 1, 1))


def test_the_team_page_lists_overdue_actions_of_the_team_only(
    login, supervisor, north, south, caseworker, outsider
):
    caseload(north, caseworker, 2, "N")
    caseload(south, outsider, 1, "S")
    response = login(supervisor).get(URL)
    html = response.content.decode()
    assert html.count("Visit the women&#x27;s group") == 2
    assert "N-000" in html and "S-000" not in html
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(object_type="report", detail="team plans").exists()


def test_counts_below_the_threshold_are_withheld(login, supervisor, north, caseworker, no_noise):
    caseload(north, caseworker, 3, "N")
    html = login(supervisor).get(URL).content.decode()
    assert "&lt;5" in html
    assert ">3<" not in html


@override_settings(REPORT_MIN_CELL=2)
def test_counts_at_or_above_the_threshold_are_shown(login, supervisor, north, caseworker, no_noise):
    caseload(north, caseworker, 3, "N")
    html = login(supervisor).get(URL).content.decode()
    assert ">3<" in html


def test_a_row_whose_single_small_cell_would_show_through_its_total_is_suppressed():
    (row,) = disclosed([("Peer Circle", [7, 2, 0, 0])], threshold=5)
    assert row.cells[1].value is None  # "<5"
    assert sum(1 for cell in row.cells[:4] if not cell.shown) >= 2  # not pinned by the total


def test_closed_cases_coming_due_are_listed(login, supervisor, north, caseworker):
    client = make_client(north, caseworker, reference="N-DUE")
    Case.objects.create(
        client=client, status="closed", closed_on=dt.date(2019, 1, 1), reason="moved"
    )
    html = login(supervisor).get(URL).content.decode()
    assert "N-DUE" in html


def test_caseworkers_do_not_see_the_team_page(login, caseworker):
    assert login(caseworker).get(URL).status_code == 403


def test_the_team_page_runs_a_fixed_number_of_queries(
    login, supervisor, north, caseworker, django_assert_num_queries
):
    browser = login(supervisor)
    caseload(north, caseworker, 2, "A")
    browser.get(URL)
    with django_assert_num_queries(11) as few:  # the listed clients audited in one insert
        browser.get(URL)
    caseload(north, caseworker, 6, "B")
    Referral.objects.update(status="accepted")
    with django_assert_num_queries(len(few.captured_queries)):
        browser.get(URL)


@override_settings(REPORT_MIN_CELL=1)
def test_clients_without_statistics_consent_are_listed_but_not_counted(
    login, supervisor, north, caseworker, no_noise
):
    from django.utils import timezone

    from assessments.models import Client

    caseload(north, caseworker, 3, "N")
    Client.objects.filter(reference="N-000").update(stats_consent_on=None)
    Client.objects.filter(reference="N-001").update(stats_consent_withdrawn_at=timezone.now())
    html = login(supervisor).get(URL).content.decode()
    assert "N-000" in html and "N-001" in html  # the overdue list stays complete
    per_caseworker = html.split('id="open-cases"')[1].split("</table>")[0]
    assert ">1<" in per_caseworker and ">3<" not in per_caseworker
    assert "without consent to statistics" in html


def test_each_client_listed_on_the_team_page_is_audited_once_in_one_insert(
    login, supervisor, north, caseworker
):
    caseload(north, caseworker, 2, "N")
    client = make_client(north, caseworker, reference="N-DUE")
    Case.objects.create(
        client=client, status="closed", closed_on=dt.date(2019, 1, 1), reason="moved"
    )
    login(supervisor).get(URL)
    viewed = AuditEvent.objects.filter(object_type="client", action="view", user=supervisor)
    assert sorted(viewed.values_list("object_id", flat=True)) == sorted(
        north.clients.values_list("pk", flat=True)
    )
    assert AuditEvent.objects.filter(object_type="report", detail="team plans").count() == 1


@pytest.mark.parametrize("more", [0, 1])
def test_the_page_says_the_overdue_list_is_cut_only_when_there_are_more(
    login, supervisor, north, caseworker, monkeypatch, more
):
    from assessments.plans import team

    monkeypatch.setattr(team, "OVERDUE_SHOWN", 2)
    caseload(north, caseworker, 2 + more, "N")
    html = login(supervisor).get(URL).content.decode()
    assert html.count("Visit the women&#x27;s group") == 2
    assert ("longest overdue are shown" in html) == bool(more)
