"""What pages show of the catalogue in the active language: one place.

Every function reads the translations as one cached bundle per language (four
queries to build it, none afterwards until a translation or the catalogue
changes), so a page costs the same number of queries whatever it shows. The
bundle holds catalogue text only, never client data.

Each translated field falls back to the English on its own, and a
translation is only used for the English text it was made from: a pinned
version's older label, or an evidence sentence that has changed since, shows
in English. The review's verbatim sentences are never replaced: their
translation is set *beside* them (``translation`` on an evidence item,
``discussion_quote_translation`` on a factor), for
``templates/translations/beside.html``.

For other code:
  active_language()                     the catalogue language in force, or None
  translate_factors(factors)            Factor objects, in place (display only!)
  translate_evidence(rows)              Evidence objects: sets ``.translation``
  translate_studies(studies)            Study objects, in place (display only!)
  translate_models(models)              TheoreticalModel objects, in place
  translate_shown(shown)                {id: FactorShown} -> translated copies
  translate_labels(objs, attr, id_attr) snapshot labels (findings, plan focus), in place
  translate_form(form)                  the assessment form's factor labels and help
  evidence_translation(factor_id, study_key, quote)
  factor_text(factor_id, field, english)
  status(language)                      the language's review status (for the notice)

"In place" functions change attributes of objects loaded for a page: never
save those objects afterwards (a finding's label snapshot must stay English).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

from factors.translations.languages import catalogue_language, local_name

TIMEOUT = 300  # seconds: how long another process may show a translation after it changed
GENERATION_KEY = "catalogue-translations:generation"
STATUS_KEY = "catalogue-translations:status"


@dataclass
class Bundle:
    language: str
    # factor id -> field -> (English, translation)
    factors: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)
    # study id -> field -> (English, translation)
    studies: dict[int, dict[str, tuple[str, str]]] = field(default_factory=dict)
    # (factor id, study key, English sentence) -> translation
    evidence: dict[tuple[int, str, str], str] = field(default_factory=dict)
    # model id -> (English summary, translation)
    models: dict[int, tuple[str, str]] = field(default_factory=dict)


def forget(**kwargs) -> None:
    """Drop every cached bundle and status (called when a translation, the
    catalogue or a review status changes)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    cache.delete(STATUS_KEY)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def current_generation() -> str:
    """Changes whenever a translation, the catalogue or a review status changes:
    part of the key of anything cached from them (see assessments.rendering.fragments)."""
    return _generation()


def active_language() -> str | None:
    return catalogue_language(get_language())


def bundle(language: str | None = None) -> Bundle | None:
    """The translations of ``language`` (default: the active one), or None for English."""
    language = language or active_language()
    if language is None:
        return None
    key = f"catalogue-translations:{_generation()}:{language}"
    found = cache.get(key)
    if found is None:
        found = _build(language)
        cache.set(key, found, TIMEOUT)
    return found


def _build(language: str) -> Bundle:
    from factors.models import Evidence
    from factors.translations import models as m

    b = Bundle(language)
    for t in m.FactorTranslation.objects.filter(language=language).select_related("factor"):
        f = t.factor
        b.factors[f.pk] = {
            name: (getattr(f, name), getattr(t, name))
            for name in ("label", "description", "guidance", "discussion_quote")
            if getattr(t, name)
        }
    for t in m.StudyTranslation.objects.filter(language=language).select_related("study"):
        s = t.study
        b.studies[s.pk] = {
            name: (getattr(s, name), getattr(t, name))
            for name in ("population", "nationality", "note")
            if getattr(t, name)
        }
    for t in m.TheoreticalModelTranslation.objects.filter(language=language).select_related(
        "model"
    ):
        if t.summary:
            b.models[t.model_id] = (t.model.summary, t.summary)
    wanted = {
        (t.factor_id, t.study_id, t.quote): t.text
        for t in m.EvidenceTranslation.objects.filter(language=language)
    }
    if wanted:
        # Only translations of a sentence the catalogue still has (an orphan is not shown).
        for factor_id, study_id, key, quote in Evidence.objects.filter(
            factor_id__in={k[0] for k in wanted}
        ).values_list("factor_id", "study_id", "study__key", "quote"):
            text = wanted.get((factor_id, study_id, quote))
            if text:
                b.evidence[(factor_id, key, quote)] = text
    return b


def _text(entry: dict[str, tuple[str, str]] | None, name: str, english: str) -> str:
    """The translation of ``english`` in ``entry``, or ``english`` itself."""
    if entry and name in entry:
        source, translated = entry[name]
        if source == english and translated:
            return translated
    return english


def factor_text(factor_id: int, name: str, english: str, language: str | None = None) -> str:
    b = bundle(language)
    return _text(b.factors.get(factor_id), name, english) if b else english


def evidence_translation(
    factor_id: int, study_key: str, quote: str, language: str | None = None
) -> str:
    """The translation of one of the review's sentences, or "" (show it beside the English)."""
    b = bundle(language)
    return b.evidence.get((factor_id, study_key, quote), "") if b else ""


