"""Nothing typed is lost, in a real browser: drafts save themselves, a warning
comes before the session ends, and a form sent after the end is restored."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment, Finding
from factors.models import Factor
from tests.conftest import PASSWORD, make_assessment, make_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(north, caseworker, catalogue):
    client = make_client(north, caseworker, reference="WS-0001")
    return Assessment.objects.create(client=client, caseworker=caseworker)


def test_answers_save_themselves_while_the_caseworker_works(page, sign_in, caseworker, draft):
    sign_in(caseworker)
    page.goto(f"/assessments/{draft.pk}/edit/")
    first = Factor.objects.active().first()
    page.check(f'input[name="finding_{first.pk}"][value="present"]')
    page.fill(f'textarea[name="note_{first.pk}"]', "Typed, never submitted")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved automatically")
    expect(page.locator("[data-progress-answered]")).to_have_text("1")
    page.reload()
    expect(page.locator(f'input[name="finding_{first.pk}"][value="present"]')).to_be_checked()
    expect(page.locator(f'textarea[name="note_{first.pk}"]')).to_have_value(
        "Typed, never submitted"
    )
    # the version moved on with each autosave: "Save draft" still works
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()


def test_completing_with_gaps_moves_focus_to_the_error_summary(page, sign_in, caseworker, draft):
    sign_in(caseworker)
    page.goto(f"/assessments/{draft.pk}/edit/")
    page.get_by_role("button", name="Complete assessment").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    total = Factor.objects.active().count()
    expect(summary).to_contain_text(f"{total} factors not answered yet")
    last = list(Factor.objects.active())[-1]
    summary.locator(f'a[href="#id_finding_{last.pk}_0"]').click()
    expect(page.locator(f"#id_finding_{last.pk}_0")).to_be_focused()


def test_a_warning_comes_before_the_idle_limit_and_stay_signed_in_keeps_the_session(
    page, sign_in, caseworker, draft, settings
):
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_WARNING_SECONDS = 8
    sign_in(caseworker)
    page.goto(f"/assessments/{draft.pk}/edit/")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("answers save themselves")
    expect(page.locator("#session-timeout-title")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(6_000)  # past the first limit, inside the renewed one
    page.goto(f"/assessments/{draft.pk}/edit/")
    expect(page.get_by_role("heading", name=re.compile("Assessment for client"))).to_be_visible()


def test_without_action_the_dialog_says_the_person_was_signed_out(
    page, sign_in, caseworker, draft, settings
):
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_SECONDS = 4
    sign_in(caseworker)
    page.goto("/catalogue/")
    expect(page.get_by_role("dialog", name="You have been signed out")).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", "/accounts/login/?next=%2Fcatalogue%2F"
    )


def test_the_warning_offers_to_sign_out_now(page, sign_in, caseworker, draft, settings):
    settings.SESSION_COOKIE_AGE = 30  # long enough not to end by itself meanwhile
    settings.SESSION_WARNING_SECONDS = 28
    sign_in(caseworker)
    page.goto("/catalogue/")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible(timeout=10_000)
    dialog.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto("/clients/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/clients/"))


def sign_in_again(page, user) -> None:
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_answers_typed_after_the_session_ended_come_back_after_signing_in(
    page, sign_in, caseworker, draft
):
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling between the two
    sign_in(caseworker)
    page.goto(f"/assessments/{draft.pk}/edit/")
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    factors = list(Factor.objects.active())
    page.check(f'input[name="finding_{factors[2].pk}"][value="absent"]')
    page.fill("#id_notes", "Written over a long conversation")
    dialog = page.get_by_role("dialog", name="You have been signed out")
    expect(dialog).to_be_visible()  # the autosave found the session gone
    expect(dialog).to_contain_text("kept for you and shown again when you sign in")
    dialog.get_by_role("link", name="Sign in again").click()
    sign_in_again(page, caseworker)
    expect(page.get_by_text("These are the answers you sent after")).to_be_visible()
    expect(page.locator("#id_notes")).to_have_value("Written over a long conversation")
    expect(page.locator(f'input[name="finding_{factors[2].pk}"][value="absent"]')).to_be_checked()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert Finding.objects.get(assessment=draft, factor=factors[2]).status == "absent"


def test_without_javascript_a_draft_saved_after_the_session_ended_is_kept_too(
    browser, live_server, caseworker, draft
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        sign_in_again(page, caseworker)
        page.goto(f"/assessments/{draft.pk}/edit/")
        Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
        page.fill("#id_notes", "Written without JavaScript")
        page.get_by_role("button", name="Save draft").click()
        expect(
            page.get_by_text("You were signed out before your answers reached us")
        ).to_be_visible()
        sign_in_again(page, caseworker)
        expect(page.get_by_text("These are the answers you sent after")).to_be_visible()
        expect(page.locator("#id_notes")).to_have_value("Written without JavaScript")
    finally:
        context.close()
        from django.db import connections

        connections.close_all()


def test_a_second_assessment_is_confirmed_answer_by_answer(page, sign_in, caseworker, north):
    client = make_client(north, caseworker, reference="WS-0002")
    make_assessment(client, caseworker, date=dt.date.today() - dt.timedelta(days=90))
    sign_in(caseworker)
    page.goto(client.get_absolute_url())
    page.get_by_role("button", name="New assessment").click()
    factors = list(Factor.objects.active())
    expect(page.get_by_text("Carried over — confirm or change.")).to_have_count(len(factors))
    page.click(f'input[name="finding_{factors[0].pk}"][value="present"]')  # a change
    for factor in factors[1:]:
        page.click(f'input[name="finding_{factor.pk}"][value="absent"]')  # confirmed as it was
    expect(page.locator("[data-carried]:visible")).to_have_count(0)
    page.get_by_role("button", name="Complete assessment").click()
    expect(
        page.get_by_role("heading", name="what to sustain, build, limit and watch")
    ).to_be_visible()
    page.get_by_role("link", name="What changed").click()
    expect(page.locator("#timeline")).to_contain_text("(changed)")
