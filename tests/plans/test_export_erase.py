"""The client's export holds her plans, actions, referrals and case; erasing
her record erases them and their change history."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from assessments.plans.models import Case, FocusFactor, Plan, PlanAction, Referral
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


def test_the_export_includes_the_plan_and_case(login, supervisor, assessment):
    make_plan(assessment)
    Case.objects.create(client=assessment.client)
    response = login(supervisor).post(
        reverse("assessments:client_export", args=[assessment.client.pk])
    )
    record = json.loads(response.content)
    (plan,) = record["plans"]
    (focus,) = plan["focus_factors"]
    assert focus["client_words"] == "I want friends outside"
    assert focus["actions"][0]["what"] == "Visit the women's group"
    assert plan["referrals"][0]["service"] == "Housing First North"
    assert record["case"]["status"] == "open"


def test_erasing_the_client_erases_plans_and_their_history(login, supervisor, assessment):
    plan = make_plan(assessment)
    client = assessment.client
    response = login(supervisor).post(
        reverse("assessments:client_erase", args=[client.pk]), {"confirm": client.reference}
    )
    assert response.status_code == 302
    for model in (Plan, FocusFactor, PlanAction, Referral):
        assert not model.objects.exists()
        assert not model.history.exists(), model
    assert not Plan.history.filter(id=plan.pk).exists()
