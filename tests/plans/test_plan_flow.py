"""A caseworker makes a plan from a completed assessment: a few focus factors
with the client's view, agreed actions, referrals; the next assessment's plan
reviews the open actions and carries the rest forward."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments.models import AuditEvent
from assessments.plans.forms import too_many
from assessments.plans.models import FocusFactor, Plan, PlanAction, Referral
from assessments.plans.views import STALE
from factors.models import Factor
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db


def factor(slug: str) -> Factor:
    return Factor.objects.get(slug=slug)


def focus_data(plan, chosen: dict[str, dict], **extra) -> dict:
    data = {"version": plan.version, "next_review_on": "2025-06-01"}
    for slug, values in chosen.items():
        pk = factor(slug).pk
        data[f"chosen_{pk}"] = "on"
        data[f"words_{pk}"] = values.get("words", "people I can count on")
        data[f"view_{pk}"] = values.get("view", "agrees")
        data[f"client_words_{pk}"] = values.get("client_words", "")
    data.update(extra)
    return data


def start(browser, assessment) -> Plan:
    browser.post(reverse("plans:start", args=[assessment.pk]), {"next_review_on": "2025-06-01"})
    return Plan.objects.get(assessment=assessment)


def test_a_plan_starts_from_a_completed_assessment_and_opens_the_focus_form(
    login, caseworker, assessment
):
    response = login(caseworker).post(
        reverse("plans:start", args=[assessment.pk]), {"next_review_on": "2025-06-01"}
    )
    plan = Plan.objects.get()
    assert response.url == reverse("plans:focus", args=[plan.pk])
    assert plan.client == assessment.client and plan.created_by == caseworker
    assert AuditEvent.objects.filter(action="create", detail=f"plan {plan.pk}").exists()


def test_a_draft_assessment_has_no_plan(login, caseworker, client_record):
    draft = make_assessment(client_record, caseworker, completed=False)
    response = login(caseworker).post(reverse("plans:start", args=[draft.pk]))
    assert response.url == reverse("assessments:results", args=[draft.pk])
    assert not Plan.objects.exists()


def test_the_focus_form_offers_only_factors_to_act_on(login, caseworker, assessment):
    browser = login(caseworker)
    plan = start(browser, assessment)
    html = browser.get(reverse("plans:focus", args=[plan.pk])).content.decode()
    assert factor("social-support-networks").label in html
    assert factor("stigma-and-labelling").label in html
    # context and caution factors are never targets
    assert factor("indoor-exploitation-experience").label not in html
    assert factor("help-from-customers").label not in html


def test_focus_factors_keep_the_clients_view_in_their_own_words(login, caseworker, assessment):
    browser = login(caseworker)
    plan = start(browser, assessment)
    response = browser.post(
        reverse("plans:focus", args=[plan.pk]),
        focus_data(
            plan,
            {
                "social-support-networks": {"client_words": "I miss my sister", "view": "agrees"},
                "stigma-and-labelling": {"words": "how people look at me", "view": "disagrees"},
            },
        ),
    )
    assert response.status_code == 302
    saved = {f.factor.slug: f for f in FocusFactor.objects.filter(plan=plan)}
    assert saved["social-support-networks"].client_words == "I miss my sister"
    assert saved["social-support-networks"].kind == "build"
    assert saved["stigma-and-labelling"].client_view == "disagrees"
    assert saved["stigma-and-labelling"].kind == "limit"


@override_settings(PLAN_MAX_FOCUS_FACTORS=1)
def test_more_focus_factors_than_the_limit_are_refused_and_the_input_is_kept(
    login, caseworker, assessment
):
    browser = login(caseworker)
    plan = start(browser, assessment)
    response = browser.post(
        reverse("plans:focus", args=[plan.pk]),
        focus_data(
            plan,
            {
                "social-support-networks": {"client_words": "typed with care"},
                "access-to-work": {},
            },
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert too_many(1).replace("’", "&#x27;")[:30] in html
    assert "typed with care" in html
    assert not FocusFactor.objects.exists()


def test_an_action_needs_a_reason_to_be_dropped_and_keeps_what_was_typed(
    login, caseworker, assessment
):
    browser = login(caseworker)
    plan = start(browser, assessment)
    browser.post(reverse("plans:focus", args=[plan.pk]), focus_data(plan, {"access-to-work": {}}))
    plan.refresh_from_db()
    focus = plan.focus_factors.get()
    data = {
        "version": plan.version,
        "focus": focus.pk,
        "what": "Ask about the bakery course",
        "who": "client",
        "due_on": "2025-05-01",
        "status": "dropped",
        "dropped_reason": "",
    }
    response = browser.post(reverse("plans:action_new", args=[plan.pk]), data)
    assert response.status_code == 200
    assert "Say why the action was dropped." in response.content.decode()
    assert "Ask about the bakery course" in response.content.decode()
    data.update(status="planned")
    assert browser.post(reverse("plans:action_new", args=[plan.pk]), data).status_code == 302
    assert PlanAction.objects.get().what == "Ask about the bakery course"


def test_a_change_made_meanwhile_is_not_overwritten_and_the_input_is_kept(
    login, caseworker, teammate, assessment
):
    browser = login(caseworker)
    plan = start(browser, assessment)
    browser.post(reverse("plans:focus", args=[plan.pk]), focus_data(plan, {"access-to-work": {}}))
    stale_version = plan.version  # loaded before the teammate's save
    plan.refresh_from_db()
    focus = plan.focus_factors.get()
    response = browser.post(
        reverse("plans:action_new", args=[plan.pk]),
        {
            "version": stale_version,
            "focus": focus.pk,
            "what": "Mine, typed late",
            "who": "caseworker",
            "due_on": "2025-05-01",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE[:40].replace("'", "&#x27;") in html
    assert "Mine, typed late" in html
    assert not PlanAction.objects.exists()


def test_a_referral_is_recorded_with_its_status_and_outcome(
    login, caseworker, assessment, peer_service
):
    browser = login(caseworker)
    plan = start(browser, assessment)
    plan.refresh_from_db()
    response = browser.post(
        reverse("plans:referral_new", args=[plan.pk]),
        {
            "version": plan.version,
            "service": peer_service.pk,
            "sent_on": "2025-03-03",
            "status": "accepted",
            "outcome": "First meeting on Friday",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.service, referral.status) == (peer_service, "accepted")
    html = browser.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "First meeting on Friday" in html


def test_the_plan_page_suggests_active_services_for_a_factor_to_build(
    login, caseworker, assessment, peer_service
):
    from tests.plans.factories import make_service

    make_service("Closed Down", factors=[factor("social-support-networks")], active=False)
    browser = login(caseworker)
    plan = start(browser, assessment)
    browser.post(
        reverse("plans:focus", args=[plan.pk]), focus_data(plan, {"social-support-networks": {}})
    )
    html = browser.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Peer Circle" in html
    assert "Closed Down" not in html


def test_the_next_plan_reviews_open_actions_and_carries_the_rest_forward(
    login, caseworker, client_record, assessment
):
    browser = login(caseworker)
    first = start(browser, assessment)
    browser.post(
        reverse("plans:focus", args=[first.pk]),
        focus_data(first, {"access-to-work": {}, "social-support-networks": {}}),
    )
    work, support = (
        first.focus_factors.get(factor__slug="access-to-work"),
        first.focus_factors.get(factor__slug="social-support-networks"),
    )
    done = PlanAction.objects.create(
        focus=work, what="CV", who="client", due_on=dt.date(2025, 4, 1)
    )
    dropped = PlanAction.objects.create(
        focus=work, what="Course", who="client", due_on=dt.date(2025, 4, 1)
    )
    carried = PlanAction.objects.create(
        focus=support, what="Group", who="client", due_on=dt.date(2025, 4, 1)
    )
    later = make_assessment(client_record, caseworker, date=dt.date(2025, 6, 1))

    page = browser.get(reverse("plans:start", args=[later.pk])).content.decode()
    assert "Did it help?" in page and "CV" in page
    response = browser.post(
        reverse("plans:start", args=[later.pk]),
        {
            f"outcome_{done.pk}": "done",
            f"helped_{done.pk}": "yes",
            f"outcome_{dropped.pk}": "drop",
            f"reason_{dropped.pk}": "",
            f"outcome_{carried.pk}": "carry",
        },
    )
    assert response.status_code == 200  # a dropped action needs its reason
    assert not Plan.objects.filter(assessment=later).exists()
    browser.post(
        reverse("plans:start", args=[later.pk]),
        {
            f"outcome_{done.pk}": "done",
            f"helped_{done.pk}": "yes",
            f"outcome_{dropped.pk}": "drop",
            f"reason_{dropped.pk}": "The course closed",
            f"outcome_{carried.pk}": "carry",
            f"helped_{carried.pk}": "partly",
        },
    )
    second = Plan.objects.get(assessment=later)
    assert second.previous == first
    done.refresh_from_db()
    dropped.refresh_from_db()
    assert (done.status, done.helped) == ("done", "yes")
    assert (dropped.status, dropped.dropped_reason) == ("dropped", "The course closed")
    moved = PlanAction.objects.get(focus__plan=second)
    assert moved.carried_from == carried and moved.what == "Group"
    assert moved.focus.factor.slug == "social-support-networks"
    # the first plan keeps what it was, and its history
    assert first.focus_factors.count() == 2
    assert PlanAction.history.filter(id=done.pk).count() == 2


def test_a_previous_plan_changed_during_the_start_is_reviewed_again_not_unseen(
    login, caseworker, client_record, assessment, monkeypatch
):
    from django.db.models import F

    from assessments.plans import services

    browser = login(caseworker)
    first = start(browser, assessment)
    focus = FocusFactor.objects.create(
        plan=first, factor=factor("access-to-work"), factor_label="Work", kind="build"
    )
    due = dt.date(2025, 7, 1)
    shown = PlanAction.objects.create(focus=focus, what="CV", who="client", due_on=due)
    later = make_assessment(client_record, caseworker, date=dt.date(2025, 6, 1))
    real_open_actions = services.open_actions
    unseen: list[PlanAction] = []

    def colleague_adds_an_action_meanwhile(plan):
        actions = list(real_open_actions(plan))
        if not unseen:
            unseen.append(
                PlanAction.objects.create(focus=focus, what="Course", who="client", due_on=due)
            )
            Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
        return actions

    monkeypatch.setattr(services, "open_actions", colleague_adds_an_action_meanwhile)
    response = browser.post(
        reverse("plans:start", args=[later.pk]),
        {
            "next_review_on": "2025-08-01",
            f"outcome_{shown.pk}": "done",
            f"helped_{shown.pk}": "yes",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed meanwhile" in html and "Course" in html and "2025-08-01" in html
    assert not Plan.objects.filter(assessment=later).exists()
    assert PlanAction.objects.get(pk=unseen[0].pk).reviewed_at is None


def test_the_agreement_is_recorded_and_cannot_be_in_the_future(login, caseworker, assessment):
    browser = login(caseworker)
    plan = start(browser, assessment)
    plan.refresh_from_db()
    url = reverse("plans:agreement", args=[plan.pk])
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = browser.post(
        url, {"version": plan.version, "agreed_on": tomorrow, "agreed_how": "signed the copy"}
    )
    assert response.status_code == 200 and "signed the copy" in response.content.decode()
    browser.post(
        url, {"version": plan.version, "agreed_on": "2025-03-02", "agreed_how": "signed the copy"}
    )
    plan.refresh_from_db()
    assert plan.agreed_on == dt.date(2025, 3, 2) and plan.agreed_how == "signed the copy"


def test_an_action_keeps_its_service_after_the_service_closes(
    login, caseworker, assessment, peer_service
):
    from tests.plans.factories import make_plan

    plan = make_plan(assessment, service=peer_service)
    action = PlanAction.objects.get(focus__plan=plan)
    action.who, action.service = "service", peer_service
    action.save()
    peer_service.active = False
    peer_service.save()
    response = login(caseworker).post(
        reverse("plans:action", args=[plan.pk, action.pk]),
        {
            "version": plan.version,
            "focus": action.focus_id,
            "what": action.what,
            "who": "service",
            "service": peer_service.pk,
            "due_on": "2025-05-01",
            "status": "done",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.service == peer_service


def test_the_next_review_comes_after_the_assessment(login, caseworker, assessment):
    response = login(caseworker).post(
        reverse("plans:start", args=[assessment.pk]), {"next_review_on": "2025-02-01"}
    )
    assert response.status_code == 200
    assert "The next review comes after the assessment" in response.content.decode()
    assert not Plan.objects.exists()


def test_saving_the_focus_runs_as_many_queries_for_several_factors_as_for_one(
    login, caseworker, north, assessment
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_client
    from tests.plans.conftest import ABSENT, PRESENT

    other = make_client(north, caseworker, reference="N-0002")
    twin = make_assessment(other, caseworker, present=PRESENT, absent=ABSENT)
    browser = login(caseworker)
    one, two = start(browser, assessment), start(browser, twin)

    def queries(plan, chosen) -> int:
        plan.refresh_from_db()
        data = focus_data(plan, chosen)
        with CaptureQueriesContext(connection) as captured:
            browser.post(reverse("plans:focus", args=[plan.pk]), data)
        return len(captured.captured_queries)

    work, support, stigma = "access-to-work", "social-support-networks", "stigma-and-labelling"
    assert queries(one, {work: {}}) == queries(two, {work: {}, support: {}})  # new
    # one kept and one new, against two kept and one new
    assert queries(one, {work: {}, stigma: {}}) == queries(two, {work: {}, support: {}, stigma: {}})
    # removed: one against two, in one filtered delete; only simple_history's record
    # of each removed row (written per row by its delete signal) is one more
    assert queries(one, {work: {"words": "a job"}}) + 1 == queries(two, {work: {}})
    assert two.focus_factors.count() == 1 and one.focus_factors.get().everyday_words == "a job"
