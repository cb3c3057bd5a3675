"""The session store: Django's database sessions, read with a fixed statement."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone

from exitsupport.session_store import SessionStore


def saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_is_read_back(db):
    key = saved(_auth_user_id="7", colour="blue")
    store = SessionStore(key)
    assert store["colour"] == "blue"
    assert store.session_key == key


def test_an_expired_session_reads_as_empty_and_loses_its_key(db):
    key = saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.get("_auth_user_id") is None
    assert store.session_key is None


def test_an_unknown_or_malformed_key_reads_as_empty(db):
    assert SessionStore("x" * 32).get("_auth_user_id") is None
    assert SessionStore("short").get("_auth_user_id") is None


def test_a_session_is_read_in_one_query(db, django_assert_num_queries):
    key = saved(_auth_user_id="7")
    with django_assert_num_queries(1):
        assert SessionStore(key)["_auth_user_id"] == "7"
