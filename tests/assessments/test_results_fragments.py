"""The results page's cached catalogue fragments (assessments/rendering/fragments.py):
they hold no client data, two clients' pages share them and each shows only
its own notes and "similar context" flags, a catalogue or translation change
shows at once, the language is part of the key, the page is the same HTML as
without the cache, and the number of queries does not change."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import Client, Finding
from assessments.recommendations import context_matches
from assessments.rendering import fragments
from factors.models import Evidence, Factor
from factors.translations import services
from factors.translations.models import EvidenceTranslation
from factors.versions import pinned_factors, record_version, version_to_pin
from tests.conftest import make_assessment, make_client

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def pinned(assessment):
    assessment.catalogue_version = version_to_pin()
    assessment.save(update_fields=["catalogue_version"])
    return assessment


def page(http, assessment, **extra) -> str:
    response = http.get(reverse("assessments:results", args=[assessment.pk]), **extra)
    assert response.status_code == 200
    return response.content.decode()


def flags(html: str) -> list[str]:
    return re.findall(r'<span class="badge match-badge">([^<]*)</span>', html)


def matching_context():
    """A factor, and a client context that shares a study's sample with it."""
    for factor in Factor.objects.active().filter(evidence__isnull=False).distinct():
        for ev in Evidence.objects.filter(factor=factor).select_related("study"):
            candidates = [{"age_group": v} for v in Client.AgeGroup.values]
            candidates += [{"route": v} for v in Client.Route.values]
            candidates += [{"setting": v} for v in Client.Setting.values]
            candidates.append({"nationality": ev.study.nationality})
            for context in candidates:
                if context_matches(ev.study, Client(**context)):
                    return factor, context
    pytest.skip("no study states a context")


@pytest.fixture
def two_clients(north, caseworker):
    """Two clients whose assessments show the same version and the same factor
    present; only the first shares a study's context; each has its own note."""
    factor, context = matching_context()
    first = make_client(north, caseworker, reference="N-FIRST", **context)
    second = make_client(north, caseworker, reference="N-SECOND")
    assessments = []
    for client, note in ((first, "First client private note"), (second, "Second one note")):
        assessment = pinned(make_assessment(client, present=[factor.slug]))
        assessment.findings.filter(factor=factor).update(note=note)
        assessments.append(assessment)
    return factor, assessments


@pytest.fixture(autouse=True)
def fresh_cache():
    services.forget()
    yield
    services.forget()


def cached_fragments(version) -> dict:
    return cache.get(fragments.key(version)) or {}


def test_two_clients_share_the_fragments_and_each_sees_only_its_own_data(
    login, caseworker, two_clients
):
    factor, (first, second) = two_clients
    assert first.catalogue_version_id == second.catalogue_version_id
    http = login(caseworker)
    first_html = page(http, first)
    stored = cached_fragments(first.catalogue_version)
    assert factor.pk in stored
    second_html = page(http, second)
    assert cached_fragments(first.catalogue_version) == stored  # reused, not rendered again

    # Nothing about either client in what is cached.
    everything = "".join(stored.values())
    for private in ("N-FIRST", "N-SECOND", "private note", "Second one note", "match-badge"):
        assert private not in everything
    assert "similar context" not in everything

    # Each page: its own note and its own flags, not the other's.
    assert "First client private note" in first_html
    assert "Second one note" not in first_html
    assert "Second one note" in second_html
    assert "First client private note" not in second_html
    assert flags(first_html) and not flags(second_html)
    assert "<!--similar-context:" not in first_html + second_html


def squeeze(html: str) -> str:
    """The page without what changes from one request to the next, and without whitespace."""
    html = re.sub(r'data-seconds-left="\d+"', "", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"\s+", "", html)


def test_the_page_is_the_same_with_and_without_the_fragments(
    login, caseworker, two_clients, monkeypatch
):
    _, assessments = two_clients
    http = login(caseworker)
    for extra in ({}, SPANISH):
        cached = [page(http, a, **extra) for a in assessments]
        with monkeypatch.context() as patch:
            patch.setattr(fragments, "attach", lambda *args, **kwargs: None)
            direct = [page(http, a, **extra) for a in assessments]
        assert [squeeze(h) for h in cached] == [squeeze(h) for h in direct]


