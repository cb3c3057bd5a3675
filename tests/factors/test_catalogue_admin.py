"""Catalogue admins set how each factor is acted on (with history), and the
practice guidance records who last changed it and when."""

import pytest
from django.urls import reverse

from factors.models import Action, Factor
from tests.security.helpers import factor_change_data

pytestmark = pytest.mark.django_db


def change(http, factor, **changes):
    url = reverse("admin:factors_factor_change", args=[factor.pk])
    response = http.post(url, factor_change_data(factor, **changes))
    assert response.status_code == 302, response.content[:3000]
    factor.refresh_from_db()


@pytest.fixture
def admin_http(client, catalogue_admin):
    client.force_login(catalogue_admin)
    return client


def test_a_catalogue_admin_changes_the_way_of_acting_and_history_keeps_the_old_one(admin_http):
    factor = Factor.objects.get(slug="help-from-companions")
    change(admin_http, factor, action=Action.ACTIONABLE)
    assert factor.action == Action.ACTIONABLE
    latest, previous = factor.history.all()[:2]
    assert (previous.action, latest.action) == (Action.CAUTION, Action.ACTIONABLE)


def test_the_changelist_shows_and_filters_by_the_way_of_acting(admin_http):
    url = reverse("admin:factors_factor_changelist")
    html = admin_http.get(url, {"action__exact": "caution"}).content.decode()
    assert "Help from customers (sex buyers)" in html
    assert "Access to work" not in html


def test_changing_the_guidance_records_who_and_when(admin_http, catalogue_admin):
    factor = Factor.objects.get(slug="access-to-work")
    change(admin_http, factor, guidance="Our rewritten advice.")
    assert factor.guidance_updated_by == catalogue_admin
    assert factor.guidance_updated_at is not None


def test_changing_another_field_leaves_the_guidance_authorship_alone(admin_http):
    factor = Factor.objects.get(slug="access-to-work")
    change(admin_http, factor, label="Access to work and jobs")
    assert factor.guidance_updated_at is None and factor.guidance_updated_by is None


def test_the_reviews_discussion_sentence_cannot_be_edited(admin_http):
    factor = Factor.objects.get(slug="family")
    original = factor.discussion_quote
    change(admin_http, factor, discussion_quote="Rewritten.")
    assert factor.discussion_quote == original


def test_a_local_factors_discussion_sentence_can_be_edited(admin_http):
    factor = Factor.objects.get(slug="family")
    Factor.objects.filter(pk=factor.pk).update(source="local")
    factor.refresh_from_db()
    change(admin_http, factor, discussion_quote="A newer study's discussion.")
    assert factor.discussion_quote == "A newer study's discussion."
