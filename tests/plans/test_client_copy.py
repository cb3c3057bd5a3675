"""The client's own copy: her focus factors in everyday words, the actions,
the services and the next review; no notes, no jargon, no studies unless asked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import AuditEvent
from assessments.plans.models import FocusFactor
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(assessment):
    plan = make_plan(assessment, factor_slug="social-support-networks")
    FocusFactor.objects.filter(plan=plan).update(client_words="private words from the session")
    return plan


def test_the_copy_speaks_in_everyday_words_and_leaves_out_notes_and_labels(login, caseworker, plan):
    html = login(caseworker).get(reverse("plans:copy", args=[plan.pk])).content.decode()
    assert "people I can count on" in html
    assert "Visit the women&#x27;s group" in html and "you, by 1 April 2025" in html
    assert "1 June 2025" in html  # the next review
    assert "Housing First North" in html  # the service she was referred to
    assert "private words from the session" not in html
    assert "Social support and support networks" not in html  # the catalogue's label
    assert "Ferrari" not in html.split("<footer")[0]
    assert "large-print" not in html


def test_the_studies_and_large_print_come_only_when_asked_for(login, caseworker, plan):
    url = reverse("plans:copy", args=[plan.pk]) + "?large=1&studies=1"
    html = login(caseworker).get(url).content.decode()
    assert "client-copy large-print" in html
    assert "Where the idea comes from" in html


@pytest.mark.parametrize("query", ["?large=yes", "?studies=2"])
def test_a_malformed_option_is_a_404(login, caseworker, plan, query):
    url = reverse("plans:copy", args=[plan.pk]) + query
    assert login(caseworker).get(url).status_code == 404


def test_printing_the_copy_is_audited_and_never_cached(login, caseworker, plan):
    response = login(caseworker).get(reverse("plans:copy", args=[plan.pk]))
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(detail=f"plan {plan.pk} client copy").exists()
