"""The results page's articles written in Python (assessments/rendering/results_rows.py)
are the HTML the former template wrote, for a completed assessment (the
catalogue's part from the cached fragments) and a draft (from its template),
with notes and context factors, in English and in Spanish; and the pinned
catalogue worked out once per version and language (factors/versions.py) is
the snapshot's, in the page's language, and a new version is read afresh."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from assessments.models import Finding
from factors.models import Action, Factor
from factors.translations import services
from factors.versions import _read_pinned, pinned_factors, record_version, version_to_pin
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db

# The article template the Python articles replaced, as it was (with its role badge).
FORMER_ITEM = """{% load i18n %}<article class="rec-item" id="f-{{ rec.finding.factor_id }}" data-factor="{{ rec.factor.slug|default:rec.finding.factor_id }}">
  <h3 class="h6 mb-1">{{ rec.finding.factor_label }}
    <span class="badge text-bg-light border">{{ rec.finding.get_status_display|lower }}</span>
  </h3>
  <p class="small mb-1"><span class="badge text-bg-light border">{% blocktranslate trimmed with level=rec.finding.get_factor_level_display %}{{ level }} level{% endblocktranslate %}</span> <span class="badge role-badge-{{ rec.finding.factor_role }}">{{ rec.finding.get_factor_role_display }}</span>
{% if rec.factor %} <span class="text-muted">{% translate "In short (ExitSupport's words):" %} {{ rec.factor.description }}</span>{% endif %}</p>
  {% if rec.reading %}<p class="mb-1 rec-reading">{{ rec.reading }}</p>{% endif %}
  {% if rec.finding.note %}<p class="mb-1 rec-note"><strong>{% translate "Note:" %}</strong> {{ rec.finding.note }}</p>{% endif %}
  {% if rec.more_html %}{{ rec.more_html }}{% elif rec.factor %}{% include "assessments/includes/recommendation_more.html" with brief=True %}{% endif %}
</article>
"""  # noqa: E501

NOTE = 'Said <b>so</b> & "more"'


@pytest.fixture(autouse=True)
def fresh_cache():
    services.forget()
    yield
    services.forget()


@pytest.fixture
def assessments(client_record):
    """A completed assessment pinned to a version, and a draft, each with notes
    and a context factor answered."""
    factors = list(Factor.objects.active())
    context = Factor.objects.filter(action=Action.CONTEXT).first()
    present = [factors[0].slug, factors[5].slug] + ([context.slug] if context else [])
    made = []
    for completed in (True, False):
        assessment = make_assessment(client_record, present=present, completed=completed)
        assessment.findings.filter(factor__in=factors[:6]).update(note=NOTE)
        if completed:
            assessment.catalogue_version = version_to_pin()
            assessment.save(update_fields=["catalogue_version"])
        made.append(assessment)
    return made


def former_item(rec) -> str:
    return (
        engines["django"]
        .from_string(FORMER_ITEM)
        .render({"rec": rec, "translation_status": services.status()})
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_article_is_the_former_templates_html(login, caseworker, assessments, language):
    http = login(caseworker)
    for assessment in assessments:
        response = http.get(
            reverse("assessments:results", args=[assessment.pk]), HTTP_ACCEPT_LANGUAGE=language
        )
        html = response.content.decode()
        results = response.context["results"]
        recs = [*(rec for *_, items in results.sections for rec in items), *results.other_notes]
        assert recs and any(rec.finding.note for rec in recs) and any(rec.reading for rec in recs)
        with translation.override(language):
            for rec in recs:
                assert str(rec.html) == former_item(rec)
                assert str(rec.html) in html
        assert "Said &lt;b&gt;so&lt;/b&gt; &amp; &quot;more&quot;" in html


def test_the_pinned_catalogue_is_the_snapshots_in_each_language(assessments):
    completed = assessments[0]
    version = completed.catalogue_version
    for language in ("en", "es", "en"):
        with translation.override(language):
            assert pinned_factors(version) == _read_pinned(version)
    with translation.override("en"):
        english = pinned_factors(version)
    with translation.override("es"):
        spanish = pinned_factors(version)
    assert any(
        english[pk].action_label != spanish[pk].action_label for pk in english
    )  # the labels recorded in English, shown in the page's language


def test_a_new_version_is_read_afresh_and_a_copy_is_handed_out(assessments):
    version = assessments[0].catalogue_version
    shown = pinned_factors(version)
    shown.clear()  # a caller's change stays with the caller
    assert pinned_factors(version)
    factor = Factor.objects.active().first()
    factor.label = "Relabelled after the first version"
    factor.save()
    newer = record_version(user=None, reason="test: a relabelled factor")
    assert newer.pk != version.pk
    assert pinned_factors(newer)[factor.pk].label == "Relabelled after the first version"
    assert pinned_factors(version)[factor.pk].label != "Relabelled after the first version"


def test_no_client_data_is_kept_with_the_pinned_catalogue(assessments):
    from factors import versions

    pinned_factors(assessments[0].catalogue_version)
    kept = repr(versions._PINNED)
    assert NOTE not in kept and "N-0001" not in kept
    assert not any(isinstance(value, Finding) for value in versions._PINNED.values())
