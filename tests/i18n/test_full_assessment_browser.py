"""One whole assessment in Spanish and one in Nepali, in a real browser,
including print.

A caseworker whose account is set to the language (the browser itself asks
for English) signs in, opens a client, trips the "answer every factor" error,
saves a draft, completes the assessment with every factor answered, reads the
results and prints them to PDF. At every step:

- ``<html lang>`` is the language;
- the interface strings the step needs are shown in the language, each read
  from the compiled catalogue at test time, and each must differ from the
  English (a string not yet translated fails the test, naming the msgid);
- no English interface phrase is left on the page: every msgid of three words
  or more that has a translation must not appear in the visible text;
- the catalogue shows in the language (a factor's label) while the review's
  sentence stays in English, verbatim, with its labelled translation beside it.

The printed page's "Confidential" and "Page X of Y" margin boxes come from
/i18n/print.css in the language. The PDF's text is read with pypdf; where no
font on this machine can draw the language's script (Nepali needs a Devanagari
font, e.g. Debian's fonts-noto-core), Chromium prints empty boxes, so the PDF's
words cannot be checked: the print-media page and the print stylesheet are
checked instead, and the PDF's page count and size.
"""

from __future__ import annotations

import datetime as dt
import gettext as gnu_gettext
import io
import json
import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.language import css_string, page_counter_content
from assessments.models import Assessment, Client
from assessments.preferences import save_language
from factors.models import Evidence, Factor
from factors.translations import loader, services
from factors.translations.languages import local_name
from factors.translations.models import FactorTranslation
from tests.conftest import make_client

LANGUAGES = ["es", "ne"]
# The browser asks for English: the account's language must win over it.
BROWSER_LOCALE = "en-GB"

# Interface strings the walk asserts on: (context or None, msgid).
RESULTS_SECTIONS = ("Sustain", "Build", "Limit", "Watch")
COMPLETE_MISSING = (
    "Answer this factor before completing the assessment (choose “Not assessed” if it was not "
    "discussed)."
)
UNANSWERED_SINGULAR = (
    "%(count)s factor not answered yet: choose “Not assessed” for any that was not discussed."
)
UNANSWERED_PLURAL = (
    "%(count)s factors not answered yet: choose “Not assessed” for any that was not discussed."
)
PRINT_HEADER = (
    "Client %(reference)s · Confidential · assessment of %(date)s · printed %(printed_on)s"
)
BESIDE_DRAFT = (
    "Translation (%(language)s) — not the review's words; draft, not checked by a fluent speaker"
)
BESIDE_REVIEWED = "Translation (%(language)s) — not the review's words"
REQUIRED = [
    (None, "Clients"),
    (None, "Client %(reference)s"),
    (None, "New assessment"),
    (None, "Assessment for client %(reference)s"),
    (None, "Save draft"),
    (None, "Complete assessment"),
    (None, "There is a problem"),
    (None, COMPLETE_MISSING),
    (None, UNANSWERED_SINGULAR),  # checked through ngettext, both forms
    (None, "Draft saved."),
    (None, "Assessment completed."),
    (None, "Results: what to sustain, build, limit and watch"),
    (None, "Summary"),
    *(("results section", title) for title in RESULTS_SECTIONS),
    (None, "Print summary"),
    (None, "From the review"),
    (None, "Ferrari (2021), quoted verbatim"),
    (None, BESIDE_DRAFT),
    (None, BESIDE_REVIEWED),
    (None, PRINT_HEADER),
    (None, "Confidential"),
    (None, "Page %(page)s of %(pages)s"),
]

# Placeholders and markup split a msgid into the phrases a page can show.
SPLIT = re.compile(r"%\(\w+\)[sdf]|%[sd]|<[^>]*>|\{\{[^}]*\}\}|\s·\s|[“”\"()]")
MIN_WORDS = 3

# The page's visible words: text of rendered elements plus the attributes a
# person sees or hears. The review's verbatim sentences are English by design
# and are left out (they are checked on their own).
VISIBLE_TEXT_JS = """
() => {
  const skip = el => el.closest('script, style, template, noscript, blockquote.review-quote');
  const shown = el => el.checkVisibility({visibilityProperty: true, opacityProperty: false});
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (el && !skip(el) && shown(el) && node.textContent.trim()) out.push(node.textContent);
  }
  for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (skip(el) || !shown(el)) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
  }
  out.push(document.title);
  return out.join('\\n');
}
"""


