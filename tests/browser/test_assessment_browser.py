"""A caseworker's whole path through the product, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, Client
from factors.models import Factor

pytestmark = pytest.mark.django_db(transaction=True)


def answer_all(page, value="absent"):
    for factor in Factor.objects.active():
        page.check(f'input[name="finding_{factor.pk}"][value="{value}"]')


def test_a_caseworker_records_an_assessment_and_sees_what_to_strengthen_limit_and_watch(
    page, sign_in, caseworker, north
):
    sign_in(caseworker)
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()

    page.get_by_role("link", name="New client").click()
    expect(page.get_by_text("Do not enter names").first).to_be_visible()
    page.fill("#id_reference", "BR-0001")
    page.select_option("#id_route", "transnational")
    page.fill("#id_data_consent_on", "2025-02-01")
    page.select_option("#id_data_consent_method", "verbal")
    page.get_by_role("button", name="Save client").click()
    expect(page.get_by_role("heading", name="Client BR-0001")).to_be_visible()

    page.get_by_role("button", name="New assessment").click()
    expect(
        page.get_by_role("heading", name=re.compile("Assessment for client BR-0001"))
    ).to_be_visible()
    hindering = Factor.objects.filter(role="hindering").first()
    ambivalent = Factor.objects.filter(role="ambivalent", action="actionable").first()
    facilitating = Factor.objects.filter(role="facilitating").first()
    page.check(f'input[name="finding_{hindering.pk}"][value="present"]')
    page.fill(f'textarea[name="note_{hindering.pk}"]', "Discussed at the first meeting")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator(f'input[name="finding_{hindering.pk}"][value="present"]')).to_be_checked()

    answer_all(page, "absent")
    for factor in (hindering, ambivalent, facilitating):
        page.check(f'input[name="finding_{factor.pk}"][value="present"]')
    page.select_option("#id_stage", "preparation")
    page.get_by_role("button", name="Complete assessment").click()

    expect(
        page.get_by_role("heading", name="what to sustain, build, limit and watch")
    ).to_be_visible()
    for group in ("Sustain", "Build", "Limit", "Watch"):
        expect(page.locator(f"#h-{group.lower()}")).to_contain_text(group)
    limit = page.locator("#group-limit")
    expect(limit.locator(f'[data-factor="{hindering.slug}"]')).to_be_visible()
    expect(limit.get_by_text("Discussed at the first meeting")).to_be_visible()
    limit.locator(f'[data-factor="{hindering.slug}"] summary').click()
    watch = page.locator("#group-watch")
    expect(watch.locator(f'[data-factor="{ambivalent.slug}"]')).to_be_visible()
    study = hindering.evidence.first().study
    link = limit.get_by_role("link", name=study.short_citation).first
    expect(link).to_have_attribute("href", study.get_absolute_url())
    assert Assessment.objects.get(client__reference="BR-0001").status == "completed"


def test_a_submission_with_an_error_keeps_the_entered_findings(page, sign_in, caseworker, north):
    client = Client.objects.create(
        reference="BR-0002",
        team=north,
        caseworker=caseworker,
        data_consent_on="2025-01-01",
        data_consent_method="written",
    )
    assessment = Assessment.objects.create(client=client, caseworker=caseworker)
    sign_in(caseworker)
    page.goto(f"/assessments/{assessment.pk}/edit/")
    factors = list(Factor.objects.active())
    answer_all(page, "absent")
    page.check(f'input[name="finding_{factors[0].pk}"][value="present"]')
    page.fill(f'textarea[name="note_{factors[0].pk}"]', "Keep me")
    page.fill("#id_notes", "Overall notes to keep")
    # Leave the last factor unanswered (a radio group cannot be unchecked by clicking).
    page.locator(f'input[name="finding_{factors[-1].pk}"]').evaluate_all(
        "inputs => inputs.forEach(i => { i.checked = false; })"
    )
    page.get_by_role("button", name="Complete assessment").click()
    expect(page.get_by_text("Answer this factor before completing").first).to_be_visible()
    expect(page.locator(f'input[name="finding_{factors[0].pk}"][value="present"]')).to_be_checked()
    expect(page.locator(f'input[name="finding_{factors[1].pk}"][value="absent"]')).to_be_checked()
    expect(page.locator(f'textarea[name="note_{factors[0].pk}"]')).to_have_value("Keep me")
    expect(page.locator("#id_notes")).to_have_value("Overall notes to keep")
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_the_print_view_has_no_navigation(page, sign_in, caseworker, north):
    from tests.conftest import make_assessment, make_client

    client = make_client(north, caseworker, reference="BR-0003")
    hindering = Factor.objects.filter(role="hindering").first()
    assessment = make_assessment(client, present={hindering.slug})
    sign_in(caseworker)
    page.goto(f"/assessments/{assessment.pk}/")
    expect(page.locator("nav.navbar")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.locator("#group-limit")).to_be_visible()
    expect(page.get_by_text("Client BR-0003 · Confidential")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
