"""The catalogue in other languages: files load whole or not at all, each field
falls back to English, a translation of the review's sentence sits beside it
(never in its place) and only while the sentence is unchanged, admins with the
catalogue role edit translations with history, pages cost no extra query per
factor, and a draft language says so."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from factors.catalogue import CatalogueError
from factors.models import Evidence, Factor, Study, TheoreticalModel
from factors.translations import loader, services
from factors.translations.models import (
    EvidenceTranslation,
    FactorTranslation,
    LanguageReview,
    StudyTranslation,
    TheoreticalModelTranslation,
)
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}
MODELS = (
    FactorTranslation,
    StudyTranslation,
    EvidenceTranslation,
    TheoreticalModelTranslation,
    LanguageReview,
)


@pytest.fixture(autouse=True)
def no_translations(db):
    """Start from no translation at all (the shipped files are loaded at migrate)."""
    for model in MODELS:
        model.objects.all().delete()
    services.forget()
    yield
    services.forget()  # the database rolls back; the cache must not keep this test's data


@pytest.fixture
def spanish():
    with translation.override("es"):
        yield


def small_file(language="es", n_factors=2) -> dict:
    """A valid file for the first factors that have evidence (English + marker)."""
    factors = list(Factor.objects.filter(evidence__isnull=False).distinct()[:n_factors])
    evidence = Evidence.objects.filter(factor=factors[0]).select_related("study").first()
    study = evidence.study
    model = TheoreticalModel.objects.first()
    return {
        "format": 1,
        "language": language,
        "factors": {
            f.slug: {"label": f"{language.upper()} {f.label}", "description": "", "guidance": ""}
            for f in factors
        },
        "studies": {study.key: {"population": f"{language.upper()} población"}},
        "evidence": [
            {
                "factor": factors[0].slug,
                "study": study.key,
                "quote": evidence.quote,
                "text": f"{language.upper()} frase traducida",
            }
        ],
        "models": {model.name: {"summary": f"{language.upper()} resumen"}},
    }


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS[:4]]


# --- loading -----------------------------------------------------------------------


def test_a_valid_file_loads_with_history_and_a_draft_review_status():
    written = loader.load(small_file())
    assert written == {"factors": 2, "studies": 1, "evidence": 1, "models": 1}
    translation_row = FactorTranslation.objects.first()
    assert translation_row.history.first().history_change_reason.startswith("Loaded from")
    assert LanguageReview.objects.get(language="es").catalogue_status == "draft"


def test_a_file_with_any_problem_loads_nothing_and_names_each_problem(tmp_path):
    data = small_file()
    data["factors"]["no-such-factor"] = {"label": "x"}
    data["studies"][next(iter(data["studies"]))]["colour"] = "x"
    data["evidence"].append({**data["evidence"][0], "quote": "A sentence that changed."})
    path = tmp_path / "es.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueError) as excinfo:
        loader.load_file(path)
    problems = "\n".join(excinfo.value.problems)
    assert "no factor slug 'no-such-factor'" in problems
    assert "colour: unknown field" in problems
    assert "no such English sentence" in problems
    assert counts() == [0, 0, 0, 0]


def test_a_file_for_another_language_or_format_is_refused():
    data = small_file() | {"format": 2, "language": "xx"}
    problems = loader.validate(data)
    assert any(p.startswith("format") for p in problems)
    assert any(p.startswith("language") for p in problems)


def test_loading_again_keeps_an_admins_correction():
    data = small_file()
    loader.load(data)
    row = FactorTranslation.objects.first()
    row.label = "Corrected by a fluent speaker"
    row.save()
    loader.load(data)
    row.refresh_from_db()
    assert row.label == "Corrected by a fluent speaker"
    assert counts() == [2, 1, 1, 1]


def test_export_and_import_carry_the_translations(tmp_path):
    from django.core.management import call_command

    from factors.catalogue import dumps, export_catalogue

    loader.load(small_file())
    exported = export_catalogue()
    assert exported["translations"]["es"]["evidence"][0]["text"] == "ES frase traducida"
    for model in MODELS[:4]:
        model.objects.all().delete()
    path = tmp_path / "catalogue.json"
    path.write_text(dumps(exported), encoding="utf-8")
    call_command("import_catalogue", str(path), "--reason", "Test import", stdout=io.StringIO())
    assert counts() == [2, 1, 1, 1]


# --- display ------------------------------------------------------------------------


def test_each_field_falls_back_to_english(spanish):
    loader.load(small_file())
    slug = next(iter(small_file()["factors"]))
    factor = Factor.objects.get(slug=slug)
    english = factor.description
    services.translate_factors([factor])
    assert factor.label.startswith("ES ") and factor.description == english


def test_english_pages_are_untouched():
    loader.load(small_file())
    factor = Factor.objects.get(slug=next(iter(small_file()["factors"])))
    label = factor.label
    with translation.override("en-gb"):
        services.translate_factors([factor])
    assert factor.label == label


def test_the_reviews_sentence_is_shown_verbatim_with_the_translation_beside_it(
    login, caseworker, spanish
):
    data = small_file()
    loader.load(data)
    row = data["evidence"][0]
    factor = Factor.objects.get(slug=row["factor"])
    html = login(caseworker).get(factor.get_absolute_url(), **SPANISH).content.decode()
    assert f"ES {Factor.objects.get(slug=row['factor']).label}" in html
    quote = f'<blockquote class="review-quote mb-0">{row["quote"]}</blockquote>'
    assert quote in html.replace("&#x27;", "'").replace("&quot;", '"')
    beside = html.index("ES frase traducida")
    assert html.index("data-translation") < beside
    label = html[html.index("data-translation") : beside]
    with translation.override("es"):
        not_the_reviews = translation.gettext(
            "Translation (%(language)s) — not the review's words; draft, not checked by a "
            "fluent speaker"
        ) % {"language": "Español"}
    assert escape(not_the_reviews) in label


def test_an_orphaned_translation_is_not_shown(login, caseworker, spanish):
    data = small_file()
    loader.load(data)
    row = data["evidence"][0]
    evidence = Evidence.objects.get(
        factor__slug=row["factor"], study__key=row["study"], quote=row["quote"]
    )
    evidence.quote = row["quote"] + " (corrected against the paper)"
    evidence.save()
    html = login(caseworker).get(evidence.factor.get_absolute_url(), **SPANISH).content.decode()
    assert "ES frase traducida" not in html


def test_the_results_page_shows_translated_labels_and_sentences_beside(
    login, caseworker, client_record, spanish
):
    data = small_file()
    loader.load(data)
    slug = data["evidence"][0]["factor"]
    assessment = make_assessment(client_record, present=[slug])
    url = reverse("assessments:results", args=[assessment.pk]) + "?appendix=1"
    html = login(caseworker).get(url, **SPANISH).content.decode()
    assert f"ES {Factor.objects.get(slug=slug).label}" in html
    assert "ES frase traducida" in html
    finding = assessment.findings.get(factor__slug=slug)
    assert not finding.factor_label.startswith("ES ")  # the snapshot stays English


def test_study_and_model_context_is_translated(spanish):
    loader.load(small_file())
    study = Study.objects.get(key=next(iter(small_file()["studies"])))
    services.translate_studies([study])
    model = TheoreticalModel.objects.first()
    services.translate_models([model])
    assert study.population == "ES población" and model.summary == "ES resumen"


def queries(http, url) -> int:
    http.get(url, **SPANISH)  # warms the cache
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url, **SPANISH).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_translations(login, caseworker, client_record, spanish):
    http = login(caseworker)
    assessment = make_assessment(client_record, present=["family"])
    urls = [reverse("factors:catalogue"), reverse("assessments:results", args=[assessment.pk])]
    with translation.override("en-gb"):
        english = [queries(http, url) for url in urls]
    loader.load(small_file(n_factors=2))
    few = [queries(http, url) for url in urls]
    loader.load(small_file(n_factors=20))
    many = [queries(http, url) for url in urls]
    assert few == many
    assert [f - e for f, e in zip(few, english, strict=True)] == [0, 0]


# --- the admin ---------------------------------------------------------------------


ADMIN_PAGES = [
    "factors_factortranslation",
    "factors_studytranslation",
    "factors_evidencetranslation",
    "factors_theoreticalmodeltranslation",
    "factors_languagereview",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_only_catalogue_admins_reach_the_translation_admin(
    login, catalogue_admin, caseworker, page
):
    from django.test import Client

    url = reverse(f"admin:{page}_changelist")
    assert login(catalogue_admin).get(url, {"language__exact": "es"}).status_code == 200
    other = Client()
    other.force_login(caseworker)
    assert other.get(url).status_code == 302


def test_an_admin_edit_needs_a_reason_and_keeps_who_and_why(login, catalogue_admin):
    loader.load(small_file())
    row = FactorTranslation.objects.first()
    url = reverse("admin:factors_factortranslation_change", args=[row.pk])
    data = {
        "factor": row.factor_id,
        "language": "es",
        "label": "Otra etiqueta",
        "description": "",
        "guidance": "",
        "discussion_quote": "",
        "change_reason": "",
    }
    http = login(catalogue_admin)
    assert http.post(url, data).status_code == 200  # no reason: refused
    data["change_reason"] = "Checked with a colleague"
    assert http.post(url, data).status_code == 302
    latest = row.history.first()
    assert (latest.label, latest.history_user, latest.history_change_reason) == (
        "Otra etiqueta",
        catalogue_admin,
        "Checked with a colleague",
    )


def test_an_evidence_translation_must_name_a_sentence_of_the_catalogue(login, catalogue_admin):
    evidence = Evidence.objects.select_related("study").first()
    data = {
        "factor": evidence.factor_id,
        "study": evidence.study_id,
        "language": "es",
        "quote": "Not the review's sentence.",
        "text": "Traducción",
        "change_reason": "New translation",
    }
    url = reverse("admin:factors_evidencetranslation_add")
    http = login(catalogue_admin)
    assert http.post(url, data).status_code == 200
    assert http.post(url, data | {"quote": evidence.quote}).status_code == 302
    assert EvidenceTranslation.objects.get().history.count() == 1


def test_the_review_status_is_set_in_the_admin_with_history(login, catalogue_admin):
    url = reverse("admin:factors_languagereview_add")
    data = {"language": "ne", "interface_status": "reviewed", "catalogue_status": "draft"}
    data |= {"reviewed_by": "A. Speaker", "reviewed_at": "2026-01-05", "note": ""}
    assert login(catalogue_admin).post(url, data).status_code == 302
    review = LanguageReview.objects.get(language="ne")
    assert review.history.first().history_user == catalogue_admin


# --- the notice ------------------------------------------------------------------------


def notice(language: str) -> str:
    request = RequestFactory().get("/")
    with translation.override(language):
        return render_to_string("includes/translation_status.html", request=request)


def test_a_draft_language_says_so_and_a_reviewed_one_does_not():
    LanguageReview.objects.create(language="es", interface_status="reviewed")
    assert "translation-status" in notice("es")  # the catalogue is still a draft
    assert "translation-status" in notice("ne")  # nothing recorded: a draft
    LanguageReview.objects.filter(language="es").update(catalogue_status="reviewed")
    services.forget()  # (update() sends no signal; a save does)
    assert "translation-status" not in notice("es")
    assert notice("en-gb").strip() == ""


def test_the_notice_costs_no_query_once_cached_and_follows_a_save():
    review = LanguageReview.objects.create(language="es")
    notice("es")
    with CaptureQueriesContext(connection) as captured:
        assert "translation-status" in notice("es")
    assert len(captured) == 0
    review.interface_status = review.catalogue_status = "reviewed"
    review.save()
    assert "translation-status" not in notice("es")