def normal(text: str) -> str:
    # NFKC undoes the ligatures a PDF's text uses ("ﬁ"); spaces are collapsed.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def unspaced(text: str) -> str:
    """For comparing with a PDF's text layer, which places spaces by glyph
    position: in Devanagari not where the words break ("2 मध्येपृष्ठ1")."""
    return re.sub(r"\s+", "", normal(text))


def tr(language: str, msgid: str, context: str | None = None, /, **values) -> str:
    """The compiled translation of ``msgid`` in ``language``; fails, naming the
    msgid, while it is not translated (the same text as the English)."""
    with translation.override(language):
        text = pgettext(context, msgid) if context else gettext(msgid)
    where = f" (context {context!r})" if context else ""
    assert text != msgid, f"not translated into {language}: msgid {msgid!r}{where}"
    return text % values if values else text


def tr_plural(language: str, singular: str, plural: str, count: int) -> str:
    with translation.override(language):
        text = ngettext(singular, plural, count)
    assert text not in (singular, plural), (
        f"not translated into {language}: msgid {singular!r} (plural form for {count})"
    )
    return text % {"count": count}


@cache
def english_phrases(language: str) -> tuple[str, ...]:
    """Phrases of the project's messages that have a translation in
    ``language`` (read from the compiled catalogue): none of them may be seen
    in English. Only phrases of three words or more, split at placeholders and
    markup, so that a short word shared with the data cannot trip the check."""
    mo = mo_path(language)
    with mo.open("rb") as handle:
        keys = [k for k in gnu_gettext.GNUTranslations(handle)._catalog if isinstance(k, str) and k]
    phrases = set()
    with translation.override(language):
        for key in keys:
            context, _, msgid = key.rpartition("\x04")
            shown = pgettext(context, msgid) if context else gettext(msgid)
            if shown == msgid:
                continue  # not translated (or the same in both): not English left over
            for piece in SPLIT.split(msgid):
                piece = normal(piece).strip(" .,:;—–-")
                if len(piece.split()) >= MIN_WORDS and piece not in normal(shown):
                    phrases.add(piece)
    return tuple(sorted(phrases))


def visible_text(page) -> str:
    return normal(page.evaluate(VISIBLE_TEXT_JS))


def assert_no_english(page, language: str, step: str) -> None:
    text = visible_text(page)
    left = [phrase for phrase in english_phrases(language) if phrase in text]
    assert not left, f"{step} ({language}): English interface text still shown: {left}"


