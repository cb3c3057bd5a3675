"""The second factor: with REQUIRE_2FA on, everyone who reads client data
confirms a one-time code; an authenticator app is enrolled only with a
one-time enrolment code that a supervisor (for their team) or the security
officer issued; opening the page creates nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.security import enrolment
from assessments.security.models import EnrolmentCode, SecurityEvent

pytestmark = pytest.mark.django_db

TWO_FACTOR = "/accounts/two-factor/"
CODES = "/security/enrolment-codes/"
READERS = ["caseworker", "teammate", "supervisor", "catalogue_admin", "superuser"]


def token_for(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(code + offset) % 10**device.digits:0{device.digits}d}"


def unthrottle(device: TOTPDevice) -> None:
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def issued_code(html: str) -> str:
    match = re.search(r'data-testid="enrolment-code">([A-Z0-9-]+)<', html)
    assert match, "no code on the page"
    return match.group(1)


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize("role", READERS)
def test_with_2fa_required_everyone_who_reads_records_is_sent_to_the_second_step(as_role, role):
    http = as_role(role)
    for url in [reverse("assessments:clients"), reverse("factors:catalogue")]:
        response = http.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor") + "?next=")


@override_settings(REQUIRE_2FA=False)
def test_without_2fa_required_a_caseworker_goes_straight_in(as_role):
    assert as_role("caseworker").get(reverse("assessments:clients")).status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_opening_the_two_factor_page_creates_no_device(as_role, caseworker):
    http = as_role("caseworker")
    for _ in range(3):
        page = http.get(TWO_FACTOR)
        assert page.status_code == 200
    assert b"enrolment code" in page.content
    assert b"<svg" not in page.content
    assert not TOTPDevice.objects.filter(user=caseworker).exists()


@override_settings(REQUIRE_2FA=True)
def test_a_wrong_enrolment_code_enrols_nothing_and_is_traced(as_role, caseworker):
    response = as_role("caseworker").post(TWO_FACTOR, {"code": "ABCD-EFGH-JKMN"})
    assert response.status_code == 200
    assert b"not valid" in response.content
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    event = SecurityEvent.objects.get(kind="wrong_code")
    assert event.username == "owner" and event.path == TWO_FACTOR


@override_settings(REQUIRE_2FA=True)
def test_a_caseworker_enrols_with_a_code_from_their_supervisor(as_role, caseworker, supervisor):
    code = enrolment.issue(issuer=supervisor, user=caseworker)
    http = as_role("caseworker")
    target = reverse("assessments:clients")
    step = http.post(TWO_FACTOR, {"code": code.lower(), "next": target})
    assert step.status_code == 302
    page = http.get(step["Location"])
    assert b"<svg" in page.content  # the QR code of the new device
    device = TOTPDevice.objects.get(user=caseworker)
    assert not device.confirmed

    wrong = http.post(TWO_FACTOR, {"token": token_for(device, 1), "next": target})
    assert b"not valid" in wrong.content
    unthrottle(device)
    response = http.post(TWO_FACTOR, {"token": token_for(device), "next": target})
    assert response.status_code == 302 and response["Location"] == target
    device.refresh_from_db()
    assert device.confirmed
    assert http.get(target).status_code == 200
    assert SecurityEvent.objects.filter(kind="enrolled", subject="owner").exists()
    assert EnrolmentCode.objects.get(user=caseworker).used_at is not None


@override_settings(REQUIRE_2FA=True)
def test_an_enrolment_code_works_once(as_role, caseworker, supervisor):
    code = enrolment.issue(issuer=supervisor, user=caseworker)
    assert enrolment.redeem(user=caseworker, code=code)
    assert not enrolment.redeem(user=caseworker, code=code)


def test_an_enrolment_code_works_only_for_its_person(caseworker, teammate, supervisor):
    code = enrolment.issue(issuer=supervisor, user=caseworker)
    assert not enrolment.redeem(user=teammate, code=code)
    assert enrolment.redeem(user=caseworker, code=code)


@override_settings(ENROLMENT_CODE_HOURS=24)
def test_an_enrolment_code_expires(caseworker, supervisor):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        code = enrolment.issue(issuer=supervisor, user=caseworker)
        clock.shift(dt.timedelta(hours=24, seconds=1))
        assert not enrolment.redeem(user=caseworker, code=code)


def test_a_new_code_cancels_the_persons_earlier_one(caseworker, supervisor):
    first = enrolment.issue(issuer=supervisor, user=caseworker)
    second = enrolment.issue(issuer=supervisor, user=caseworker)
    assert not enrolment.redeem(user=caseworker, code=first)
    assert enrolment.redeem(user=caseworker, code=second)


def test_an_enrolment_code_is_stored_only_as_a_hash(caseworker, supervisor):
    code = enrolment.issue(issuer=supervisor, user=caseworker)
    stored = EnrolmentCode.objects.get(user=caseworker)
    assert enrolment.normalise(code) not in stored.code_hash
    assert check_password(enrolment.normalise(code), stored.code_hash)


def test_the_code_is_shown_once_and_kept_in_no_session(as_role, caseworker):
    http = as_role("supervisor")
    issued = http.post(CODES, {"user": caseworker.pk})
    code = issued_code(issued.content.decode())
    assert issued["Cache-Control"].startswith("max-age=0")
    assert code not in http.get(CODES).content.decode()
    assert code not in str(dict(http.session))
    event = SecurityEvent.objects.get(kind="code_issued")
    assert (event.username, event.subject) == ("supervisor", "owner")


def test_a_supervisor_issues_codes_only_for_the_other_members_of_their_teams(
    as_role, supervisor, caseworker, teammate, outsider, superuser
):
    assert set(enrolment.recipients_for(supervisor)) == {caseworker, teammate}
    response = as_role("supervisor").post(CODES, {"user": outsider.pk})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not EnrolmentCode.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "catalogue_admin", "outsider"])
def test_other_roles_cannot_issue_codes(as_role, role):
    assert as_role(role).get(CODES).status_code == 403
    assert as_role(role).post(CODES, {"user": 1}).status_code == 403
    assert not EnrolmentCode.objects.exists()


def test_the_security_officer_issues_codes_for_anyone(as_role, other_supervisor):
    response = as_role("superuser").post(CODES, {"user": other_supervisor.pk})
    assert issued_code(response.content.decode())
    assert EnrolmentCode.objects.filter(user=other_supervisor).exists()


def test_the_first_superuser_gets_a_code_from_the_server(superuser, capsys):
    call_command("enrolment_code", "root")
    code = capsys.readouterr().out.rsplit(" ", 1)[-1].strip()
    assert enrolment.redeem(user=superuser, code=code)


@override_settings(REQUIRE_2FA=True)
def test_with_a_device_the_page_asks_for_the_app_code_not_an_enrolment_code(as_role, supervisor):
    TOTPDevice.objects.create(user=supervisor, confirmed=True)
    page = as_role("supervisor").get(TWO_FACTOR).content.decode()
    asked, offered = page.split('id="replace-app"', 1)
    assert 'name="token"' in asked and 'name="code"' not in asked
    assert 'name="code"' in offered  # only behind "Lost your phone or the app?"


@override_settings(REQUIRE_2FA=True)
def test_the_second_step_never_redirects_off_site(as_role, supervisor):
    device = TOTPDevice.objects.create(user=supervisor, confirmed=True)
    response = as_role("supervisor").post(
        TWO_FACTOR, {"token": token_for(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@override_settings(REQUIRE_2FA=True)
def test_the_second_step_returns_to_the_whole_address_asked_for(as_role):
    response = as_role("supervisor").get("/reports/?team=1&start=2025-01-01")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("two_factor") + "?next=%2Freports%2F%3Fteam%3D1%26start%3D2025-01-01"
    )


@override_settings(REQUIRE_2FA=True)
def test_a_person_who_lost_their_phone_enrols_a_new_app_with_a_new_code(
    as_role, caseworker, supervisor
):
    old = TOTPDevice.objects.create(user=caseworker, confirmed=True)
    http = as_role("caseworker")
    assert b"Lost your phone" in http.get(TWO_FACTOR).content
    code = enrolment.issue(issuer=supervisor, user=caseworker)
    assert http.post(TWO_FACTOR, {"code": code}).status_code == 302
    new = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert TOTPDevice.objects.filter(pk=old.pk).exists()  # until the new one is confirmed
    response = http.post(TWO_FACTOR, {"token": token_for(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=caseworker)) == [new]


@override_settings(REQUIRE_2FA=True)
def test_without_a_code_a_password_thief_cannot_replace_the_app(as_role, caseworker):
    old = TOTPDevice.objects.create(user=caseworker, confirmed=True)
    response = as_role("caseworker").post(TWO_FACTOR, {"code": "ABCD-EFGH-JKMN"})
    assert b"not valid" in response.content
    assert list(TOTPDevice.objects.filter(user=caseworker)) == [old]
