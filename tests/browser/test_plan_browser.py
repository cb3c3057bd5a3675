"""The support plan in a real browser: from the results to a plan with a focus
factor, an action and a referral, the client's copy, and the next assessment's
review that closes the action and carries nothing unfinished away."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.plans.models import Plan, PlanAction, Referral
from factors.models import Factor
from tests.conftest import make_assessment, make_client
from tests.plans.factories import make_service

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/tmp/plan-shots")


def test_a_caseworker_goes_from_results_to_plan_referral_and_next_review(
    page, sign_in, caseworker, north
):
    SHOTS.mkdir(exist_ok=True)
    work = Factor.objects.get(slug="access-to-work")
    service = make_service("Work Ready", factors=[work])
    client = make_client(north, caseworker, reference="BR-PLAN")
    first = make_assessment(client, caseworker, date=dt.date(2025, 3, 1))
    sign_in(caseworker)

    page.goto(f"/assessments/{first.pk}/")
    panel = page.locator("#plan-results-panel")
    expect(panel.get_by_text("Work Ready")).to_be_visible()
    panel.get_by_role("link", name="Make a support plan from these results").click()
    page.fill("#id_next_review_on", "2025-06-01")
    page.get_by_role("button", name="Start the plan").click()

    expect(page.get_by_role("heading", name="Focus factors")).to_be_visible()
    page.check(f"#id_chosen_{work.pk}")
    page.fill(f"#id_words_{work.pk}", "finding a job I like")
    page.select_option(f"#id_view_{work.pk}", "agrees")
    page.fill(f"#id_client_words_{work.pk}", "I used to cook, I could do that again")
    page.screenshot(path=str(SHOTS / "focus.png"))
    page.get_by_role("button", name="Save the focus factors").click()
    expect(page.get_by_text("Focus factors saved.")).to_be_visible()

    page.get_by_role("link", name="Add an action").click()
    page.fill("#id_what", "Go to the open day at Work Ready")
    page.select_option("#id_who", "client")
    page.fill("#id_due_on", "2025-04-15")
    page.get_by_role("button", name="Save the action").click()
    expect(
        page.get_by_role("cell", name="Go to the open day at Work Ready", exact=True)
    ).to_be_visible()

    page.get_by_role("link", name="Record a referral").click()
    page.select_option("#id_service", str(service.pk))
    page.select_option("#id_status", "accepted")
    page.get_by_role("button", name="Save the referral").click()
    expect(page.locator("#referrals")).to_contain_text("Accepted")
    page.screenshot(path=str(SHOTS / "plan.png"), full_page=True)

    page.get_by_role("link", name="The client's copy").click()
    expect(page.get_by_role("heading", name="finding a job I like")).to_be_visible()
    expect(page.get_by_text("I used to cook")).to_have_count(0)
    page.get_by_role("link", name="Large print").click()
    expect(page.locator("#client-copy")).to_have_class("client-copy large-print")
    page.screenshot(path=str(SHOTS / "copy-large.png"), full_page=True)

    second = make_assessment(client, caseworker, date=dt.date(2025, 6, 1))
    page.goto(f"/assessments/{second.pk}/")
    page.get_by_role("link", name="Make a support plan from these results").click()
    action = PlanAction.objects.get()
    expect(page.get_by_text("Go to the open day at Work Ready", exact=False)).to_be_visible()
    page.check(f"#id_outcome_{action.pk}_1")  # done
    page.select_option(f"#id_helped_{action.pk}", "yes")
    page.screenshot(path=str(SHOTS / "review.png"), full_page=True)
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="Focus factors")).to_be_visible()

    action.refresh_from_db()
    assert (action.status, action.helped) == ("done", "yes")
    assert Plan.objects.get(assessment=second).previous.assessment == first
    assert Referral.objects.get().status == "accepted"
