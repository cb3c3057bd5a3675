"""However busy, a session ends SESSION_ABSOLUTE_SECONDS after sign-in; the
timeout warning's status check does not count as activity."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_session_kept_busy_still_ends_at_its_absolute_lifetime(client, caseworker, settings):
    settings.SESSION_COOKIE_AGE = 30
    settings.SESSION_ABSOLUTE_SECONDS = 95
    url = reverse("factors:catalogue")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(caseworker)
        for _ in range(31):  # a request every 3 s: never idle
            assert client.get(url).status_code == 200
            clock.shift(dt.timedelta(seconds=3))
        assert client.get(url).status_code == 200  # 93 s
        clock.shift(dt.timedelta(seconds=3))
        assert client.get(url).status_code == 302  # 96 s


def test_signing_in_again_starts_a_new_lifetime(client, caseworker, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    url = reverse("factors:catalogue")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(caseworker)
        for _ in range(7):
            clock.shift(dt.timedelta(minutes=10))
            client.get(url)
        assert client.get(url).status_code == 302
        client.force_login(caseworker)
        assert client.get(url).status_code == 200


def test_the_status_check_reports_the_time_left_without_renewing(client, caseworker, settings):
    settings.SESSION_COOKIE_AGE = 900
    status = reverse("assessments:session_status")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(caseworker)
        client.get(reverse("factors:catalogue"))
        clock.shift(dt.timedelta(minutes=10))
        data = client.get(status).json()
        assert data == {"seconds_left": 300, "ends_because": "idle"}
        clock.shift(dt.timedelta(minutes=6))
        assert client.get(status).status_code == 401


def test_stay_signed_in_restarts_the_idle_clock(client, caseworker, settings):
    settings.SESSION_COOKIE_AGE = 900
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(caseworker)
        client.get(reverse("factors:catalogue"))
        clock.shift(dt.timedelta(minutes=14))
        assert client.post(reverse("assessments:session_renew")).json()["seconds_left"] == 900
        clock.shift(dt.timedelta(minutes=14))
        assert client.get(reverse("factors:catalogue")).status_code == 200


def test_near_the_absolute_end_the_warning_says_nothing_extends_it(client, caseworker, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(caseworker)
        client.get(reverse("factors:catalogue"))
        for _ in range(5):
            clock.shift(dt.timedelta(minutes=11))
            client.get(reverse("factors:catalogue"))
        data = client.post(reverse("assessments:session_renew")).json()
        assert data == {"seconds_left": 300, "ends_because": "absolute"}


def test_every_signed_in_page_carries_the_timeout_warning(client, caseworker):
    client.force_login(caseworker)
    html = client.get(reverse("factors:catalogue")).content.decode()
    assert 'name="session-timeout"' in html and "session-timeout" in html
    client.logout()
    html = client.get(reverse("login")).content.decode()
    assert 'name="session-timeout"' not in html
