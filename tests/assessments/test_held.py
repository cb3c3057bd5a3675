"""A form sent after the session ended is kept for its author, server side,
and shown again after signing in; then it is gone."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.held import HELD_MESSAGE, RESTORED_MESSAGE
from assessments.models import Assessment, HeldSubmission
from factors.models import Factor
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client_record, caseworker):
    return Assessment.objects.create(client=client_record, caseworker=caseworker)


def answers(draft) -> dict:
    first = Factor.objects.first()
    return {
        "date": "2025-04-01",
        "version": draft.version,
        f"finding_{first.pk}": "present",
        f"note_{first.pk}": "Typed before the session ended",
        "draft": "1",
    }


def expire_sessions() -> None:
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))


def test_a_draft_saved_after_the_idle_limit_is_held_and_restored_after_signing_in(
    client, caseworker, draft
):
    client.force_login(caseworker)
    url = reverse("assessments:edit", args=[draft.pk])
    expire_sessions()
    response = client.post(url, answers(draft), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    assert HELD_MESSAGE in response.content.decode()
    held = HeldSubmission.objects.get()
    assert held.user == caseworker and held.assessment == draft
    assert "csrfmiddlewaretoken" not in held.data
    assert "Typed before" not in client.cookies.get(settings.SESSION_COOKIE_NAME).value

    response = client.post(
        reverse("login") + f"?next={url}",
        {"username": caseworker.username, "password": PASSWORD, "next": url},
        follow=True,
    )
    html = response.content.decode()
    assert RESTORED_MESSAGE in html
    assert "Typed before the session ended" in html
    first = Factor.objects.first()
    assert f'name="finding_{first.pk}" id="id_finding_{first.pk}_0" value="present" checked' in html
    assert not HeldSubmission.objects.exists()  # purged once restored
    draft.refresh_from_db()
    assert draft.version == 1  # shown, not saved behind the caseworker's back


def test_a_held_form_is_shown_only_to_its_author(client, caseworker, teammate, draft):
    client.force_login(caseworker)
    expire_sessions()
    client.post(reverse("assessments:edit", args=[draft.pk]), answers(draft))
    client.force_login(teammate)
    html = client.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert "Typed before the session ended" not in html
    assert HeldSubmission.objects.filter(user=caseworker).exists()


def test_a_held_form_is_deleted_after_its_time(client, caseworker, draft, settings):
    client.force_login(caseworker)
    expire_sessions()
    client.post(reverse("assessments:edit", args=[draft.pk]), answers(draft))
    HeldSubmission.objects.update(
        created_at=timezone.now() - dt.timedelta(seconds=settings.HELD_SUBMISSION_SECONDS + 1)
    )
    client.force_login(caseworker)
    html = client.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert "Typed before the session ended" not in html
    assert not HeldSubmission.objects.exists()


def test_nothing_is_held_after_signing_out_on_purpose(client, caseworker, draft):
    client.force_login(caseworker)
    client.post(reverse("logout"))
    client.post(reverse("assessments:edit", args=[draft.pk]), answers(draft))
    assert not HeldSubmission.objects.exists()


def test_a_form_sent_past_the_absolute_lifetime_is_held_too(client, caseworker, draft, settings):
    client.force_login(caseworker)
    session = client.session
    session["_signed_in_at"] -= settings.SESSION_ABSOLUTE_SECONDS + 1
    session.save()
    client.post(reverse("assessments:edit", args=[draft.pk]), answers(draft))
    assert HeldSubmission.objects.get().user == caseworker


def test_an_autosave_after_the_session_ended_is_held_and_answers_with_the_sign_in_redirect(
    client, caseworker, draft
):
    client.force_login(caseworker)
    expire_sessions()
    response = client.post(reverse("assessments:autosave", args=[draft.pk]), answers(draft))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert HeldSubmission.objects.get().assessment == draft


def test_erasing_the_assessment_erases_what_was_held_for_it(client, caseworker, draft):
    client.force_login(caseworker)
    expire_sessions()
    client.post(reverse("assessments:edit", args=[draft.pk]), answers(draft))
    draft.delete()
    assert not HeldSubmission.objects.exists()


def test_the_purge_command_deletes_held_forms_past_their_time(client, caseworker, draft):
    from django.core.management import call_command

    client.force_login(caseworker)
    expire_sessions()
    client.post(reverse("assessments:edit", args=[draft.pk]), answers(draft))
    call_command("purge_held_submissions")
    assert HeldSubmission.objects.count() == 1
    HeldSubmission.objects.update(
        created_at=timezone.now() - dt.timedelta(seconds=settings.HELD_SUBMISSION_SECONDS + 1)
    )
    call_command("purge_held_submissions")
    assert not HeldSubmission.objects.exists()


def test_opening_the_form_writes_nothing_when_no_held_form_has_expired(client, caseworker, draft):
    client.force_login(caseworker)
    url = reverse("assessments:edit", args=[draft.pk])
    client.get(url)  # the first request renews the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    deletes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith("DELETE")]
    assert deletes == []


def test_opening_the_form_restores_its_own_held_form_and_purges_anyone_elses_expired_one(
    client, caseworker, teammate, draft
):
    expired_at = timezone.now() - dt.timedelta(seconds=settings.HELD_SUBMISSION_SECONDS + 1)
    others = HeldSubmission.objects.create(user=teammate, assessment=draft, data={"notes": ["x"]})
    HeldSubmission.objects.filter(pk=others.pk).update(created_at=expired_at)
    client.force_login(caseworker)
    expire_sessions()
    client.post(reverse("assessments:edit", args=[draft.pk]), answers(draft))
    client.force_login(caseworker)
    url = reverse("assessments:edit", args=[draft.pk])
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert "Typed before the session ended" in html
    assert not HeldSubmission.objects.exists()
    reads = [
        q["sql"] for q in ctx.captured_queries if 'FROM "assessments_heldsubmission"' in q["sql"]
    ]
    assert len([sql for sql in reads if sql.lstrip().startswith("SELECT")]) == 1
