"""Fixtures for the security suite: one set of records across two teams, and
a way to sign in as any role by fixture name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from tests.conftest import make_assessment, make_client
from tests.security.helpers import Records

ROLES = [
    "caseworker",
    "teammate",
    "supervisor",
    "outsider",
    "other_supervisor",
    "catalogue_admin",
    "superuser",
]


@pytest.fixture
def records(north, south, caseworker, teammate, supervisor, outsider, other_supervisor):
    client = make_client(north, caseworker, reference="N-0001", nationality="Romania")
    completed = make_assessment(client, caseworker, date=dt.date(2025, 3, 1))
    draft = make_assessment(client, caseworker, completed=False, date=dt.date(2025, 4, 1))
    south_client = make_client(south, outsider, reference="S-0001")
    return Records(client=client, completed=completed, draft=draft, south_client=south_client)


# Building a test client's handler loads the middleware, and WhiteNoise then
# scans every static file (~0.2 s). One handler per CSRF mode is shared by all
# the clients of this suite; the session lives in each client's cookies.
_HANDLERS: dict[bool, object] = {}


def browser(**client_kwargs) -> HttpClient:
    new = HttpClient(**client_kwargs)
    new.handler = _HANDLERS.setdefault(bool(client_kwargs.get("enforce_csrf_checks")), new.handler)
    return new


@pytest.fixture
def client():
    """pytest-django's ``client``, on the shared handler."""
    return browser()


@pytest.fixture
def as_role(request, db):
    """Return a test client signed in as the user of the named role fixture,
    or anonymous for ``None``; each call gives its own browser."""

    def _as(role: str | None, **client_kwargs) -> HttpClient:
        signed_in = browser(**client_kwargs)
        if role is not None:
            signed_in.force_login(request.getfixturevalue(role))
        return signed_in

    return _as
