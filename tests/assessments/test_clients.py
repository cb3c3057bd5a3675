"""Client records: pseudonymous, consent recorded and withdrawable, search by POST."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import AuditEvent, Client
from factors.models import Factor, Role
from tests.conftest import make_assessment, make_client

pytestmark = pytest.mark.django_db


def client_form(team, caseworker, **extra):
    data = {
        "reference": "NEW-001",
        "team": team.pk,
        "caseworker": caseworker.pk,
        "age_group": "adult",
        "route": "transnational",
        "setting": "indoor",
        "nationality": "Nigeria",
        "data_consent_on": "2025-02-01",
        "data_consent_method": "verbal",
        "stats_consent_on": "2025-02-01",
    }
    data.update(extra)
    return data


def test_the_form_warns_not_to_enter_identifying_details(login, caseworker):
    html = login(caseworker).get(reverse("assessments:client_new")).content.decode()
    assert "Do not enter names" in html


def test_a_caseworker_creates_a_client_of_their_team(login, caseworker, north):
    response = login(caseworker).post(
        reverse("assessments:client_new"), client_form(north, caseworker)
    )
    client = Client.objects.get(reference="NEW-001")
    assert response.url == client.get_absolute_url()
    assert (client.team, client.caseworker, client.route) == (north, caseworker, "transnational")
    assert AuditEvent.objects.filter(action="create", object_id=client.pk).exists()


def test_a_form_with_errors_comes_back_with_everything_typed(login, caseworker, north):
    data = client_form(north, caseworker, reference="has a space!", data_consent_on="31/31/2025")
    response = login(caseworker).post(reverse("assessments:client_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Never a name" in html
    assert 'value="has a space!"' in html and 'value="Nigeria"' in html
    assert response.context["form"].data["route"] == "transnational"
    assert not Client.objects.exists()


def test_references_are_unique_in_the_team(login, caseworker, north):
    make_client(north, reference="DUP-1")
    response = login(caseworker).post(
        reverse("assessments:client_new"), client_form(north, caseworker, reference="DUP-1")
    )
    assert response.status_code == 200
    assert "A client of this team already has this reference." in response.content.decode()
    assert Client.objects.filter(reference="DUP-1").count() == 1


def test_another_teams_reference_is_accepted_so_that_it_reveals_nothing(
    login, caseworker, north, south
):
    make_client(south, reference="DUP-1")
    response = login(caseworker).post(
        reverse("assessments:client_new"), client_form(north, caseworker, reference="DUP-1")
    )
    assert response.status_code == 302
    assert Client.objects.filter(reference="DUP-1", team=north).exists()


def test_a_team_the_user_is_not_in_cannot_be_chosen(login, caseworker, south):
    data = client_form(south, caseworker)
    response = login(caseworker).post(reverse("assessments:client_new"), data)
    assert response.status_code == 200
    assert not Client.objects.exists()


def test_withdrawing_consent_records_when_and_stops_new_assessments(
    login, caseworker, client_record
):
    client = login(caseworker)
    url = reverse("assessments:client_consent_withdraw", args=[client_record.pk, "data"])
    client.post(url)
    client_record.refresh_from_db()
    assert client_record.data_consent_withdrawn_at is not None
    html = client.get(client_record.get_absolute_url()).content.decode()
    assert "Withdrawn" in html and "New assessment" not in html


def test_withdrawing_statistics_consent_takes_the_client_out_of_statistics(
    login, caseworker, client_record
):
    assert client_record.counts_in_statistics
    login(caseworker).post(
        reverse("assessments:client_consent_withdraw", args=[client_record.pk, "stats"])
    )
    client_record.refresh_from_db()
    assert not client_record.counts_in_statistics and client_record.has_data_consent


def test_search_is_posted_and_kept_out_of_the_url_and_the_session(login, caseworker, north):
    make_client(north, caseworker, reference="ALPHA-1")
    make_client(north, caseworker, reference="BETA-2")
    client = login(caseworker)
    response = client.post(reverse("assessments:clients"), {"q": "alpha"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "ALPHA-1" in page and "BETA-2" not in page
    assert "alpha" not in str(dict(client.session)).lower()
    assert "BETA-2" in client.get(reverse("assessments:clients")).content.decode()
    cleared = client.post(reverse("assessments:clients"), {"q": "alpha", "clear": "1"})
    assert "BETA-2" in cleared.content.decode()


def test_search_results_page_on_without_losing_the_search(login, caseworker, north, settings):
    settings.CLIENTS_PER_PAGE = 2
    for n in range(5):
        make_client(north, caseworker, reference=f"ALPHA-{n}")
    make_client(north, caseworker, reference="BETA-9")
    response = login(caseworker).post(reverse("assessments:clients"), {"q": "alpha", "page": 3})
    page = response.content.decode()
    assert "ALPHA-4" in page and "ALPHA-0" not in page and "BETA-9" not in page
    assert 'name="page" value="2"' in page


def test_the_list_shows_only_the_users_teams(login, caseworker, north, south):
    make_client(north, reference="MINE-1")
    make_client(south, reference="THEIRS-1")
    html = login(caseworker).get(reverse("assessments:clients")).content.decode()
    assert "MINE-1" in html and "THEIRS-1" not in html


def test_a_bad_page_number_is_not_an_error(login, caseworker):
    client = login(caseworker)
    for page in ["abc", "-1", "999999", "1e9"]:
        assert client.get(reverse("assessments:clients"), {"page": page}).status_code == 200


def test_no_assessment_can_be_started_after_consent_to_record_data_is_withdrawn(
    login, caseworker, client_record
):
    client = login(caseworker)
    client.post(reverse("assessments:client_consent_withdraw", args=[client_record.pk, "data"]))
    response = client.post(reverse("assessments:start", args=[client_record.pk]))
    assert response.url == client_record.get_absolute_url()
    assert not client_record.assessments.exists()


def test_the_sign_in_page_states_the_configured_lockout_policy(client, settings):
    settings.AXES_FAILURE_LIMIT = 7
    settings.AXES_COOLOFF_TIME = 0.25
    html = client.get(reverse("login")).content.decode()
    assert "After 7 failed attempts, sign-in is paused for 15 minutes." in html


def test_a_listing_finds_the_same_clients_as_the_scoped_queryset(caseworker, north, south):
    make_client(north, caseworker)
    make_client(south, None)
    listed = Client.objects.for_user(caseworker, listing=True)
    assert set(listed) == set(Client.objects.for_user(caseworker))
    assert {c.team for c in listed} == {north}


def test_the_client_list_reads_teams_and_permissions_once(
    login, caseworker, north, django_assert_num_queries
):
    client = login(caseworker)
    client.get(reverse("assessments:clients"))  # the first request renews the session
    for _ in range(3):
        make_client(north, caseworker)
    # session, user, permissions, teams, count, the page of clients
    with django_assert_num_queries(6):
        assert client.get(reverse("assessments:clients")).status_code == 200


def test_the_client_page_reads_the_assessments_once_for_the_list_and_the_progress(
    login, caseworker, client_record, django_assert_num_queries
):
    slugs = list(Factor.objects.values_list("slug", flat=True)[:3])
    make_assessment(client_record, present=slugs[:2], date=dt.date(2025, 1, 5))
    make_assessment(client_record, present=slugs[1:], date=dt.date(2025, 6, 5))
    make_assessment(client_record, completed=False, date=dt.date(2025, 9, 5))
    client = login(caseworker)
    url = reverse("assessments:client", args=[client_record.pk])
    client.get(url)  # the first request renews the session
    # session, user, the client, permissions, its assessments, the audit row,
    # the present findings of the latest two completed, the plans panel
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    now_present = html.split('id="now-present"')[1].split("</ul>")[0]
    gone = html.split('id="no-longer-present"')[1].split("</ul>")[0]
    labels = dict(Factor.objects.filter(slug__in=slugs).values_list("slug", "label"))
    assert labels[slugs[2]] in now_present and labels[slugs[0]] in gone


def test_the_list_counts_its_pages_without_joining_or_reading_assessments(
    login, caseworker, north, south, settings
):
    """The paginator's count has the list's filters (the user's teams, the
    search) and nothing of what the rows show."""
    settings.CLIENTS_PER_PAGE = 2
    for n in range(5):
        make_assessment(make_client(north, caseworker, reference=f"ALPHA-{n}"))
    make_client(north, caseworker, reference="BETA-9")
    make_client(south, reference="ALPHA-THEIRS")
    client = login(caseworker)
    with CaptureQueriesContext(connection) as listing:
        page = client.get(reverse("assessments:clients"), {"page": 2}).content.decode()
    assert "Page 2 of 3" in page
    with CaptureQueriesContext(connection) as search:
        found = client.post(reverse("assessments:clients"), {"q": "alpha", "page": 3})
    assert "Page 3 of 3" in found.content.decode() and "ALPHA-4" in found.content.decode()
    for captured in (listing, search):
        (count,) = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
        assert "JOIN" not in count and "assessments_assessment" not in count


def test_each_row_shows_the_latest_assessments_date_and_status(login, caseworker, north):
    make_assessment(make_client(north, caseworker, reference="A-DONE"), date=dt.date(2025, 3, 9))
    draft = make_client(north, caseworker, reference="B-DRAFT")
    make_assessment(draft, date=dt.date(2025, 1, 2))
    make_assessment(draft, completed=False, date=dt.date(2025, 4, 7))
    make_client(north, caseworker, reference="C-NONE")
    http = login(caseworker)
    rows = http.get(reverse("assessments:clients")).content.decode().split("<tr>")[2:]
    assert '9 Mar 2025 <span class="badge text-bg-success">completed</span>' in rows[0]
    assert '7 Apr 2025 <span class="badge text-bg-secondary">draft</span>' in rows[1]
    assert '<span class="text-muted">none yet</span>' in rows[2]
    spanish = http.get(reverse("assessments:clients"), HTTP_ACCEPT_LANGUAGE="es")
    rows = spanish.content.decode().split("<tr>")[2:]
    assert "9 de marzo de 2025" in rows[0] and ">completada<" in rows[0]


def test_the_progress_panel_labels_each_factors_role_in_the_pages_language(
    login, caseworker, client_record
):
    factors = list(Factor.objects.order_by("pk")[:2])
    make_assessment(client_record, present=[factors[0].slug], date=dt.date(2025, 1, 5))
    make_assessment(client_record, present=[factors[1].slug], date=dt.date(2025, 6, 5))
    http = login(caseworker)
    for language in ("en", "es"):
        with translation.override(language):
            expected = [f'role-badge-{f.role}">{Role(f.role).label}</span>' for f in factors]
        html = http.get(client_record.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        html = html.content.decode()
        assert expected[1] in html.split('id="now-present"')[1].split("</ul>")[0]
        assert expected[0] in html.split('id="no-longer-present"')[1].split("</ul>")[0]
