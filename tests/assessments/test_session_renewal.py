"""The idle timeout is kept without writing the session at every request."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def session_writes(http, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert http.get(url).status_code == 200
    return sum(q["sql"].startswith("UPDATE") and "django_session" in q["sql"] for q in queries)


def test_requests_within_a_minute_do_not_write_the_session(client, caseworker):
    url = reverse("factors:catalogue")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(caseworker)
        assert session_writes(client, url) == 1  # first request stamps the renewal
        clock.shift(dt.timedelta(seconds=30))
        assert session_writes(client, url) == 0
        clock.shift(dt.timedelta(seconds=31))
        assert session_writes(client, url) == 1


def test_activity_keeps_a_session_alive_past_the_timeout(client, caseworker, settings):
    url = reverse("factors:catalogue")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(caseworker)
        for _ in range(5):  # 5 × 10 minutes of steady activity: 50 minutes in all
            clock.shift(dt.timedelta(minutes=10))
            assert client.get(url).status_code == 200
        clock.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        assert client.get(url).status_code == 302