# --- model objects, in place (display only) ------------------------------------------


def translate_factors(factors: Iterable, language: str | None = None):
    """Set the translated label, description and guidance on Factor objects,
    and ``discussion_quote_translation`` beside the review's sentence."""
    factors = list(factors)
    b = bundle(language)
    for f in factors:
        entry = b.factors.get(f.pk) if b else None
        for name in ("label", "description", "guidance"):
            setattr(f, name, _text(entry, name, getattr(f, name)))
        quote = _text(entry, "discussion_quote", f.discussion_quote)
        f.discussion_quote_translation = quote if quote != f.discussion_quote else ""
    return factors


def translate_evidence(rows: Iterable, language: str | None = None):
    """Set ``translation`` on Evidence objects (their ``study`` loaded)."""
    rows = list(rows)
    b = bundle(language)
    for ev in rows:
        ev.translation = b.evidence.get((ev.factor_id, ev.study.key, ev.quote), "") if b else ""
    return rows


def translate_studies(studies: Iterable, language: str | None = None):
    """Population, nationality and our note, in place. Never on objects used to
    match a client's context (that compares the English)."""
    studies = list(studies)
    b = bundle(language)
    if b:
        for s in studies:
            entry = b.studies.get(s.pk)
            for name in ("population", "nationality", "note"):
                setattr(s, name, _text(entry, name, getattr(s, name)))
    return studies


def translate_models(models: Iterable, language: str | None = None):
    models = list(models)
    b = bundle(language)
    if b:
        for model in models:
            source, translated = b.models.get(model.pk, ("", ""))
            if translated and source == model.summary:
                model.summary = translated
    return models


def translate_labels(
    objects: Iterable, attr: str = "factor_label", id_attr: str = "factor_id", language=None
):
    """Snapshot labels (a finding's, a plan focus's): translated when the
    snapshot still reads as the catalogue's English label."""
    objects = list(objects)
    b = bundle(language)
    if b:
        for obj in objects:
            entry = b.factors.get(getattr(obj, id_attr))
            setattr(obj, attr, _text(entry, "label", getattr(obj, attr)))
    return objects


# --- what results pages show (FactorShown) -------------------------------------------


def _evidence_shown_type():
    from factors.versions import EvidenceShown

    @dataclass(frozen=True)
    class TranslatedEvidence(EvidenceShown):
        translation: str = ""

    return TranslatedEvidence


_TranslatedEvidence = None


def translate_shown(shown: dict[int, Any], language: str | None = None) -> dict[int, Any]:
    """Copies of ``FactorShown`` objects (live or pinned) with the label,
    description and guidance translated and each sentence's ``translation``."""
    global _TranslatedEvidence
    b = bundle(language)
    if not b:
        return shown
    if _TranslatedEvidence is None:
        _TranslatedEvidence = _evidence_shown_type()
    result = {}
    for pk, f in shown.items():
        entry = b.factors.get(f.id)
        result[pk] = dataclasses.replace(
            f,
            label=_text(entry, "label", f.label),
            description=_text(entry, "description", f.description),
            guidance=_text(entry, "guidance", f.guidance),
            evidence=tuple(
                _TranslatedEvidence(
                    ev.study,
                    ev.direction,
                    ev.direction_label,
                    ev.quote,
                    b.evidence.get((f.id, ev.study.key, ev.quote), ""),
                )
                for ev in f.evidence
            ),
        )
    return result


def translate_form(form, language: str | None = None):
    """The assessment form's factor questions: label and help text."""
    b = bundle(language)
    if b:
        for factor in form.factors:
            entry = b.factors.get(factor.pk)
            if not entry:
                continue
            field_ = form.fields.get(form.finding_name(factor))
            if field_ is not None:
                field_.label = _text(entry, "label", factor.label)
                field_.help_text = _text(entry, "description", factor.description)
    return form


# --- the language's review status ----------------------------------------------------


def status(language: str | None = None) -> dict[str, Any] | None:
    """For a non-English page: the language, and whether its interface or its
    catalogue is a draft (no review recorded counts as a draft). Cached."""
    from django.utils.translation import get_language_info

    language = language or active_language()
    if language is None:
        return None
    reviews = cache.get(STATUS_KEY)
    if reviews is None:
        from factors.translations.models import LanguageReview

        reviews = {
            r.language: (r.interface_status, r.catalogue_status)
            for r in LanguageReview.objects.all()
        }
        cache.set(STATUS_KEY, reviews, TIMEOUT)
    interface, catalogue = reviews.get(language, ("draft", "draft"))
    try:
        name = get_language_info(language)["name_translated"]
    except KeyError:
        name = local_name(language)
    return {
        "code": language,
        "name": name,
        "local_name": local_name(language),
        "interface_draft": interface != "reviewed",
        "catalogue_draft": catalogue != "reviewed",
        "show_notice": interface != "reviewed" or catalogue != "reviewed",
    }
