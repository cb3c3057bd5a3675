"""Every URL that takes the id of a client or assessment answers 404 to a
signed-in user of another team (never 403, never the data) and sends an
anonymous visitor to sign in. The cases are generated from the URL conf, so
a new URL with a parameter cannot be missed: it fails here until it is
classified."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.helpers import (
    CATALOGUE_KWARGS,
    RECORD_KWARGS,
    app_routes,
    missing_kwargs,
)

pytestmark = pytest.mark.django_db

ROUTES_WITH_PARAMS = [r for r in app_routes() if r.params]
RECORD_ROUTES = sorted(r.name for r in ROUTES_WITH_PARAMS if r.name not in CATALOGUE_KWARGS)
OUTSIDERS = ["outsider", "other_supervisor", "catalogue_admin"]


def test_every_url_with_a_parameter_is_classified_as_record_or_catalogue():
    unclassified = [
        f"{r.route} ({r.name})"
        for r in ROUTES_WITH_PARAMS
        if r.name not in RECORD_KWARGS and r.name not in CATALOGUE_KWARGS
    ]
    assert not unclassified, (
        "New URL(s) take a parameter but have no kwargs builder in "
        f"tests/security/helpers.py (RECORD_KWARGS or CATALOGUE_KWARGS): {unclassified}"
    )


def test_the_url_conf_still_has_the_record_urls_the_suite_knows():
    assert set(RECORD_KWARGS) <= {r.name for r in ROUTES_WITH_PARAMS}
    assert len(RECORD_ROUTES) >= 11


def _url(name, records, *, missing=False):
    if name not in RECORD_KWARGS:
        pytest.fail(f"No kwargs builder for {name}: add it to RECORD_KWARGS in helpers.py")
    kwargs = RECORD_KWARGS[name](records)
    return reverse(name, kwargs=missing_kwargs(name, kwargs) if missing else kwargs)


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("name", RECORD_ROUTES)
def test_a_user_of_another_team_gets_404_on_post(as_role, records, name, role):
    response = as_role(role).post(_url(name, records), {"confirm": "N-0001"})
    assert response.status_code == 404
    assert b"N-0001" not in response.content


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("name", RECORD_ROUTES)
def test_a_user_of_another_team_gets_the_same_answer_as_for_a_missing_record_on_get(
    as_role, records, name, role
):
    """GET answers 404; a POST-only URL answers 405 whether or not the record
    exists, which confirms nothing."""
    browser = as_role(role)
    response = browser.get(_url(name, records))
    for_missing = browser.get(_url(name, records, missing=True))
    assert response.status_code in (404, 405)
    assert response.status_code == for_missing.status_code
    assert b"N-0001" not in response.content


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", RECORD_ROUTES)
def test_an_anonymous_visitor_is_sent_to_sign_in(as_role, records, name, method):
    url = _url(name, records)
    response = getattr(as_role(None), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", RECORD_ROUTES)
def test_nothing_changes_when_another_team_posts(as_role, records, name):
    from assessments.models import Assessment, Client

    before = (Client.objects.count(), Assessment.objects.count())
    as_role("outsider").post(_url(name, records), {"confirm": "N-0001", "caseworker": 1})
    assert (Client.objects.count(), Assessment.objects.count()) == before
    records.client.refresh_from_db()
    assert records.client.data_consent_withdrawn_at is None


def test_a_member_of_both_teams_reaches_both_teams_records(records, north, south, login):
    from tests.conftest import make_user

    both = make_user("both", "Caseworkers", [north, south])
    browser = login(both)
    assert browser.get(records.client.get_absolute_url()).status_code == 200
    assert browser.get(records.south_client.get_absolute_url()).status_code == 200


def test_the_client_list_shows_only_the_users_teams(as_role, records):
    html = as_role("outsider").get(reverse("assessments:clients")).content
    assert b"S-0001" in html
    assert b"N-0001" not in html
