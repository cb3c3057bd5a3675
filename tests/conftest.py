"""Shared fixtures: named users by role and team (owner, teammate, outsider,
supervisor), and small builders for clients and assessments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assessments.models import Assessment, Client, Finding, Team
from assessments.roles import CASEWORKERS, CATALOGUE_ADMINS, SUPERVISORS
from factors.models import Factor

PASSWORD = "a-long-test-password-42"


def pytest_configure(config):
    from django.conf import settings

    # Fast hashing: the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test locales (pseudo-locale, right-to-left) are offered in tests.
    if not settings.TEST_LOCALES:
        settings.TEST_LOCALES = True
        settings.LANGUAGES = [*settings.LANGUAGES, *settings.TEST_LANGUAGES]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """LocaleMiddleware leaves a request's language active in the thread: a
    test that asks for Spanish must not leave the next test in Spanish."""
    yield
    from django.utils import translation

    translation.deactivate()


def make_user(username: str, group: str | None = None, teams=(), **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for team in teams:
        team.members.add(user)
    return user


@pytest.fixture
def north(db):
    return Team.objects.create(name="North")


@pytest.fixture
def south(db):
    return Team.objects.create(name="South")


@pytest.fixture
def caseworker(north):
    return make_user("owner", CASEWORKERS, [north], first_name="Olive")


@pytest.fixture
def teammate(north):
    return make_user("teammate", CASEWORKERS, [north])


@pytest.fixture
def outsider(south):
    return make_user("outsider", CASEWORKERS, [south])


@pytest.fixture
def supervisor(north):
    return make_user("supervisor", SUPERVISORS, [north])


@pytest.fixture
def other_supervisor(south):
    return make_user("other_supervisor", SUPERVISORS, [south])


@pytest.fixture
def catalogue_admin(db):
    return make_user("cat_admin", CATALOGUE_ADMINS, is_staff=True)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


def make_client(team, caseworker=None, reference=None, **extra) -> Client:
    reference = reference or f"C-{Client.objects.count() + 1:04d}"
    values = {
        "data_consent_on": dt.date(2024, 1, 10),
        "data_consent_method": Client.ConsentMethod.WRITTEN,
        "stats_consent_on": dt.date(2024, 1, 10),
    }
    values.update(extra)
    return Client.objects.create(reference=reference, team=team, caseworker=caseworker, **values)


def make_assessment(
    client,
    caseworker=None,
    *,
    present=(),
    absent=None,
    completed=True,
    date=dt.date(2025, 3, 1),
    stage="",
) -> Assessment:
    """An assessment with a finding for every active factor: slugs in
    ``present`` are present, the rest absent (or not assessed if ``absent``
    names the absent ones)."""
    assessment = Assessment.objects.create(
        client=client,
        caseworker=caseworker or client.caseworker,
        date=date,
        stage=stage,
        status="completed" if completed else "draft",
        completed_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC) if completed else None,
    )
    findings = []
    for factor in Factor.objects.active():
        if factor.slug in present:
            status = Finding.Status.PRESENT
        elif absent is None or factor.slug in absent:
            status = Finding.Status.ABSENT
        else:
            status = Finding.Status.NOT_ASSESSED
        findings.append(
            Finding(
                assessment=assessment,
                factor=factor,
                status=status,
                factor_label=factor.label,
                factor_level=factor.level,
                factor_role=factor.role,
            )
        )
    Finding.objects.bulk_create(findings)
    return assessment


@pytest.fixture
def client_record(north, caseworker):
    return make_client(north, caseworker, reference="N-0001")


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
