"""Caseworkers record findings; drafts save anything, completing needs every
factor answered; results show the three groups with their evidence."""

import datetime as dt
import re

import pytest
from django.db.models import Q
from django.urls import reverse

from assessments.forms import COMPLETE_MISSING
from assessments.models import Assessment, AuditEvent, Finding
from factors.models import Factor
from tests.conftest import make_assessment, make_client

pytestmark = pytest.mark.django_db


def form_data(assessment, answers=None, **extra):
    """A POST for the assessment form: every factor answered 'absent' unless given."""
    answers = answers or {}
    data = {
        "date": "2025-04-01",
        "stage": "preparation",
        "notes": "",
        "version": assessment.version,
    }
    for factor in Factor.objects.active():
        data[f"finding_{factor.pk}"] = answers.get(factor.slug, "absent")
        data[f"note_{factor.pk}"] = ""
    data.update(extra)
    return data


@pytest.fixture
def draft(client_record, caseworker):
    return Assessment.objects.create(client=client_record, caseworker=caseworker)


def test_starting_an_assessment_creates_a_draft_and_opens_the_form(
    login, caseworker, client_record
):
    response = login(caseworker).post(reverse("assessments:start", args=[client_record.pk]))
    assessment = Assessment.objects.get()
    assert response.url == reverse("assessments:edit", args=[assessment.pk])
    assert assessment.status == "draft" and assessment.caseworker == caseworker


def test_the_form_is_grouped_by_level_and_shows_each_factors_description(login, caseworker, draft):
    html = login(caseworker).get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert html.index("Individual level") < html.index("Relational level")
    assert html.index("Relational level") < html.index("Structural level")
    factor = Factor.objects.first()
    assert factor.description[:40].replace("'", "&#x27;") in html


