"""The right-to-left test locale in a real browser: the results page and the
assessment form are laid out right to left, reflow at 320 px without sideways
scrolling, and print (with the translated margin boxes)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from tests.conftest import make_assessment, make_client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NARROW = 320
RTL = "ar-xb"


@pytest.fixture
def rtl_page(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": RTL, "url": live_server.url}]
    )
    return page


@pytest.fixture
def assessed(caseworker, north):
    client = make_client(north, caseworker, reference="RTL-0001")
    completed = make_assessment(client, caseworker, present=())
    draft = make_assessment(client, caseworker, completed=False)
    return completed, draft


def test_results_and_the_form_are_right_to_left_and_reflow(rtl_page, sign_in, caseworker, assessed):
    completed, draft = assessed
    page = rtl_page
    sign_in(caseworker)
    for url in (f"/assessments/{completed.pk}/", f"/assessments/{draft.pk}/edit/"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        assert page.evaluate("document.documentElement.dir") == "rtl", url
        assert page.evaluate("document.documentElement.lang") == RTL
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.locator('link[href*="bootstrap.rtl.min.css"]').count() == 1
        page.set_viewport_size({"width": NARROW, "height": 640})
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW, f"{url} is {width} px wide at {NARROW} px"


def test_the_results_print_right_to_left(rtl_page, sign_in, caseworker, assessed):
    completed, _ = assessed
    page = rtl_page
    sign_in(caseworker)
    page.goto(f"/assessments/{completed.pk}/")
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    assert 1 <= len(pages) <= 3
    text = "".join(p.extract_text() for p in pages)
    assert "RTL-0001" in text
    # The margin boxes come from the print stylesheet in this language.
    assert page.locator(f'link[media=print][href$="print.css?lang={RTL}"]').count() == 1
    assert "laitnedifnoC" in text or "Confidential" in text
