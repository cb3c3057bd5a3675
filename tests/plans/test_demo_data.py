"""seed_demo shows the whole feature: synthetic services, plans with some
actions overdue, referrals and a closed case."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.plans.models import Case, Plan, PlanAction, Referral, Service

pytestmark = pytest.mark.django_db


def test_the_demo_has_services_plans_overdue_actions_and_referrals(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-long")
    call_command("seed_demo", stdout=io.StringIO())
    assert Service.objects.count() == 5
    assert all(s.name.startswith("Demo:") for s in Service.objects.all())
    assert not Service.objects.filter(factors__action__in=["context", "caution"]).exists()
    assert Plan.objects.filter(client__reference__startswith="DEMO-").count() == 8
    overdue = PlanAction.objects.filter(status__in=PlanAction.OPEN, due_on__lt=timezone.localdate())
    assert overdue.count() == 8
    assert Referral.objects.exists()
    assert Case.objects.closed().count() == 1

    call_command("seed_demo", stdout=io.StringIO())  # again: nothing doubles
    assert Plan.objects.count() == 8 and Service.objects.count() == 5


def test_the_catalogue_admin_does_not_see_the_team_plans(login, catalogue_admin):
    from django.urls import reverse

    assert login(catalogue_admin).get(reverse("plans:team")).status_code == 403
