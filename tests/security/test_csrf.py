"""A POST without a CSRF token is refused (403) by every view of the URL conf,
so no view can be exempted by accident; with the token the same POST works."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Client
from tests.conftest import PASSWORD
from tests.security.helpers import every_url

pytestmark = pytest.mark.django_db


def test_every_post_without_a_token_is_refused(as_role, records):
    http = as_role("superuser", enforce_csrf_checks=True)
    before = (Client.objects.count(), Assessment.objects.count())
    refused = {url: http.post(url, {"confirm": "N-0001"}).status_code for url in every_url(records)}
    assert len(refused) >= 20
    assert set(refused.values()) == {403}, {u: s for u, s in refused.items() if s != 403}
    assert (Client.objects.count(), Assessment.objects.count()) == before


@pytest.mark.parametrize(
    "url",
    [
        "/admin/factors/factor/add/",
        "/admin/assessments/client/add/",
        "/admin/logout/",
        "/accounts/logout/",
        "/accounts/two-factor/",
    ],
)
def test_admin_and_account_posts_without_a_token_are_refused(as_role, url):
    assert as_role("superuser", enforce_csrf_checks=True).post(url, {}).status_code == 403


def test_signing_in_without_a_token_is_refused(as_role, caseworker):
    http = as_role(None, enforce_csrf_checks=True)
    data = {"username": "owner", "password": PASSWORD}
    assert http.post(reverse("login"), data).status_code == 403


def test_the_same_post_with_the_token_is_accepted(as_role, records):
    http = as_role("caseworker", enforce_csrf_checks=True)
    http.get(reverse("assessments:clients"))
    token = http.cookies["csrftoken"].value
    response = http.post(reverse("assessments:clients"), {"q": "N-", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
