"""Refused attempts leave a trace: every 403, and every 404 on a record URL,
is kept with who, from where, the path and when; failed sign-ins survive the
next successful one; the security officer sees both, with bursts flagged,
and no one else does."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.security.bursts import find_bursts
from assessments.security.models import SecurityEvent
from tests.conftest import PASSWORD, make_client
from tests.security.conftest import browser
from tests.security.helpers import RECORD_KWARGS

pytestmark = pytest.mark.django_db

IP = "198.51.100.23"
TRACE = "/security/trace/"


def test_enumerating_another_teams_ids_leaves_one_row_per_attempt(as_role, north, outsider):
    """The attack of issue 11: a South caseworker walked 36 North client ids."""
    ids = [make_client(north, reference=f"N-{n:04d}").pk for n in range(36)]
    http = as_role("outsider")
    for pk in ids:
        assert http.get(f"/clients/{pk}/", REMOTE_ADDR=IP).status_code == 404
    rows = SecurityEvent.objects.filter(kind="not_found")
    assert rows.count() == 36
    assert {r.path for r in rows} == {f"/clients/{pk}/" for pk in ids}
    assert {(r.user_id, r.username, r.ip, r.method) for r in rows} == {
        (outsider.pk, "outsider", IP, "GET")
    }


@pytest.mark.parametrize("name", sorted(RECORD_KWARGS))
def test_every_record_url_traces_a_refusal_to_another_team(as_role, records, name):
    url = reverse(name, kwargs=RECORD_KWARGS[name](records))
    response = as_role("outsider").post(url, REMOTE_ADDR=IP)
    assert response.status_code == 404
    event = SecurityEvent.objects.get()
    assert (event.kind, event.path, event.username, event.ip) == ("not_found", url, "outsider", IP)


def test_a_forbidden_action_in_ones_own_team_is_traced(as_role, records):
    url = reverse("assessments:reopen", args=[records.completed.pk])
    assert as_role("caseworker").post(url).status_code == 403
    assert SecurityEvent.objects.get().kind == "forbidden"


def test_a_malformed_record_url_is_traced_too(as_role):
    assert as_role("outsider").get("/clients/abc/").status_code == 404
    assert SecurityEvent.objects.get().path == "/clients/abc/"


def test_a_record_url_with_a_nul_byte_is_traced_percent_encoded(as_role):
    """PostgreSQL refuses NUL in text: the path is kept as it was sent."""
    assert as_role("outsider").get("/clients/1%00%C3%A9/").status_code == 404
    assert SecurityEvent.objects.get().path == "/clients/1%00%C3%A9/"


def test_a_missing_page_that_is_no_record_is_not_traced(as_role):
    assert as_role("outsider").get("/no-such-page/").status_code == 404
    assert not SecurityEvent.objects.exists()


def test_a_request_that_succeeds_is_not_traced(as_role, records):
    assert as_role("caseworker").get(records.client.get_absolute_url()).status_code == 200
    assert not SecurityEvent.objects.exists()


def test_the_trace_keeps_no_query_string(as_role):
    as_role("outsider").get("/clients/999/", {"q": "Maria"})
    assert SecurityEvent.objects.get().path == "/clients/999/"


def test_trace_rows_cannot_be_changed_or_deleted(as_role):
    as_role("outsider").get("/clients/999/")
    event = SecurityEvent.objects.get()
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(ValidationError):
        SecurityEvent.objects.update(path="/")


def sign_in(http, username, password):
    return http.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=IP)


def test_failed_sign_ins_are_kept_after_the_next_success(caseworker):
    from axes.models import AccessAttempt

    http = browser()
    for _ in range(3):
        sign_in(http, "owner", "wrong-password")
    assert sign_in(http, "owner", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()  # the lockout counter is reset...
    failures = AccessFailureLog.objects.filter(username="owner")
    assert failures.count() == 3  # ...but every failure is kept
    assert {f.ip_address for f in failures} == {IP}


def test_the_security_officer_sees_refusals_and_failed_sign_ins(as_role, caseworker):
    sign_in(browser(), "owner", "wrong-password")
    as_role("outsider").get("/clients/4242/", REMOTE_ADDR=IP)
    http = as_role("superuser")
    events = http.get(TRACE).content.decode()
    assert "/clients/4242/" in events and "outsider" in events and IP in events
    failures = http.get(TRACE, {"list": "failures"}).content.decode()
    assert "owner" in failures and IP in failures


@pytest.mark.parametrize("role", ["supervisor", "caseworker", "catalogue_admin"])
def test_no_one_else_sees_the_trace(as_role, role):
    assert as_role(role).get(TRACE).status_code == 403


def queries_for(http, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("showing", ["events", "failures"])
def test_the_trace_page_runs_a_fixed_number_of_queries(as_role, showing):
    http = as_role("superuser")
    for n in range(3):
        as_role("outsider").get(f"/clients/{n + 100}/")
        sign_in(browser(), f"guess{n}", "wrong-password")
    http.get(TRACE)  # the first request of a session also renews it
    few = queries_for(http, TRACE, list=showing)
    for n in range(60):
        as_role("outsider").get(f"/clients/{n + 200}/")
        sign_in(browser(), f"guess{n}", "wrong-password")
    assert queries_for(http, TRACE, list=showing) == few <= 8


@override_settings(REFUSAL_BURST_COUNT=5, REFUSAL_BURST_MINUTES=10)
def test_a_burst_by_one_user_is_flagged_on_the_audit_page(as_role):
    http = as_role("outsider")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(5):
            http.get(f"/clients/{n + 100}/", REMOTE_ADDR=IP)
            clock.shift(dt.timedelta(minutes=2))
        html = as_role("superuser").get(reverse("assessments:audit")).content.decode()
    assert 'id="bursts-table"' in html
    assert "outsider" in html and IP in html


@override_settings(REFUSAL_BURST_COUNT=5, REFUSAL_BURST_MINUTES=10)
def test_refusals_spread_out_are_no_burst(as_role):
    http = as_role("outsider")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(8):
            http.get(f"/clients/{n + 100}/", REMOTE_ADDR=IP)
            clock.shift(dt.timedelta(minutes=3))
        assert find_bursts() == []


@override_settings(REFUSAL_BURST_COUNT=5, REFUSAL_BURST_MINUTES=10)
def test_failed_sign_ins_from_one_address_make_a_burst(db):
    http = browser()
    for n in range(5):
        sign_in(http, f"guess{n}", "wrong-password")
    bursts = find_bursts()
    assert [(b.by, b.who, b.count) for b in bursts] == [("address", IP, 5)]


def test_supervisors_do_not_see_bursts(as_role):
    html = as_role("supervisor").get(reverse("assessments:audit")).content.decode()
    assert "Bursts of refusals" not in html
