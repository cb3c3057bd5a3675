"""The plan's pages and panels: who may do what, what the results page
suggests, and query counts that do not grow with the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.plans.models import FocusFactor, PlanAction
from factors.models import Factor
from tests.conftest import make_assessment
from tests.plans.factories import make_plan, make_service

pytestmark = pytest.mark.django_db


def test_a_supervisor_sees_the_plan_but_cannot_change_it(login, supervisor, assessment):
    plan = make_plan(assessment)
    browser = login(supervisor)
    assert browser.get(reverse("plans:plan", args=[plan.pk])).status_code == 200
    assert browser.get(reverse("plans:focus", args=[plan.pk])).status_code == 403
    assert browser.post(reverse("plans:start", args=[assessment.pk])).status_code in (302, 403)
    assert browser.get(reverse("plans:action_new", args=[plan.pk])).status_code == 403


def test_a_teammate_may_work_on_the_plan(login, teammate, assessment):
    plan = make_plan(assessment)
    assert login(teammate).get(reverse("plans:focus", args=[plan.pk])).status_code == 200


def test_an_action_of_another_plan_is_a_404(login, caseworker, assessment, client_record):
    plan = make_plan(assessment)
    other = make_plan(make_assessment(client_record, caseworker, date=dt.date(2025, 5, 1)))
    foreign = PlanAction.objects.get(focus__plan=other)
    url = reverse("plans:action", args=[plan.pk, foreign.pk])
    assert login(caseworker).get(url).status_code == 404


def test_the_results_page_offers_a_plan_and_suggests_services_only_to_build_or_limit(
    login, caseworker, assessment, peer_service
):
    context_factor = Factor.objects.get(slug="indoor-exploitation-experience")
    make_service("Context Only", factors=[context_factor])
    html = (
        login(caseworker).get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    )
    assert reverse("plans:start", args=[assessment.pk]) in html
    assert "Peer Circle" in html
    assert "Context Only" not in html


def test_the_client_page_lists_plans_with_overdue_actions(login, caseworker, assessment):
    plan = make_plan(assessment, due_on=dt.date(2020, 1, 1))
    html = login(caseworker).get(assessment.client.get_absolute_url()).content.decode()
    assert plan.get_absolute_url() in html
    assert "1 overdue" in html and "Case open" in html


def grow(plan, n: int) -> None:
    """Add n more focus factors, each with two actions."""
    used = plan.focus_factors.values("factor_id")
    for factor in Factor.objects.filter(action="actionable").exclude(pk__in=used)[:n]:
        focus = FocusFactor.objects.create(
            plan=plan, factor=factor, factor_label=factor.label, kind="build", everyday_words="x"
        )
        for what in ("one", "two"):
            PlanAction.objects.create(
                focus=focus, what=what, who="client", due_on=dt.date(2025, 5, 1)
            )


@pytest.mark.parametrize(("page", "queries"), [("plans:plan", 16), ("plans:copy", 9)])
def test_plan_pages_run_a_fixed_number_of_queries(
    login, caseworker, assessment, page, queries, django_assert_num_queries
):
    plan = make_plan(assessment)
    browser = login(caseworker)
    url = reverse(page, args=[plan.pk])
    browser.get(url)
    with django_assert_num_queries(queries):
        browser.get(url)
    grow(plan, 4)
    with django_assert_num_queries(queries):
        browser.get(url)


@pytest.mark.parametrize(("page", "queries"), [("client", 7), ("results", 10)])
def test_the_panels_add_a_fixed_number_of_queries(
    login, caseworker, assessment, page, queries, django_assert_num_queries
):
    plan = make_plan(assessment)
    browser = login(caseworker)
    url = (
        assessment.client.get_absolute_url()
        if page == "client"
        else reverse("assessments:results", args=[assessment.pk])
    )
    browser.get(url)
    with django_assert_num_queries(queries):
        browser.get(url)
    grow(plan, 4)
    # a second plan (on a draft, so the page's own progress section stays the same)
    later = make_assessment(
        assessment.client, caseworker, completed=False, date=dt.date(2025, 5, 1)
    )
    make_plan(later)
    with django_assert_num_queries(queries):
        browser.get(url)


def test_the_plan_page_shows_who_changed_what(login, caseworker, assessment):
    plan = make_plan(assessment)
    browser = login(caseworker)
    action = PlanAction.objects.get(focus__plan=plan)
    browser.post(
        reverse("plans:action", args=[plan.pk, action.pk]),
        {
            "version": plan.version,
            "focus": action.focus_id,
            "what": "Visit the group with a friend",
            "who": "client",
            "due_on": "2025-05-01",
            "status": "in_progress",
        },
    )
    html = browser.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "owner changed action “Visit the group with a friend”" in html


def test_the_plan_screens_do_not_assume_the_client_is_a_woman():
    """The catalogue covers boys and young people too: "the client", never "her"."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [
        *(root / "assessments" / "plans").glob("*.py"),
        *(root / "templates" / "assessments" / "plans").glob("*.html"),
    ]
    assumed = re.compile(r"\b(she|her|hers|herself)\b", re.IGNORECASE)
    assert files
    assert [str(f) for f in files if assumed.search(f.read_text())] == []
