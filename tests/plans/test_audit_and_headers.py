"""Every plan page is audited against the client it concerns and never cached."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import AuditEvent
from tests.plans.factories import PLAN_KWARGS
from tests.security.helpers import Records

pytestmark = pytest.mark.django_db

GET_PAGES = sorted(name for name in PLAN_KWARGS if name not in ("plans:case_reopen",))


@pytest.fixture
def records(client_record, assessment, south):
    from tests.conftest import make_client

    return Records(
        client=client_record,
        completed=assessment,
        draft=assessment,
        south_client=make_client(south, reference="S-0001"),
    )


@pytest.mark.parametrize("name", GET_PAGES)
def test_each_plan_page_is_audited_against_its_client_and_not_stored(
    login, caseworker, records, name
):
    url = reverse(name, kwargs=PLAN_KWARGS[name](records))
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = login(caseworker).get(url)
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(id__gt=last)
    assert (event.object_type, event.object_id) == ("client", records.client.pk)
    assert event.user == caseworker
