"""The assessment form guides: an error summary linking to each problem, levels
as headings with a jump list, progress, roles in words, one draft per client,
completed stays completed, dates that make sense, notes kept on any finding."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse

from assessments.forms import CONSENT_IN_FUTURE, DATE_IN_FUTURE
from assessments.models import Assessment, Finding
from factors.models import Factor
from tests.conftest import make_assessment, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client_record, caseworker):
    return Assessment.objects.create(client=client_record, caseworker=caseworker)


def post(assessment, answered: int, **extra) -> dict:
    data = {"date": "2025-04-01", "version": assessment.version}
    for factor in list(Factor.objects.active())[:answered]:
        data[f"finding_{factor.pk}"] = "absent"
    data.update(extra)
    return data


def test_completing_with_gaps_shows_a_summary_linking_to_each_unanswered_factor(
    login, caseworker, draft
):
    total = Factor.objects.active().count()
    response = login(caseworker).post(
        reverse("assessments:edit", args=[draft.pk]), post(draft, 29, complete="1")
    )
    html = response.content.decode()
    assert 'id="error-summary" tabindex="-1" role="alert"' in html
    assert "data-focus-on-load" in html
    assert f"{total - 29} factors not answered yet" in html
    for factor in list(Factor.objects.active())[29:]:
        assert f'href="#id_finding_{factor.pk}_0"' in html
        assert f'aria-describedby="id_finding_{factor.pk}_error ' in html
        assert f'id="id_finding_{factor.pk}_error"' in html


def test_the_summary_lists_problems_in_the_order_of_the_page(login, caseworker, draft):
    response = login(caseworker).post(
        reverse("assessments:edit", args=[draft.pk]),
        post(draft, 0, complete="1", date="2999-01-01"),
    )
    html = response.content.decode()
    first_factor = Factor.objects.active().first()
    assert html.index('href="#id_date"') < html.index(f'href="#id_finding_{first_factor.pk}_0"')
    assert DATE_IN_FUTURE in html


def test_levels_are_headings_with_a_jump_list_and_progress_counts_answers(login, caseworker, draft):
    first = Factor.objects.active().first()
    Finding.objects.create(
        assessment=draft,
        factor=first,
        status="present",
        factor_label=first.label,
        factor_level=first.level,
        factor_role=first.role,
    )
    html = login(caseworker).get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    for level in ("individual", "relational", "structural"):
        assert f'<h2 class="h4 level-heading" id="level-{level}"' in html
        assert f'href="#level-{level}"' in html
    total = Factor.objects.active().count()
    assert f"<span data-progress-answered>1</span> of {total} answered" in html


def test_each_factor_says_its_role_in_words(login, caseworker, draft):
    html = login(caseworker).get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    for role in ("facilitating", "hindering", "ambivalent"):
        assert f'<span class="factor-role">({role})</span>' in html


def test_the_note_limit_is_stated_before_it_is_reached(login, caseworker, draft):
    html = login(caseworker).get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert "Notes: up to 4,000 characters each" in html
    assert 'maxlength="4000"' in html


def test_a_client_has_one_draft_at_a_time(login, caseworker, client_record, draft):
    response = login(caseworker).post(reverse("assessments:start", args=[client_record.pk]))
    assert response.url == reverse("assessments:edit", args=[draft.pk])
    assert Assessment.objects.filter(client=client_record).count() == 1
    with pytest.raises(IntegrityError):
        Assessment.objects.create(client=client_record, caseworker=caseworker)


def test_save_draft_on_a_completed_assessment_keeps_it_completed(login, caseworker, client_record):
    completed = make_assessment(client_record, caseworker)
    data = post(completed, Factor.objects.active().count(), draft="1")
    response = login(caseworker).post(reverse("assessments:edit", args=[completed.pk]), data)
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.status == "completed" and completed.completed_at is not None


def test_the_form_of_a_completed_assessment_offers_no_save_draft(login, caseworker, client_record):
    completed = make_assessment(client_record, caseworker)
    html = login(caseworker).get(reverse("assessments:edit", args=[completed.pk])).content.decode()
    assert "Save draft" not in html and "Save changes" in html


def test_a_supervisor_reopens_only_with_a_reason(login, supervisor, caseworker, client_record):
    completed = make_assessment(client_record, caseworker)
    url = reverse("assessments:reopen", args=[completed.pk])
    http = login(supervisor)
    page = http.post(url)
    assert "Why does this assessment need correcting?" in page.content.decode()
    http.post(url, {"reason": "   "})
    completed.refresh_from_db()
    assert completed.status == "completed"
    page = http.post(url, {"reason": "She called from 07700 900123"})
    assert "a reason needs no identifying details" in page.content.decode()
    http.post(url, {"reason": "The date was wrong"})
    completed.refresh_from_db()
    assert completed.status == "draft" and completed.reopen_reason == "The date was wrong"


def test_reopening_is_refused_while_the_client_has_another_draft(
    login, supervisor, caseworker, client_record, draft
):
    completed = make_assessment(client_record, caseworker)
    login(supervisor).post(reverse("assessments:reopen", args=[completed.pk]), {"reason": "x"})
    completed.refresh_from_db()
    assert completed.status == "completed"


@pytest.mark.parametrize("status", ["present", "absent", "not_assessed", ""])
def test_a_note_is_kept_whatever_the_answer(login, caseworker, draft, status):
    factor = Factor.objects.active().first()
    data = post(draft, 0, draft="1")
    data[f"finding_{factor.pk}"] = status
    data[f"note_{factor.pk}"] = "Worth remembering"
    login(caseworker).post(reverse("assessments:edit", args=[draft.pk]), data)
    assert Finding.objects.get(assessment=draft, factor=factor).note == "Worth remembering"


def test_an_assessment_cannot_be_dated_before_data_consent(login, caseworker, draft):
    response = login(caseworker).post(
        reverse("assessments:edit", args=[draft.pk]), post(draft, 0, date="2023-12-31", draft="1")
    )
    assert "before the person agreed to have their data recorded (10 Jan 2024)" in (
        response.content.decode()
    )


def test_a_consent_date_cannot_be_in_the_future(login, caseworker, north):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    data = {
        "reference": "N-0500",
        "team": north.pk,
        "data_consent_on": tomorrow.isoformat(),
        "data_consent_method": "written",
        "stats_consent_on": tomorrow.isoformat(),
    }
    html = login(caseworker).post(reverse("assessments:client_new"), data).content.decode()
    assert html.count(CONSENT_IN_FUTURE) == 2


def test_consent_cannot_be_moved_after_an_existing_assessment(login, caseworker, north):
    client = make_client(north, caseworker, reference="N-0600")
    make_assessment(client, caseworker, date=dt.date(2025, 3, 1))
    data = {
        "reference": "N-0600",
        "data_consent_on": "2025-06-01",
        "data_consent_method": "written",
    }
    response = login(caseworker).post(reverse("assessments:client_edit", args=[client.pk]), data)
    assert "consent cannot be later than that" in response.content.decode()
