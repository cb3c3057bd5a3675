"""The smaller gaps of issue 11 §5: after data consent is withdrawn the record
stays as it is; another team's reference reveals nothing but is traced;
expired sessions are purged; production settings refuse weak secrets and
any-host; a Permissions-Policy header; __Host- cookies under HTTPS; people
change their own password, and trivial passwords are refused."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AuditEvent, Client
from assessments.security.models import SecurityEvent
from tests.conftest import PASSWORD, make_client
from tests.security.test_headers import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn(records):
    Client.objects.filter(pk=records.client.pk).update(data_consent_withdrawn_at=timezone.now())
    return records


# --- consent withdrawn ---------------------------------------------------------


def test_a_supervisor_cannot_reopen_after_data_consent_is_withdrawn(as_role, withdrawn):
    response = as_role("supervisor").post(
        reverse("assessments:reopen", args=[withdrawn.completed.pk])
    )
    assert response.status_code == 302
    withdrawn.completed.refresh_from_db()
    assert withdrawn.completed.is_completed
    assert not AuditEvent.objects.filter(action="reopen").exists()


def test_a_supervisor_cannot_reassign_after_data_consent_is_withdrawn(as_role, withdrawn, teammate):
    url = reverse("assessments:client_reassign", args=[withdrawn.client.pk])
    http = as_role("supervisor")
    assert http.get(url).status_code == 302
    assert http.post(url, {"caseworker": teammate.pk}).status_code == 302
    withdrawn.client.refresh_from_db()
    assert withdrawn.client.caseworker.username == "owner"


def test_a_caseworker_cannot_delete_a_draft_after_data_consent_is_withdrawn(as_role, withdrawn):
    response = as_role("caseworker").post(reverse("assessments:delete", args=[withdrawn.draft.pk]))
    assert response.status_code == 302
    assert Assessment.objects.filter(pk=withdrawn.draft.pk).exists()


def test_the_record_says_what_happens_after_data_consent_is_withdrawn(as_role, withdrawn):
    html = as_role("supervisor").get(withdrawn.client.get_absolute_url()).content.decode()
    notice = html.split('id="consent-withdrawn"', 1)[1].split("</div>", 1)[0]
    assert "kept as it is" in notice and "export" in notice and "erase" in notice
    assert "Reassign</a>" not in html
    results = as_role("supervisor").get(
        reverse("assessments:results", args=[withdrawn.completed.pk])
    )
    assert b"Reopen for correction" not in results.content


# --- references --------------------------------------------------------------


def client_form(team, **extra):
    data = {
        "reference": "SHR-1",
        "team": team.pk,
        "data_consent_on": "2025-01-02",
        "data_consent_method": "written",
    }
    return {**data, **extra}


def test_another_teams_reference_gets_the_same_answer_as_a_new_one(as_role, north, south):
    make_client(south, reference="SHR-1")
    http = as_role("caseworker")
    taken = http.post(reverse("assessments:client_new"), client_form(north))
    fresh = http.post(reverse("assessments:client_new"), client_form(north, reference="NEW-1"))
    assert taken.status_code == fresh.status_code == 302


def test_using_another_teams_reference_is_traced_for_the_security_officer(as_role, north, south):
    make_client(south, reference="SHR-1")
    as_role("caseworker").post(reverse("assessments:client_new"), client_form(north))
    event = SecurityEvent.objects.get(kind="reference")
    assert (event.username, event.path) == ("owner", reverse("assessments:client_new"))
    assert "SHR-1" not in str(list(SecurityEvent.objects.values()))


def test_a_fresh_reference_leaves_no_trace(as_role, north):
    as_role("caseworker").post(reverse("assessments:client_new"), client_form(north))
    assert not SecurityEvent.objects.exists()


def test_renaming_to_a_reference_of_ones_own_team_is_refused(as_role, records, north):
    make_client(north, reference="N-0002")
    data = client_form(north, reference="N-0002")
    response = as_role("caseworker").post(
        reverse("assessments:client_edit", args=[records.client.pk]), data
    )
    assert response.status_code == 200
    assert b"A client of this team already has this reference." in response.content


# --- sessions ------------------------------------------------------------------


def test_clearsessions_purges_expired_sessions(as_role):
    as_role("caseworker")
    as_role("supervisor")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        as_role("teammate")
        call_command("clearsessions")
    assert Session.objects.count() == 1


def test_the_readme_documents_the_purge_for_cron():
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "manage.py clearsessions" in readme and "cron" in readme


# --- production settings ----------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["", "x", "a" * 60, "django-insecure-" + secrets.token_urlsafe(50), "short-but-random-1"],
)
def test_production_settings_refuse_a_weak_secret_key(key):
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", ["*", "example.org,*"])
def test_production_settings_refuse_any_host(hosts):
    result = run_manage("check", env={**PRODUCTION_ENV, "ALLOWED_HOSTS": hosts})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS=*" in result.stderr


def test_cookies_have_host_prefixed_names_under_https():
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken"]


def test_every_response_has_a_permissions_policy(as_role):
    for response in (
        as_role(None).get(reverse("login")),
        as_role("caseworker").get(reverse("assessments:clients")),
    ):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


# --- passwords ------------------------------------------------------------------


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abababababab", "abcabcabcabc"])
def test_a_password_of_few_distinct_characters_is_refused(password):
    with pytest.raises(ValidationError, match="different characters"):
        validate_password(password)


def test_a_common_password_is_refused():
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")


def test_a_password_like_the_username_is_refused(caseworker):
    caseworker.username = "olive.branchwood"
    with pytest.raises(ValidationError, match="too similar"):
        validate_password("olive.branchwood1", caseworker)


NEW_PASSWORD = "Quiet-Harbour-Lantern-93"


def test_a_person_changes_their_own_password_and_it_is_recorded(as_role, caseworker):
    http = as_role("caseworker")
    assert http.get(reverse("security:password_change")).status_code == 200
    response = http.post(
        reverse("security:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("security:password_changed")
    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW_PASSWORD)
    assert http.get(reverse("assessments:clients")).status_code == 200  # still signed in
    event = SecurityEvent.objects.get(kind="password")
    assert (event.username, event.subject) == ("owner", "owner")


def test_a_password_change_with_the_wrong_old_password_changes_nothing(as_role, caseworker):
    response = as_role("caseworker").post(
        reverse("security:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    caseworker.refresh_from_db()
    assert caseworker.check_password(PASSWORD)
    assert not SecurityEvent.objects.filter(kind="password").exists()


def test_a_trivial_new_password_is_refused_with_the_reason(as_role, caseworker):
    response = as_role("caseworker").post(
        reverse("security:password_change"),
        {"old_password": PASSWORD, "new_password1": "a" * 12, "new_password2": "a" * 12},
    )
    assert response.status_code == 200
    assert b"different characters" in response.content


def test_changing_a_password_needs_signing_in(as_role):
    response = as_role(None).get(reverse("security:password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "name",
    [
        "security:enrolment_codes",
        "security:trace",
        "security:password_change",
        "security:password_changed",
    ],
)
def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_security_pages(as_role, name):
    response = as_role(None).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
