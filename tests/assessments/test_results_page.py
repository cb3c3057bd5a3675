"""The results page: summary first, context and caution factors in their own
sections, the two voices apart, every note shown, the pinned catalogue version
for a completed assessment, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.models import Finding
from factors.models import Action, CatalogueVersion, Evidence, Factor
from factors.versions import record_version, version_to_pin
from tests.conftest import make_assessment


def pinned(assessment):
    """A completed assessment pinned to the current catalogue, as completing does."""
    assessment.catalogue_version = version_to_pin()
    assessment.save(update_fields=["catalogue_version"])
    return assessment


def results(http, assessment, **params):
    return http.get(reverse("assessments:results", args=[assessment.pk]), params)


def sections(response):
    return {
        key: [r.finding.factor_label for r in items]
        for key, _, _, items in response.context["results"].sections
    }


@pytest.fixture
def all_absent(client_record):
    return pinned(make_assessment(client_record))


def test_a_completed_all_absent_assessment_builds_only_actionable_factors(
    login, caseworker, all_absent
):
    response = results(login(caseworker), all_absent)
    placed = sections(response)
    actionable = Factor.objects.filter(role="facilitating", action=Action.ACTIONABLE)
    assert sorted(placed["build"]) == sorted(f.label for f in actionable)
    not_actionable = Factor.objects.exclude(action=Action.ACTIONABLE)
    assert not_actionable.exists()
    assert not {f.label for f in not_actionable} & set(placed["build"])
    assert sorted(placed["context"]) == sorted(
        f.label for f in Factor.objects.filter(action=Action.CONTEXT)
    )
    assert placed["caution"] == []  # absent caution factors are not listed at all


def test_a_caution_factor_present_is_noted_never_sustained(login, caseworker, client_record):
    caution = Factor.objects.filter(action=Action.CAUTION, role="facilitating").first()
    assessment = pinned(make_assessment(client_record, present={caution.slug}))
    placed = sections(results(login(caseworker), assessment))
    assert placed["caution"] == [caution.label]
    assert caution.label not in placed["sustain"]


def test_the_summary_comes_first_with_one_line_per_section(login, caseworker, all_absent):
    html = results(login(caseworker), all_absent).content.decode()
    summary = html.index('id="h-summary"')
    assert summary < html.index('id="group-sustain"')
    for key in ("sustain", "build", "limit", "watch", "context"):
        assert f'data-section="{key}"' in html[summary : html.index('id="group-sustain"')]


def test_evidence_and_guidance_open_per_item_and_keep_the_two_voices_apart(
    login, caseworker, client_record, catalogue_admin
):
    factor = Factor.objects.filter(action=Action.ACTIONABLE, role="hindering").first()
    factor.guidance_updated_by = catalogue_admin
    factor.guidance_updated_at = timezone.make_aware(dt.datetime(2026, 5, 4, 10))
    factor.save()
    assessment = pinned(make_assessment(client_record, present={factor.slug}))
    html = results(login(caseworker), assessment).content.decode()
    item = html[html.index(f'data-factor="{factor.slug}"') :]
    item = item[: item.index("</article>")]
    assert '<details class="rec-more">' in item
    review, guidance = item.index("From the review"), item.index("Practice guidance")
    assert "written by ExitSupport, not by the review" in item[guidance:]
    assert factor.guidance[:40] in item[guidance:] and factor.guidance[:40] not in item[:guidance]
    assert "Last changed by cat_admin on 4 May 2026" in item[guidance:]
    assert factor.evidence.first().quote[:40] in item[review:guidance]


def test_the_factors_summary_is_labelled_as_exitsupports_words(login, caseworker, all_absent):
    html = results(login(caseworker), all_absent).content.decode()
    factor = Factor.objects.filter(action=Action.ACTIONABLE, role="facilitating").first()
    item = html[html.index(f'data-factor="{factor.slug}"') :]
    item = item[: item.index("</article>")]
    summary = escape(factor.description)
    assert f"In short (ExitSupport's words): {summary}" in item
    assert "the studies' sentences" not in html and "Ferrari (2021), quoted verbatim" in html


def test_every_direction_is_shown_with_its_own_label(login, caseworker, client_record):
    factor = Factor.objects.filter(action=Action.ACTIONABLE, role="hindering").first()
    evidence = factor.evidence.first()
    Evidence.objects.filter(pk=evidence.pk).update(direction="counter")
    assessment = make_assessment(client_record, present={factor.slug}, completed=False)
    html = results(login(caseworker), assessment).content.decode()
    label = escape(Evidence.Direction("counter").label)
    assert f'direction-counter">{label}</span>' in html


def test_a_note_is_shown_on_every_finding_that_has_one(login, caseworker, client_record):
    hindering = Factor.objects.filter(role="hindering").first()
    skipped = Factor.objects.filter(role="facilitating").first()
    assessment = pinned(make_assessment(client_record, absent={hindering.slug}))
    Finding.objects.filter(assessment=assessment, factor=hindering).update(note="Absent note")
    Finding.objects.filter(assessment=assessment, factor=skipped).update(note="Skipped note")
    html = results(login(caseworker), assessment).content.decode()
    assert "Absent note" in html and "Skipped note" in html
    assert html.index("Absent note") > html.index('id="group-other-notes"')
    assert html.index("Skipped note") > html.index('id="group-not-assessed"')


def test_the_evidence_appendix_is_added_on_request_and_a_bad_value_is_refused(
    login, caseworker, all_absent
):
    http = login(caseworker)
    quote = Factor.objects.filter(action=Action.ACTIONABLE, role="facilitating")[0]
    quote = escape(quote.evidence.first().quote)
    plain = results(http, all_absent).content.decode()
    assert 'id="appendix"' not in plain
    with_appendix = results(http, all_absent, appendix="1").content.decode()
    assert with_appendix.count(quote) == 2 * plain.count(quote) > 0
    assert results(http, all_absent, appendix="yes").status_code == 400


def test_a_catalogue_edit_after_completion_leaves_the_results_unchanged(
    login, caseworker, client_record, catalogue_admin
):
    factor = Factor.objects.filter(action=Action.ACTIONABLE, role="hindering").first()
    assessment = pinned(make_assessment(client_record, present={factor.slug}))
    http = login(caseworker)
    before = results(http, assessment)
    assert "has changed since" not in before.content.decode()
    old_guidance, old_quote = factor.guidance, factor.evidence.first().quote

    factor.guidance, factor.action = "New guidance written later.", Action.CONTEXT
    factor.save()
    factor.evidence.update(quote="A sentence edited later.")
    record_version(user=catalogue_admin, reason="Rewrote the guidance")

    after = results(http, assessment)
    html = after.content.decode()
    assert sections(after)["limit"] == sections(before)["limit"] == [factor.label]
    assert old_guidance[:40] in html and "New guidance written later." not in html
    assert old_quote[:40] in html and "A sentence edited later." not in html
    version = assessment.catalogue_version.number
    assert "The catalogue has changed since" in html
    assert f"{reverse('factors:versions')}?since={version}" in html
    # A draft reads the live catalogue.
    draft = make_assessment(client_record, present={factor.slug}, completed=False)
    draft_page = results(http, draft)
    assert "New guidance written later." in draft_page.content.decode()
    assert factor.label in sections(draft_page)["context"]


def test_the_clients_export_shows_the_pinned_version(login, supervisor, caseworker, client_record):
    factor = Factor.objects.filter(action=Action.ACTIONABLE, role="hindering").first()
    assessment = pinned(make_assessment(client_record, present={factor.slug}))
    old_guidance = factor.guidance
    factor.guidance = "Changed after completion."
    factor.save()
    record_version(user=None, reason="Changed")
    response = login(supervisor).post(reverse("assessments:client_export", args=[client_record.pk]))
    (exported,) = json.loads(response.content)["assessments"]
    assert exported["catalogue_version"] == assessment.catalogue_version.number
    finding = next(f for f in exported["findings"] if f["factor"] == factor.label)
    assert finding["practice_guidance"]["text"] == old_guidance
    assert finding["practice_guidance"]["written_by"] == "ExitSupport (not the review)"
    assert finding["summary"] == {
        "written_by": "ExitSupport (not the review)",
        "text": factor.description,
    }
    assert finding["review_evidence"][0]["quote"] == factor.evidence.first().quote


def count_queries(http, assessment) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert results(http, assessment).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("completed", [True, False])
def test_the_results_page_runs_the_same_queries_whatever_the_number_of_findings(
    login, caseworker, client_record, completed
):
    http = login(caseworker)
    http.get(reverse("assessments:clients"))  # the first request renews the session
    all_factors = {f.slug for f in Factor.objects.all()}

    def assessment():
        made = make_assessment(client_record, present=all_factors, completed=completed)
        return pinned(made) if completed else made

    first = assessment()
    small = count_queries(http, first)
    if not completed:
        first.delete()  # one draft per client at a time
    study = Factor.objects.first().evidence.first().study
    for i in range(15):
        factor = Factor.objects.create(
            slug=f"x{i}", label=f"X{i}", level="structural", role="hindering", description="d"
        )
        factor.evidence.create(study=study, quote="q")
    all_factors = {f.slug for f in Factor.objects.all()}
    large = count_queries(http, assessment())
    assert small == large
    assert CatalogueVersion.objects.count() == (2 if completed else 1)


def test_reopening_unpins_the_assessment(client_record):
    assessment = pinned(make_assessment(client_record))
    assessment.reopen("A correction")
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.catalogue_version is None


def test_completing_pins_a_version_that_matches_the_live_catalogue(client_record, caseworker):
    from assessments.models import Assessment
    from assessments.services import factors_for, save_assessment
    from factors.versions import UNRECORDED_CHANGE

    factor = Factor.objects.first()
    factor.guidance = "Changed in a shell, outside the admin."
    factor.save()
    assessment = Assessment.objects.create(client=client_record, caseworker=caseworker)
    factors = factors_for(assessment)
    save_assessment(
        assessment,
        expected_version=assessment.version,
        date=dt.date(2026, 1, 5),
        stage="",
        notes="",
        answers={f.pk: ("absent", "") for f in factors},
        factors=factors,
        complete=True,
    )
    version = Assessment.objects.get(pk=assessment.pk).catalogue_version
    assert version == CatalogueVersion.objects.latest() and version.reason == UNRECORDED_CHANGE
    shown = next(f for f in version.snapshot["factors"] if f["slug"] == factor.slug)
    assert shown["guidance"] == "Changed in a shell, outside the admin."
