"""The client's copy of the plan prints in the client's language, chosen per
client, while the caseworker keeps working in theirs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assessments.forms import ClientForm
from assessments.languages import client_language_choices
from assessments.plans import services
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db

DRAFT_NOTE = (
    "This copy was translated, and the translation has not yet been checked by a fluent "
    "speaker. If something is unclear, ask your caseworker."
)


def spanish(english: str) -> str:
    """The compiled Spanish catalogue's text (a test fails while it is untranslated)."""
    with translation.override("es"):
        text = translation.gettext(english)
    assert text != english, f"not translated into Spanish: {english!r}"
    return text


@pytest.fixture
def plan(assessment):
    return make_plan(assessment, factor_slug="social-support-networks")


def copy_of(html: str) -> str:
    return html[html.index('id="client-copy"') :]


def test_a_spanish_client_gets_a_spanish_copy_while_the_caseworker_works_in_english(
    login, caseworker, plan, monkeypatch
):
    plan.client.language = "es"
    plan.client.save()
    assert translation.get_language().startswith("en")
    html = login(caseworker).get(reverse("plans:copy", args=[plan.pk])).content.decode()
    assert re.search(r'<div class="client-copy" id="client-copy" lang="es" dir="ltr">', html)
    copy = copy_of(html)
    assert f"<h1>{spanish('Your plan')}</h1>" in copy and "Your plan" not in copy
    # Dates in the client's language: Spanish month names, in the Spanish order.
    assert "1 de abril de 2025" in copy and "April" not in copy
    # Spanish is not checked by a fluent speaker yet: the copy says so, in Spanish.
    assert escape(spanish(DRAFT_NOTE)) in copy
    # The caseworker's own buttons, and the next page, stay in English.
    assert "Back to the plan" in html and escape(spanish("Back to the plan")) not in html
    assert "copy is in Español." in html
    detail = login(caseworker).get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Support plan" in detail


def test_without_a_language_the_copy_follows_the_caseworker(login, caseworker, plan):
    assert plan.client.language == ""
    html = login(caseworker).get(reverse("plans:copy", args=[plan.pk])).content.decode()
    assert 'lang="en-gb"' in html
    assert "1 April 2025" in html
    assert 'id="copy-draft-note"' not in html  # English is the source


def test_the_copy_reads_the_catalogue_and_the_review_status_in_one_place_each(plan):
    focus = list(plan.focus_factors.all())
    assert services.copy_catalogue_text(focus, "es", studies=False) == {}
    assert set(services.copy_catalogue_text(focus, "es", studies=True)) <= {
        f.factor_id for f in focus
    }
    assert services.translation_reviewed("en-gb") and not services.translation_reviewed("es")


def test_the_language_is_chosen_in_the_client_form_without_test_locales(
    caseworker, client_record, settings
):
    settings.LANGUAGES = [("en-gb", "English"), ("es", "Spanish"), ("xx", "Pseudo")]
    settings.TEST_LANGUAGES = ["xx"]
    codes = [code for code, _ in client_language_choices()]
    assert codes == ["", "en-gb", "es"]
    form = ClientForm(instance=client_record, user=caseworker)
    assert [code for code, _ in form.fields["language"].choices] == ["", "en-gb", "es"]


def test_the_client_page_says_which_language_the_copy_prints_in(login, caseworker, client_record):
    client_record.language = "es"
    client_record.save()
    html = login(caseworker).get(client_record.get_absolute_url()).content.decode()
    assert 'id="client-copy-language"' in html and "Español" in html
