"""The second assessment is a review: it starts from the previous completed one,
every answer carried over and marked until the caseworker confirms or changes it."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.forms import CARRIED_UNCONFIRMED
from assessments.models import Assessment, Finding
from factors.models import Factor
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def previous(client_record, caseworker):
    hindering = Factor.objects.filter(role="hindering").first()
    earlier = make_assessment(client_record, caseworker, present={hindering.slug})
    Finding.objects.filter(assessment=earlier, factor=hindering).update(note="Debt to the madam")
    return earlier


def start(http, client_record) -> Assessment:
    http.post(reverse("assessments:start", args=[client_record.pk]))
    return Assessment.objects.get(client=client_record, status="draft")


def complete_post(assessment, **extra) -> dict:
    data = {"date": dt.date.today().isoformat(), "version": assessment.version, "complete": "1"}
    for finding in assessment.findings.all():
        data[f"finding_{finding.factor_id}"] = finding.status
        data[f"note_{finding.factor_id}"] = finding.note
    data.update(extra)
    return data


def test_a_new_assessment_starts_from_every_answer_and_note_of_the_previous_one(
    login, caseworker, client_record, previous
):
    draft = start(login(caseworker), client_record)
    assert draft.carried_from == previous
    before = {f.factor_id: (f.status, f.note) for f in previous.findings.all()}
    after = {f.factor_id: (f.status, f.note) for f in draft.findings.all()}
    assert after == before
    assert all(f.carried_over for f in draft.findings.all())


def test_carried_over_answers_are_marked_confirm_or_change(
    login, caseworker, client_record, previous
):
    http = login(caseworker)
    draft = start(http, client_record)
    html = http.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    count = Factor.objects.active().count()
    assert html.count("Carried over — confirm or change.") == count
    assert html.count("Still right: confirmed") == count


def test_completing_needs_each_carried_over_answer_confirmed_or_changed(
    login, caseworker, client_record, previous
):
    http = login(caseworker)
    draft = start(http, client_record)
    url = reverse("assessments:edit", args=[draft.pk])
    response = http.post(url, complete_post(draft))
    assert response.status_code == 200
    count = Factor.objects.active().count()
    html = response.content.decode()
    assert f"{count} answers carried over from the last assessment not yet confirmed" in html
    assert html.count(CARRIED_UNCONFIRMED.split(":")[0]) >= count
    factors = list(Factor.objects.active())
    data = complete_post(draft)
    changed = f"finding_{factors[0].pk}"
    data[changed] = "not_assessed" if data[changed] != "not_assessed" else "absent"
    for factor in factors[1:]:
        data[f"confirm_{factor.pk}"] = "on"
    assert http.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "completed"
    assert not draft.findings.filter(carried_over=True).exists()


def test_a_draft_keeps_the_marks_of_answers_not_yet_confirmed(
    login, caseworker, client_record, previous
):
    http = login(caseworker)
    draft = start(http, client_record)
    first = Factor.objects.active().first()
    data = complete_post(draft)
    del data["complete"]
    data["draft"] = "1"
    data[f"confirm_{first.pk}"] = "on"
    http.post(reverse("assessments:edit", args=[draft.pk]), data)
    carried = set(draft.findings.filter(carried_over=True).values_list("factor_id", flat=True))
    assert first.pk not in carried
    assert len(carried) == Factor.objects.active().count() - 1


def test_a_first_assessment_starts_empty(login, caseworker, client_record):
    draft = start(login(caseworker), client_record)
    assert draft.carried_from is None and not draft.findings.exists()


def test_retired_factors_are_not_carried_over(login, caseworker, client_record, previous):
    retired = Factor.objects.active().first()
    Factor.objects.filter(pk=retired.pk).update(retired=True)
    draft = start(login(caseworker), client_record)
    assert not draft.findings.filter(factor=retired).exists()
