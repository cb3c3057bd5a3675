import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factors.models import Factor, Study

pytestmark = pytest.mark.django_db


def catalogue_urls():
    factor = Factor.objects.first()
    study = Study.objects.first()
    return [
        reverse("factors:catalogue"),
        reverse("factors:factor", args=[factor.slug]),
        reverse("factors:studies"),
        reverse("factors:study", args=[study.key]),
        reverse("factors:about"),
    ]


def test_anonymous_users_are_sent_to_login_from_every_catalogue_page(client):
    for url in catalogue_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_every_catalogue_page_renders_for_a_signed_in_user(login, caseworker):
    client = login(caseworker)
    for url in catalogue_urls():
        assert client.get(url).status_code == 200, url


def test_the_grid_shows_every_factor_in_its_level_and_role_cell(login, caseworker):
    html = login(caseworker).get(reverse("factors:catalogue")).content.decode()
    for factor in Factor.objects.all():
        assert factor.label.replace("'", "&#x27;") in html


def test_unknown_factor_and_study_are_404(login, caseworker):
    client = login(caseworker)
    assert client.get(reverse("factors:factor", args=["no-such-factor"])).status_code == 404
    assert client.get(reverse("factors:study", args=["no-such-study"])).status_code == 404


def test_about_page_publishes_the_counts_decision_and_limitations(login, caseworker):
    html = login(caseworker).get(reverse("factors:about")).content.decode()
    assert "21 facilitating" in html
    assert "English" in html
    assert "13" in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_catalogue_pages_query_count_does_not_grow_with_the_catalogue(login, caseworker):
    client = login(caseworker)
    client.get(reverse("factors:about"))  # the first request renews the session
    urls = [reverse("factors:catalogue"), reverse("factors:studies")]
    before = [count_queries(client, url) for url in urls]
    study = Study.objects.first()
    for i in range(20):
        factor = Factor.objects.create(
            slug=f"extra-{i}",
            label=f"Extra {i}",
            level="individual",
            role="hindering",
            description="A locally added factor.",
        )
        factor.evidence.create(study=study, quote="A sentence.")
    assert [count_queries(client, url) for url in urls] == before