def test_the_language_is_part_of_the_key(login, caseworker, two_clients):
    factor, (first, _second) = two_clients
    http = login(caseworker)
    page(http, first)
    page(http, first, **SPANISH)
    stored = {}
    for language in ("en-gb", "es"):
        with translation.override(language):
            stored[language] = cached_fragments(first.catalogue_version)
            shown = pinned_factors(first.catalogue_version)
            translated = services.translate_shown(shown)[factor.pk]
            # What each language's pages reuse is that language's own rendering.
            assert stored[language][factor.pk] == fragments.render_block(translated)
    with translation.override("en-gb"):
        english_key = fragments.key(first.catalogue_version)
    with translation.override("es"):
        assert fragments.key(first.catalogue_version) != english_key
        if translation.gettext("Evidence from the review") != "Evidence from the review":
            assert stored["es"][factor.pk] != stored["en-gb"][factor.pk]


def test_a_translation_edit_shows_at_once(login, caseworker, two_clients):
    factor, (first, _second) = two_clients
    evidence = Evidence.objects.filter(factor=factor).select_related("study").first()
    EvidenceTranslation.objects.filter(language="es", factor=factor).delete()
    translated = EvidenceTranslation.objects.create(
        language="es", factor=factor, study=evidence.study, quote=evidence.quote, text="Frase A"
    )
    http = login(caseworker)
    assert "Frase A" in page(http, first, **SPANISH)
    translated.text = "Frase B, corregida"
    translated.save()
    html = page(http, first, **SPANISH)
    assert "Frase B, corregida" in html and "Frase A" not in html
    translated.delete()
    assert "Frase B" not in page(http, first, **SPANISH)
    assert "Frase" not in page(http, first)  # never in the English page


def test_a_catalogue_change_shows_at_once_where_the_assessment_shows_it(
    login, caseworker, catalogue_admin, two_clients
):
    factor, (first, _second) = two_clients
    http = login(caseworker)
    before = page(http, first)
    factor.guidance = "Guidance rewritten after the first assessment."
    factor.save()
    record_version(user=catalogue_admin, reason="Rewrote the guidance")
    # The completed assessment keeps its version: the old guidance, from its fragment.
    assert "Guidance rewritten" not in page(http, first)
    assert before.count("Practice guidance") == page(http, first).count("Practice guidance")
    # An assessment completed now shows the new version at once.
    later = pinned(make_assessment(first.client, present=[factor.slug]))
    assert later.catalogue_version_id != first.catalogue_version_id
    assert "Guidance rewritten after the first assessment." in page(http, later)
    # A draft reads the live catalogue: never cached.
    draft = make_assessment(first.client, present=[factor.slug], completed=False)
    factor.guidance = "Changed again, in a shell, without a version."
    factor.save()
    assert "Changed again, in a shell" in page(http, draft)


def test_queries_stay_constant_with_and_without_cached_fragments(
    login, caseworker, two_clients, north
):
    factor, (first, second) = two_clients
    http = login(caseworker)
    many = pinned(
        make_assessment(
            make_client(north, caseworker, reference="N-MANY"),
            present=list(Factor.objects.active().values_list("slug", flat=True)),
        )
    )

    def count(assessment, **extra) -> int:
        with CaptureQueriesContext(connection) as captured:
            page(http, assessment, **extra)
        return len(captured)

    page(http, first)  # the session and the translations' status, as in a running worker
    cache.delete(fragments.key(first.catalogue_version))
    cold = count(first)
    warm = count(first)
    assert cold == warm == count(second) == count(many)
    page(http, first, **SPANISH)  # the Spanish catalogue bundle, built once
    cache.delete(fragments.key(first.catalogue_version))
    assert count(first, **SPANISH) == count(first, **SPANISH) == count(many, **SPANISH)


def test_the_fragment_is_the_catalogues_text_only(two_clients):
    factor, (first, _second) = two_clients
    shown = pinned_factors(first.catalogue_version)[factor.pk]
    with translation.override("en-gb"):
        html = fragments.render_block(shown)
    assert shown.evidence and all(ev.quote[:30] in html for ev in shown.evidence)
    assert html.count("<!--similar-context:") == len(shown.evidence)
    assert Finding.objects.filter(assessment=first, factor=factor).exists()
