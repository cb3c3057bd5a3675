"""Free text is always escaped: script payloads typed into a client's
nationality, a finding's note, the overall notes or the search box render as
text on every page that shows them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Client
from tests.security.helpers import inline_scripts

pytestmark = pytest.mark.django_db

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def assert_escaped(html: bytes, payload: str):
    text = html.decode()
    assert payload not in text
    assert escape(payload) in text
    assert not inline_scripts(text)  # no <script> body, no on* handler


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_the_nationality_renders_as_text(as_role, records, north, payload):
    http = as_role("caseworker")
    data = {
        "reference": "N-0200",
        "team": north.pk,
        "nationality": payload,
        "data_consent_on": "2025-01-02",
        "data_consent_method": "written",
    }
    assert http.post(reverse("assessments:client_new"), data).status_code == 302
    client = Client.objects.get(reference="N-0200")
    assert client.nationality == payload  # stored as typed, escaped on output
    assert_escaped(http.get(client.get_absolute_url()).content, payload)
    assert_escaped(http.get(reverse("assessments:client_edit", args=[client.pk])).content, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_the_notes_renders_as_text_on_form_and_results(as_role, records, payload):
    http = as_role("caseworker")
    draft = records.draft
    data = {"date": "2025-04-02", "notes": payload, "version": 1, "complete": "1"}
    for finding in draft.findings.all():
        data[f"finding_{finding.factor_id}"] = "present"
        data[f"note_{finding.factor_id}"] = payload
    response = http.post(reverse("assessments:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert_escaped(http.get(reverse("assessments:results", args=[draft.pk])).content, payload)
    assert_escaped(http.get(reverse("assessments:edit", args=[draft.pk])).content, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_shown_back_on_a_refused_form_renders_as_text(as_role, records, payload):
    data = {"date": "not a date", "notes": payload, "version": 1, "draft": "1"}
    response = as_role("caseworker").post(
        reverse("assessments:edit", args=[records.draft.pk]), data
    )
    assert response.status_code == 200
    assert_escaped(response.content, payload)


def test_a_payload_in_the_search_renders_as_text(as_role, records):
    http = as_role("caseworker")
    payload = '"><script>alert(1)</script>'
    assert_escaped(http.post(reverse("assessments:clients"), {"q": payload}).content, payload)


def test_a_payload_in_a_factor_label_renders_as_text(as_role, records):
    from factors.models import Factor

    factor = Factor.objects.get(pk=records.draft.findings.first().factor_id)
    factor.label = PAYLOADS[0]
    factor.save()
    http = as_role("caseworker")
    assert_escaped(
        http.get(reverse("assessments:edit", args=[records.draft.pk])).content, PAYLOADS[0]
    )
    assert_escaped(http.get(factor.get_absolute_url()).content, PAYLOADS[0])