def test_a_draft_saves_with_factors_unanswered(login, caseworker, draft):
    first = Factor.objects.first()
    data = form_data(draft, draft="Save draft")
    for factor in Factor.objects.exclude(pk=first.pk):
        data[f"finding_{factor.pk}"] = ""
    data[f"finding_{first.pk}"] = "present"
    data[f"note_{first.pk}"] = "Talked about this."
    response = login(caseworker).post(reverse("assessments:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.version == 2 and draft.stage == "preparation"
    saved = Finding.objects.get(assessment=draft, factor=first)
    assert (saved.status, saved.note) == ("present", "Talked about this.")
    assert Finding.objects.filter(assessment=draft, status="").count() == Factor.objects.count() - 1


def test_completing_with_an_unanswered_factor_comes_back_with_everything_entered(
    login, caseworker, draft
):
    factors = list(Factor.objects.all())
    data = form_data(draft, complete="Complete assessment", notes="Overall we talked a lot.")
    data[f"finding_{factors[0].pk}"] = "present"
    data[f"note_{factors[0].pk}"] = "A note to keep"
    data[f"finding_{factors[1].pk}"] = ""
    response = login(caseworker).post(reverse("assessments:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Answer this factor before completing" in html
    assert response.context["form"].errors[f"finding_{factors[1].pk}"] == [COMPLETE_MISSING]
    assert "A note to keep" in html and "Overall we talked a lot." in html
    assert re.search(rf'name="finding_{factors[0].pk}"[^>]*value="present" checked', html)
    assert response.context["form"].data[f"finding_{factors[0].pk}"] == "present"
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.version == 1  # nothing written
    assert not Finding.objects.filter(assessment=draft).exists()


def test_not_assessed_counts_as_an_answer_for_completing(login, caseworker, draft):
    data = form_data(draft, complete="Complete assessment")
    for key in list(data):
        if key.startswith("finding_"):
            data[key] = "not_assessed"
    response = login(caseworker).post(reverse("assessments:edit", args=[draft.pk]), data)
    assert response.url == reverse("assessments:results", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "completed" and draft.completed_at is not None
    assert AuditEvent.objects.filter(action="complete", object_id=draft.pk).exists()


def test_results_show_each_section_with_study_references(login, caseworker, client_record):
    actionable = Factor.objects.filter(action="actionable")
    facilitating = actionable.filter(role="facilitating").first()
    hindering = actionable.filter(role="hindering").first()
    ambivalent = actionable.filter(role="ambivalent").first()
    assessment = make_assessment(
        client_record, present={facilitating.slug, hindering.slug, ambivalent.slug}
    )
    response = login(caseworker).get(reverse("assessments:results", args=[assessment.pk]))
    sections = {key: items for key, _, _, items in response.context["results"].sections}
    assert {r.finding.factor for r in sections["limit"]} == {hindering}
    assert {r.finding.factor for r in sections["watch"]} == {ambivalent}
    assert {r.finding.factor for r in sections["sustain"]} == {facilitating}
    assert {r.finding.factor for r in sections["build"]} == set(
        actionable.filter(role="facilitating").exclude(pk=facilitating.pk)
    )
    html = response.content.decode()
    study = hindering.evidence.first().study
    assert study.get_absolute_url() in html and str(study.year) in html


def test_a_completed_assessment_keeps_the_label_and_role_it_was_made_with(
    login, caseworker, client_record
):
    factor = Factor.objects.filter(role="hindering", action="actionable").first()
    assessment = make_assessment(client_record, present={factor.slug})
    original = factor.label
    factor.label, factor.role, factor.retired = "Renamed later", "facilitating", True
    factor.save()
    response = login(caseworker).get(reverse("assessments:results", args=[assessment.pk]))
    sections = {key: items for key, _, _, items in response.context["results"].sections}
    assert [r.finding.factor_label for r in sections["limit"]] == [original]
    assert "Renamed later" not in response.content.decode()


def test_retired_factors_are_not_offered_in_new_assessments(login, caseworker, draft):
    factor = Factor.objects.first()
    factor.retired = True
    factor.save()
    response = login(caseworker).get(reverse("assessments:edit", args=[draft.pk]))
    assert f"finding_{factor.pk}" not in response.context["form"].fields


def test_evidence_from_a_similar_context_is_flagged(login, caseworker, north):
    client = make_client(north, caseworker, reference="CTX-1", route="national")
    factor = Factor.objects.filter(role="hindering").first()
    study = factor.evidence.first().study
    study.route = "national"
    study.save()
    assessment = make_assessment(client, present={factor.slug})
    response = login(caseworker).get(reverse("assessments:results", args=[assessment.pk]))
    html = response.content.decode()
    # Every reference to that study on the page is flagged: this factor (Limit)
    # and the facilitating factors it supports (all in Strengthen).
    shown = study.evidence.filter(Q(factor=factor) | Q(factor__role="facilitating"))
    assert html.count("similar context: route") == shown.count() > 0
    client.route = ""
    client.save()
    response = login(caseworker).get(reverse("assessments:results", args=[assessment.pk]))
    assert "similar context" not in response.content.decode()


def test_the_client_page_shows_what_changed_between_the_two_latest_completed(
    login, caseworker, client_record
):
    a, b, c = Factor.objects.all()[:3]
    make_assessment(client_record, present={a.slug}, date=dt.date(2024, 1, 1), stage="action")
    make_assessment(
        client_record, present={a.slug, b.slug}, date=dt.date(2024, 6, 1), stage="action"
    )
    make_assessment(
        client_record, present={b.slug, c.slug}, date=dt.date(2025, 1, 1), stage="contemplation"
    )
    make_assessment(client_record, present={a.slug}, completed=False, date=dt.date(2025, 2, 1))
    response = login(caseworker).get(reverse("assessments:client", args=[client_record.pk]))
    progress = response.context["progress"]
    assert [f.factor for f in progress.now_present] == [c]
    assert [f.factor for f in progress.no_longer_present] == [a]
    assert progress.stage_direction == -1
    assert "moved back" in response.content.decode()


def test_results_page_runs_a_fixed_number_of_queries_whatever_the_factors(
    login, caseworker, client_record, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(caseworker)
    client.get(reverse("assessments:clients"))  # the first request renews the session

    def count(assessment):
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(reverse("assessments:results", args=[assessment.pk])).status_code == 200
            )
        return len(ctx)

    small = count(make_assessment(client_record, present={f.slug for f in Factor.objects.all()}))
    study = Factor.objects.first().evidence.first().study
    for i in range(15):
        factor = Factor.objects.create(
            slug=f"x{i}", label=f"X{i}", level="structural", role="hindering", description="d"
        )
        factor.evidence.create(study=study, quote="q")
    large = count(make_assessment(client_record, present={f.slug for f in Factor.objects.all()}))
    assert small == large


def test_client_list_runs_a_fixed_number_of_queries_whatever_the_clients(login, caseworker, north):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(caseworker)
    client.get(reverse("assessments:clients"))  # the first request renews the session

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("assessments:clients")).status_code == 200
        return len(ctx)

    make_assessment(make_client(north, caseworker))
    few = count()
    for _ in range(40):
        make_assessment(make_client(north, caseworker), date=dt.date(2025, 1, 5))
    assert count() == few


def test_the_quarter_follows_the_date_on_every_save(client_record, caseworker):
    assessment = Assessment.objects.create(
        client=client_record, caseworker=caseworker, date=dt.date(2025, 5, 17)
    )
    assert assessment.quarter == dt.date(2025, 4, 1)
    assessment.date = dt.date(2025, 12, 31)
    assessment.save_checked(assessment.version, ["date"])
    assessment.refresh_from_db()
    assert assessment.quarter == dt.date(2025, 10, 1)
    assessment.date = dt.date(2026, 1, 1)
    assessment.save(update_fields=["date"])
    assessment.refresh_from_db()
    assert assessment.quarter == dt.date(2026, 1, 1)


def test_a_factor_retired_before_it_was_answered_leaves_open_drafts(login, caseworker, draft):
    client = login(caseworker)
    data = form_data(draft, draft="Save draft")
    factor = Factor.objects.first()
    data[f"finding_{factor.pk}"] = ""
    client.post(reverse("assessments:edit", args=[draft.pk]), data)
    factor.retired = True
    factor.save()
    response = client.get(reverse("assessments:edit", args=[draft.pk]))
    assert f"finding_{factor.pk}" not in response.context["form"].fields