def assert_html_lang(page, language: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language, page.url


def fonts_for(language: str) -> bool:
    """Whether a font on this machine covers the language (else Chromium prints boxes)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    result = subprocess.run(  # noqa: S603 - a fixed command; the language is one of LANGUAGES
        [fc_list, f":lang={language}", "family"], capture_output=True, text=True, check=False
    )
    return bool(result.stdout.strip())


def pdf_pages(pdf: bytes) -> list[str]:
    return [normal(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


def shipped(language: str) -> dict:
    return json.loads(loader.path_for(language).read_text(encoding="utf-8"))


def mo_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo"


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """The languages' .mo files, compiled when missing or older than the .po
    (``make compile`` does it; a test run without it must not read a stale one)."""
    stale = []
    for language in LANGUAGES:
        mo = mo_path(language)
        po = mo.with_suffix(".po")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            stale.append(language)
    if stale:
        if not shutil.which("msgfmt"):
            pytest.fail(f"{stale}: the .mo files are missing or stale and msgfmt is missing")
        from django.core.management import call_command
        from django.utils.translation import trans_real

        call_command("compilemessages", locale=stale, verbosity=0)
        trans_real._translations = {}
        english_phrases.cache_clear()


@pytest.fixture
def catalogue_translations(catalogue):
    """The shipped catalogue translations (a flushed test database loses them
    with the catalogue; loading is idempotent)."""
    if not FactorTranslation.objects.exists():
        loader.load_shipped()
    services.forget()
    yield
    services.forget()


@pytest.fixture
def english_browser(page):
    """The browser prefers English: only the account chooses the language."""
    page.set_extra_http_headers({"Accept-Language": BROWSER_LOCALE})
    return page


def pick_factor(language: str) -> tuple[Factor, str, Evidence, str]:
    """A hindering factor with a translated label and a translated sentence of
    the review: (factor, its translated label, the sentence, its translation)."""
    data = shipped(language)
    for row in data["evidence"]:
        label = data["factors"].get(row["factor"], {}).get("label")
        if not (label and row["text"]):
            continue
        factor = Factor.objects.active().filter(slug=row["factor"], role="hindering").first()
        evidence = Evidence.objects.filter(
            factor__slug=row["factor"], study__key=row["study"], quote=row["quote"]
        ).first()
        if factor and evidence:
            return factor, label, evidence, row["text"]
    pytest.fail(f"{language}.json has no hindering factor with a translated label and sentence")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_whole_assessment_in_the_caseworkers_language_including_print(
    language, english_browser, sign_in, caseworker, north, catalogue_translations
):
    page = english_browser
    page.set_viewport_size({"width": 1280, "height": 900})
    save_language(caseworker, language)
    reference = f"{language.upper()}-0001"
    client = make_client(north, caseworker, reference=reference)
    factor, label, evidence, sentence_translation = pick_factor(language)

    # Signing in: the account's language, over the browser's English.
    sign_in(caseworker)
    assert_html_lang(page, language)
    expect(page.get_by_role("heading", name=tr(language, "Clients"))).to_be_visible()
    assert_no_english(page, language, "client list")

    # Opening the client.
    page.get_by_role("link", name=reference, exact=True).click()
    heading = tr(language, "Client %(reference)s", reference=reference)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_html_lang(page, language)
    assert_no_english(page, language, "client")

    # A new assessment: completing with nothing answered shows the error summary.
    page.get_by_role("button", name=tr(language, "New assessment")).click()
    heading = tr(language, "Assessment for client %(reference)s", reference=reference)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_html_lang(page, language)
    expect(page.locator(f'fieldset[data-factor="{factor.slug}"] legend')).to_contain_text(label)
    expect(page.get_by_role("button", name=tr(language, "Save draft"))).to_be_visible()
    assert_no_english(page, language, "assessment form")

    factors = list(Factor.objects.active())
    page.get_by_role("button", name=tr(language, "Complete assessment")).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert_html_lang(page, language)
    expect(summary.locator("#error-summary-title")).to_have_text(tr(language, "There is a problem"))
    unanswered = tr_plural(language, UNANSWERED_SINGULAR, UNANSWERED_PLURAL, len(factors))
    expect(summary.locator("#unanswered-count")).to_have_text(unanswered)
    expect(summary).to_contain_text(tr(language, COMPLETE_MISSING))
    assert_no_english(page, language, "error summary")

    # A draft saved with one answer and a note.
    page.check(f'input[name="finding_{factor.pk}"][value="present"]')
    page.fill(f'textarea[name="note_{factor.pk}"]', "Discussed at the first meeting")
    page.get_by_role("button", name=tr(language, "Save draft")).click()
    expect(page.get_by_text(tr(language, "Draft saved."))).to_be_visible()
    assert_html_lang(page, language)
    assert_no_english(page, language, "draft saved")

    # Every factor answered, then completed.
    present = {factor.pk}
    for role in ("facilitating", "ambivalent"):
        other = Factor.objects.active().filter(role=role, action="actionable").first()
        if other:
            present.add(other.pk)
    for each in factors:
        value = "present" if each.pk in present else "absent"
        page.check(f'input[name="finding_{each.pk}"][value="{value}"]')
    page.select_option("#id_stage", "preparation")
    page.get_by_role("button", name=tr(language, "Complete assessment")).click()

    # The results.
    heading = tr(language, "Results: what to sustain, build, limit and watch")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assessment = Assessment.objects.get(client=client)
    assert assessment.status == "completed"
    assert_html_lang(page, language)
    expect(page.get_by_text(tr(language, "Assessment completed."))).to_be_visible()
    expect(page.locator("#h-summary")).to_have_text(tr(language, "Summary"))
    for title in RESULTS_SECTIONS:
        expect(page.locator(f"#h-{title.lower()}")).to_contain_text(
            tr(language, title, "results section")
        )
    expect(page.get_by_role("button", name=tr(language, "Print summary"))).to_be_visible()
    expect(page.locator('.results-summary [data-section="limit"] dd')).to_contain_text(label)

    item = page.locator(f'#group-limit [data-factor="{factor.slug}"]')
    expect(item.locator("h3")).to_contain_text(label)
    item.locator("summary").click()
    expect(item.get_by_text(tr(language, "From the review"), exact=True)).to_be_visible()
    expect(item.get_by_text(tr(language, "Ferrari (2021), quoted verbatim"))).to_be_visible()
    # The review's sentence in English, verbatim; its translation beside it, labelled.
    entry = item.locator("li.study-ref").filter(has_text=evidence.quote).first
    expect(entry.locator("blockquote.review-quote")).to_have_text(evidence.quote)
    beside = entry.locator("[data-translation]")
    expect(beside).to_have_attribute("lang", language)
    expect(beside).to_contain_text(sentence_translation)
    labels = [
        tr(language, m, language=local_name(language)) for m in (BESIDE_DRAFT, BESIDE_REVIEWED)
    ]
    shown_label = normal(beside.locator(".catalogue-translation-label").inner_text())
    assert shown_label in labels, f"the translation's label is {shown_label!r}"
    assert_no_english(page, language, "results")

    # Print: the print-media page, the print stylesheet in the language, the PDF.
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    header = tr(
        language,
        PRINT_HEADER,
        reference=reference,
        date=date_in(language, assessment.date),
        printed_on=date_in(language, timezone.localdate()),
    )
    expect(page.locator(".print-header")).to_have_text(header)
    assert_no_english(page, language, "print view")
    confidential = tr(language, "Confidential")
    counter = tr(language, "Page %(page)s of %(pages)s")
    link = page.locator('link[media="print"][href*="print.css"]')
    href = link.get_attribute("href")
    assert href.endswith(f"print.css?lang={language}"), href
    css = page.request.get(href).text()
    assert css_string(confidential) in css, css
    assert page_counter_content(counter) in css, css

    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    pages = pdf_pages(pdf)
    assert 1 <= len(pages) <= 3
    assert all(reference in text for text in pages), "the reference is on every printed page"
    if fonts_for(language):
        for number, text in enumerate(pages, start=1):
            assert unspaced(confidential) in unspaced(text), f"page {number}: {text[:300]}"
            page_of = counter % {"page": number, "pages": len(pages)}
            assert unspaced(page_of) in unspaced(text), (
                f"page {number}: {page_of!r} not in {text[:300]}"
            )
        assert unspaced(label) in unspaced(" ".join(pages)), f"the label {label!r} is not printed"
        assert_no_english_in(pages, language)


def date_in(language: str, day: dt.date) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def assert_no_english_in(pages: list[str], language: str) -> None:
    text = " ".join(pages)
    left = [phrase for phrase in english_phrases(language) if phrase in text]
    assert not left, f"printed PDF ({language}): English interface text: {left}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_strings_of_the_walk_are_translated(language):
    """All the walk's strings at once: the list a translator needs."""
    missing = []
    with translation.override(language):
        for context, msgid in REQUIRED:
            text = pgettext(context, msgid) if context else gettext(msgid)
            if text == msgid:
                missing.append(f"{context}|{msgid}" if context else msgid)
        if ngettext(UNANSWERED_SINGULAR, UNANSWERED_PLURAL, 2) == UNANSWERED_PLURAL:
            missing.append(f"{UNANSWERED_PLURAL} (plural)")
    assert not missing, f"{len(missing)} strings not translated into {language}: {missing}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_spanish_caseworkers_dates_are_in_spanish(english_browser, sign_in, caseworker, north):
    from tests.conftest import make_assessment

    page = english_browser
    save_language(caseworker, "es")
    client: Client = make_client(north, caseworker, reference="ES-DATES")
    assessment = make_assessment(client, date=dt.date(2025, 3, 1))
    sign_in(caseworker)
    page.goto(f"/assessments/{assessment.pk}/")
    assert_html_lang(page, "es")
    with translation.override("es"):
        month = formats.date_format(assessment.date, "F")
        expected = formats.date_format(assessment.date, "DATE_FORMAT")
    assert month == "marzo"
    text = visible_text(page)
    assert expected in text, f"{expected!r} not on the results page"
    assert "March" not in text and "Mar 2025" not in text
    page.emulate_media(media="print")
    expect(page.locator(".print-header")).to_contain_text(expected)
