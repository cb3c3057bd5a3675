"""Catalogue admins keep the local services directory in the admin site; only
factors to act on can be chosen, and changes keep their history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.plans.models import Service
from factors.models import Factor

pytestmark = pytest.mark.django_db


def test_a_catalogue_admin_adds_a_service_with_its_factors(login, catalogue_admin):
    work = Factor.objects.get(slug="access-to-work")
    response = login(catalogue_admin).post(
        reverse("admin:assessments_service_add"),
        {
            "name": "Work Ready",
            "offers": "Training and placements",
            "contact": "0100",
            "languages": "English",
            "eligibility": "",
            "active": "on",
            "factors": [work.pk],
        },
    )
    assert response.status_code == 302
    service = Service.objects.get()
    assert list(service.factors.all()) == [work]
    assert service.history.exists()


def test_context_and_caution_factors_cannot_be_chosen(login, catalogue_admin):
    context = Factor.objects.get(slug="indoor-exploitation-experience")
    html = login(catalogue_admin).get(reverse("admin:assessments_service_add")).content.decode()
    assert Factor.objects.get(slug="access-to-work").label in html
    assert f'value="{context.pk}"' not in html


def test_catalogue_admins_see_no_client_records_in_the_admin(login, catalogue_admin):
    html = login(catalogue_admin).get(reverse("admin:index")).content.decode()
    assert reverse("admin:assessments_service_changelist") in html
    assert "/admin/assessments/client/" not in html and "/admin/assessments/plan/" not in html


def test_a_caseworker_cannot_edit_the_directory(login, caseworker):
    response = login(caseworker).get(reverse("admin:assessments_service_add"))
    assert response.status_code in (302, 403)


def test_services_are_suggested_for_factors_to_build_or_limit_not_to_sustain(peer_service):
    from assessments.plans.models import FocusFactor
    from assessments.plans.services import services_to_suggest

    (factor,) = peer_service.factors.all()
    for kind in (FocusFactor.Kind.BUILD, "limit"):
        assert services_to_suggest([(factor.pk, kind)]) == {factor.pk: [peer_service]}
    assert services_to_suggest([(factor.pk, FocusFactor.Kind.SUSTAIN)]) == {}
