"""A completed all-absent assessment's results in a real browser: the summary
on the first screen, nothing but actionable factors to build, evidence on
request, and a printed summary of at most two pages with the client's
reference, "Confidential", the date and page numbers on every page."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import Assessment
from assessments.services import factors_for, save_assessment
from factors.models import Action, Factor
from tests.conftest import make_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def all_absent(caseworker, north):
    """Completed as the form completes it (pinned to the catalogue version)."""
    client = make_client(north, caseworker, reference="BR-PRINT-1")
    assessment = Assessment.objects.create(client=client, caseworker=caseworker)
    factors = factors_for(assessment)
    answers = {f.pk: ("absent", "") for f in factors}
    hindering = next(f for f in factors if f.role == "hindering")
    answers[hindering.pk] = ("absent", "No debts at the moment")
    save_assessment(
        assessment,
        expected_version=assessment.version,
        date=dt.date(2026, 11, 20),
        stage="preparation",
        notes="",
        answers=answers,
        factors=factors,
        complete=True,
    )
    assert assessment.catalogue_version is not None
    return assessment


def pdf_pages(pdf: bytes) -> list[str]:
    # NFKC undoes the "fi" ligature the PDF's text uses ("Conﬁdential").
    return [
        unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def test_the_summary_of_an_all_absent_assessment_builds_only_actionable_factors(
    page, sign_in, caseworker, all_absent
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(caseworker)
    page.goto(f"/assessments/{all_absent.pk}/")
    summary = page.locator(".results-summary")
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] < 900  # on the first screen

    build = summary.locator('[data-section="build"] dd')
    for factor in Factor.objects.exclude(action=Action.ACTIONABLE):
        expect(build).not_to_contain_text(factor.label)
    for factor in Factor.objects.filter(action=Action.ACTIONABLE, role="facilitating"):
        expect(build).to_contain_text(factor.label)
    context = summary.locator('[data-section="context"] dd')
    for factor in Factor.objects.filter(action=Action.CONTEXT):
        expect(context).to_contain_text(factor.label)
    expect(page.locator("#group-other-notes")).to_contain_text("No debts at the moment")

    factor = Factor.objects.filter(action=Action.ACTIONABLE, role="facilitating").first()
    item = page.locator(f'#group-build [data-factor="{factor.slug}"]')
    quote = item.locator("blockquote").first
    expect(quote).to_be_hidden()
    item.locator("summary").click()
    expect(quote).to_be_visible()
    expect(item.get_by_text("written by ExitSupport, not by the review")).to_be_visible()


def test_the_printed_summary_fits_two_pages_with_a_header_on_every_page(
    page, sign_in, caseworker, all_absent
):
    sign_in(caseworker)
    page.goto(f"/assessments/{all_absent.pk}/")
    summary = pdf_pages(page.pdf(format="A4"))
    page.goto(f"/assessments/{all_absent.pk}/?appendix=1")
    with_appendix = pdf_pages(page.pdf(format="A4"))

    assert 1 <= len(summary) <= 2
    assert len(with_appendix) > len(summary)
    for pages in (summary, with_appendix):
        for number, text in enumerate(pages, start=1):
            assert "Client BR-PRINT-1 · Confidential · assessment of 20 Nov 2026" in text
            assert f"Page {number} of {len(pages)}" in text
    assert "Appendix: the evidence" not in "".join(summary)
    assert "Appendix: the evidence" in "".join(with_appendix)
