"""Sign-in and sessions: lockout per user and per IP with release after the
cool-off, idle expiry, a new session id at sign-in, disabled users signed out
everywhere, the password rules and the second factor for staff."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.security.conftest import browser

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOCKED_MESSAGE = b"Sign-in is paused"


def sign_in(http, username, password, ip="192.0.2.10"):
    return http.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(http, username, times, ip="192.0.2.10", vary_ip=False):
    for n in range(times):
        address = f"198.51.100.{n + 1}" if vary_ip else ip
        response = sign_in(http, username, "wrong-password", ip=address)
        assert response.status_code in (200, 429)


def test_the_lockout_is_five_failures_and_thirty_minutes_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(hours=settings.AXES_COOLOFF_TIME) == dt.timedelta(minutes=30)
    # each parameter on its own: lock per user OR per IP
    assert all(isinstance(p, str) for p in settings.AXES_LOCKOUT_PARAMETERS)
    assert set(settings.AXES_LOCKOUT_PARAMETERS) == {"username", "ip_address"}


def test_a_correct_password_signs_in_before_the_threshold(caseworker):
    http = browser()
    fail(http, "owner", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(http, "owner", PASSWORD).status_code == 302


def test_an_account_is_locked_after_the_threshold_even_from_other_addresses(caseworker):
    http = browser()
    fail(http, "owner", settings.AXES_FAILURE_LIMIT, vary_ip=True)
    response = sign_in(http, "owner", PASSWORD, ip="203.0.113.99")
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content
    assert "_auth_user_id" not in http.session


def test_an_address_is_locked_after_the_threshold_even_for_other_accounts(caseworker, teammate):
    http = browser()
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(http, f"nobody{n}", "wrong-password", ip="192.0.2.77")
    response = sign_in(http, "teammate", PASSWORD, ip="192.0.2.77")
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content
    # the same account from another address is not locked
    assert sign_in(http, "teammate", PASSWORD, ip="192.0.2.78").status_code == 302


def test_the_lockout_is_released_after_the_cool_off(caseworker):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        http = browser()
        fail(http, "owner", settings.AXES_FAILURE_LIMIT)
        clock.shift(dt.timedelta(minutes=29))
        assert sign_in(http, "owner", PASSWORD).status_code == 429
        clock.shift(dt.timedelta(minutes=31))
        assert sign_in(http, "owner", PASSWORD).status_code == 302


def test_the_sign_in_page_says_what_happens_after_failures(caseworker):
    html = browser().get(LOGIN).content.decode()
    assert "failed attempts" in html


def test_a_session_expires_after_fifteen_idle_minutes(caseworker):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        http = browser()
        http.force_login(caseworker)
        clients = reverse("assessments:clients")
        clock.shift(dt.timedelta(minutes=14))
        assert http.get(clients).status_code == 200  # activity restarts the clock
        clock.shift(dt.timedelta(minutes=14))
        assert http.get(clients).status_code == 200
        clock.shift(dt.timedelta(minutes=16))
        response = http.get(clients)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


@override_settings(SESSION_COOKIE_AGE=60)
def test_the_idle_timeout_follows_the_setting(caseworker):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        http = browser()
        http.force_login(caseworker)
        clock.shift(dt.timedelta(seconds=61))
        assert http.get(reverse("assessments:clients")).status_code == 302


def test_the_session_cookie_ends_with_the_browser(caseworker):
    http = browser()
    response = sign_in(http, "owner", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_the_session_id_changes_at_sign_in(caseworker):
    http = browser()
    before = http.session
    before["seen"] = True
    before.save()
    old_key = before.session_key
    assert http.cookies[settings.SESSION_COOKIE_NAME].value == old_key
    assert sign_in(http, "owner", PASSWORD).status_code == 302
    new_key = http.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_disabling_a_user_ends_all_their_sessions_at_once(caseworker, teammate):
    laptop, phone, other = browser(), browser(), browser()
    laptop.force_login(caseworker)
    phone.force_login(caseworker)
    other.force_login(teammate)
    caseworker.is_active = False
    caseworker.save()
    clients = reverse("assessments:clients")
    assert laptop.get(clients).status_code == 302
    assert phone.get(clients).status_code == 302
    assert other.get(clients).status_code == 200
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(caseworker.pk) not in remaining


def test_logout_is_one_click_from_every_signed_in_page(caseworker, records):
    http = browser()
    http.force_login(caseworker)
    for url in [reverse("assessments:clients"), records.client.get_absolute_url()]:
        html = http.get(url).content.decode()
        assert f'action="{reverse("logout")}"' in html
    assert http.post(reverse("logout")).status_code == 302
    assert http.get(reverse("assessments:clients")).status_code == 302


@pytest.mark.parametrize("password", ["Short-pw-11", "abcdefghijk"])
def test_a_password_shorter_than_twelve_characters_is_refused(password):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password(password)


def test_a_twelve_character_password_is_accepted():
    validate_password("Lantern-Ridge7")


@pytest.mark.parametrize("url", [LOGIN, "/admin/login/"])
def test_an_oversize_username_is_refused_without_an_attempt(url):
    from axes.models import AccessAttempt

    response = browser().post(url, {"username": "x" * 5000, "password": "p"})
    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()
