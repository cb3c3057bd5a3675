"""Identifying details stay out: references follow a safe pattern, and notes
that seem to hold a phone number, an e-mail or an address need a confirmation."""

import pytest
from django.urls import reverse

from assessments.identifiers import identifying_details
from assessments.models import Assessment, Finding
from factors.models import Factor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Call her on 07700 900123", "a phone number"),
        ("+44 7700 900 123", "a phone number"),
        ("maria.gonzalez@example.org", "an e-mail address"),
        ("Lives at 12 High Street now", "a street address"),
        ("Calle Mayor 5", "a street address"),
        ("Hauptstraße 12", "a street address"),
        ("Flat 3", "a street address"),
        ("Near SW1A 1AA", "a postcode"),
    ],
)
def test_identifying_details_are_found(text, kind):
    assert kind in identifying_details(text)


@pytest.mark.parametrize(
    "text",
    [
        "Discussed at the first meeting",
        "Has 2 close friends she trusts",
        "Went to court 3 times in 2024",
        "Met on 12/05/2024 at 10:30",
    ],
)
def test_ordinary_notes_pass(text):
    assert identifying_details(text) == []


def client_data(north, caseworker, reference):
    return {
        "reference": reference,
        "team": north.pk,
        "caseworker": caseworker.pk,
        "data_consent_on": "2025-01-02",
        "data_consent_method": "written",
    }


@pytest.mark.parametrize(
    "reference", ["Maria.Gonzalez", "07700900123", "MG", "maria@example.org", "MARIA-GONZALEZ"]
)
def test_a_reference_that_could_identify_someone_is_refused(login, caseworker, north, reference):
    response = login(caseworker).post(
        reverse("assessments:client_new"), client_data(north, caseworker, reference)
    )
    assert response.status_code == 200
    assert "Use a code like N-0042" in response.content.decode()


@pytest.mark.parametrize("reference", ["N-0042", "DEMO-N-001", "BR-7"])
def test_a_good_reference_is_accepted(login, caseworker, north, reference):
    response = login(caseworker).post(
        reverse("assessments:client_new"), client_data(north, caseworker, reference)
    )
    assert response.status_code == 302


def test_the_reference_pattern_is_a_setting(login, caseworker, north, settings):
    settings.CLIENT_REFERENCE_PATTERN = r"^\d{4}-\d{3}$"
    settings.CLIENT_REFERENCE_EXAMPLE = "2025-017"
    http = login(caseworker)
    refused = http.post(reverse("assessments:client_new"), client_data(north, caseworker, "N-1"))
    assert "Use a code like 2025-017" in refused.content.decode()
    data = client_data(north, caseworker, "2025-017")
    assert http.post(reverse("assessments:client_new"), data).status_code == 302


def test_the_reference_help_says_what_a_good_one_looks_like(login, caseworker):
    html = login(caseworker).get(reverse("assessments:client_new")).content.decode()
    assert "A code like N-0042" in html


def test_an_existing_reference_may_stay_as_it_is(login, caseworker, north):
    from tests.conftest import make_client

    old = make_client(north, caseworker, reference="OLDSTYLE1")
    data = client_data(north, caseworker, "OLDSTYLE1")
    response = login(caseworker).post(reverse("assessments:client_edit", args=[old.pk]), data)
    assert response.status_code == 302


@pytest.fixture
def draft(client_record, caseworker):
    return Assessment.objects.create(client=client_record, caseworker=caseworker)


def note_post(draft, note, **extra):
    first = Factor.objects.first()
    data = {"date": "2025-04-01", "version": draft.version, "draft": "1"}
    data[f"finding_{first.pk}"] = "present"
    data[f"note_{first.pk}"] = note
    data.update(extra)
    return data


def test_a_note_with_a_phone_number_is_not_saved_without_a_confirmation(login, caseworker, draft):
    note = "Her sister's number is 07700 900123"
    response = login(caseworker).post(
        reverse("assessments:edit", args=[draft.pk]), note_post(draft, note)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This seems to hold a phone number" in html
    assert "I have checked these notes" in html
    assert "Her sister&#x27;s number is 07700 900123" in html  # the typed text is kept
    assert not Finding.objects.filter(note=note).exists()


def test_a_confirmed_note_is_saved_as_it_is(login, caseworker, draft):
    note = "Shelter office: 12 High Street (public address)"
    login(caseworker).post(
        reverse("assessments:edit", args=[draft.pk]),
        note_post(draft, note, confirm_identifying="on"),
    )
    assert Finding.objects.filter(assessment=draft, note=note).exists()
