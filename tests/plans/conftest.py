"""Fixtures for the support plan: a client with a completed assessment in which
"social support" and "access to work" are absent (to build) and "stigma" is
present (to limit), and a local service for social support."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_assessment
from tests.plans.factories import make_service

ABSENT = ["social-support-networks", "access-to-work", "indoor-exploitation-experience"]
PRESENT = ["stigma-and-labelling", "help-from-customers"]


@pytest.fixture
def assessment(client_record, caseworker):
    return make_assessment(
        client_record, caseworker, present=PRESENT, absent=ABSENT, date=dt.date(2025, 3, 1)
    )


@pytest.fixture
def peer_service(db):
    from factors.models import Factor

    return make_service(
        "Peer Circle", factors=Factor.objects.filter(slug__in=["social-support-networks"])
    )


@pytest.fixture
def no_noise(monkeypatch):
    """Suppression alone, as if the perturbation table added nothing: for tests of
    what the team view counts and withholds, not of the perturbation."""
    from assessments.reports import disclosure

    monkeypatch.setattr(disclosure, "PTABLE", (0,) * disclosure.KEY_RANGE)
