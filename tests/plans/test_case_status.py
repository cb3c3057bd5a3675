"""A case closes with a date and a reason, is read-only until reopened, and is
erased once its retention period has passed (dry run by default, audited)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditEvent, Client
from assessments.plans.models import Case, Plan, PlanAction
from tests.conftest import make_assessment, make_client
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


def close(browser, client, **extra):
    data = {"version": 1, "closed_on": "2025-05-01", "reason": "moved", "reason_detail": ""}
    data.update(extra)
    return browser.post(reverse("plans:case_close", args=[client.pk]), data)


def test_closing_records_the_date_and_reason(login, caseworker, client_record):
    response = close(login(caseworker), client_record)
    assert response.url == client_record.get_absolute_url()
    case = Case.objects.get(client=client_record)
    assert (case.status, case.closed_on, case.reason) == ("closed", dt.date(2025, 5, 1), "moved")
    assert AuditEvent.objects.filter(detail="case closed: moved").exists()


def test_a_case_cannot_close_in_the_future_and_the_input_is_kept(login, caseworker, client_record):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = close(login(caseworker), client_record, closed_on=future, reason_detail="kept")
    assert response.status_code == 200 and "kept" in response.content.decode()
    assert not Case.objects.exists()


def test_a_closed_case_is_read_only_until_reopened(login, caseworker, client_record, assessment):
    plan = make_plan(assessment)
    browser = login(caseworker)
    close(browser, client_record)
    assert (
        browser.get(reverse("assessments:client_edit", args=[client_record.pk])).status_code == 403
    )
    assert browser.post(reverse("assessments:start", args=[client_record.pk])).status_code == 403
    refused = browser.get(reverse("plans:focus", args=[plan.pk]))
    assert refused.status_code == 403
    assert "This case is closed" in refused.content.decode()
    assert browser.get(reverse("plans:plan", args=[plan.pk])).status_code == 200
    page = browser.get(client_record.get_absolute_url()).content.decode()
    assert "Case closed" in page and "Reopen the case" in page

    browser.post(reverse("plans:case_reopen", args=[client_record.pk]), {"version": 2})
    assert not Case.objects.get().is_closed
    assert browser.get(reverse("plans:focus", args=[plan.pk])).status_code == 200


def test_a_stale_reopen_changes_nothing(login, caseworker, client_record):
    browser = login(caseworker)
    close(browser, client_record)
    browser.post(reverse("plans:case_reopen", args=[client_record.pk]), {"version": 1})
    assert Case.objects.get().is_closed


def test_a_supervisor_can_still_export_a_closed_case(login, caseworker, supervisor, client_record):
    close(login(caseworker), client_record)
    response = login(supervisor).post(reverse("assessments:client_export", args=[client_record.pk]))
    assert response.status_code == 200


@pytest.fixture
def old_closed(north, caseworker):
    client = make_client(north, caseworker, reference="N-OLD")
    plan = make_plan(make_assessment(client, caseworker))
    Case.objects.create(
        client=client, status="closed", closed_on=dt.date(2019, 1, 1), reason="lost_contact"
    )
    return client, plan


@override_settings(CASE_RETENTION_DAYS=365)
def test_the_retention_command_only_lists_by_default(old_closed, client_record):
    out = StringIO()
    call_command("erase_closed_cases", stdout=out)
    assert "Would erase client id" in out.getvalue() and "Dry run" in out.getvalue()
    assert Client.objects.filter(reference="N-OLD").exists()


@override_settings(CASE_RETENTION_DAYS=365)
def test_the_retention_command_erases_cases_past_it_with_their_plans_and_history(
    old_closed, north, caseworker
):
    client, plan = old_closed
    recent = make_client(north, caseworker, reference="N-RECENT")
    Case.objects.create(
        client=recent, status="closed", closed_on=timezone.localdate(), reason="exited"
    )
    call_command("erase_closed_cases", "--erase", stdout=StringIO())
    assert not Client.objects.filter(reference="N-OLD").exists()
    assert Client.objects.filter(reference="N-RECENT").exists()
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not Plan.history.filter(client_id=client.pk).exists()
    assert not PlanAction.history.exists()
    event = AuditEvent.objects.get(action="erase", object_id=client.pk)
    assert event.user is None and event.username.startswith("retention")
    assert "N-OLD" not in event.detail


def test_consent_can_still_be_withdrawn_on_a_closed_case(login, caseworker, client_record):
    browser = login(caseworker)
    close(browser, client_record)
    url = reverse("assessments:client_consent_withdraw", args=[client_record.pk, "data"])
    assert browser.post(url).status_code == 302
    client_record.refresh_from_db()
    assert client_record.data_consent_withdrawn_at is not None


def test_two_first_closes_at_once_give_the_second_the_changed_meanwhile_message(
    login, caseworker, client_record, monkeypatch
):
    from django.db import IntegrityError
    from django.db.models import QuerySet

    def colleague_inserted_first(self, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: plans_case.client_id")

    monkeypatch.setattr(QuerySet, "get_or_create", colleague_inserted_first)
    browser = login(caseworker)
    response = close(browser, client_record)
    assert response.status_code == 302
    page = browser.get(response.url).content.decode()
    assert "The case changed meanwhile" in page
