"""The audit page a manager can read: filters by user, action and dates (bad
values are a clear message, never a 500), a link on each row to its record
where the viewer may open it (and no link, no hint otherwise), draft saves
that do not flood it, and pages that cost the same queries however long."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AuditEvent
from tests.conftest import make_client

pytestmark = pytest.mark.django_db

AUDIT = "/audit/"


def event(records, *, username="owner", action="view", at=None, client=None):
    client = client or records.client
    return AuditEvent.objects.create(
        username=username,
        action=action,
        object_type="client",
        object_id=client.pk,
        team=client.team,
        at=at or timezone.now(),
    )


def rows(response) -> list[str]:
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr>")[1:] if "Nothing" not in row]


def test_the_trail_is_filtered_by_user(as_role, records):
    event(records, username="owner")
    event(records, username="teammate")
    response = as_role("supervisor").get(AUDIT, {"user": "teammate"})
    assert len(rows(response)) == 1 and ">teammate<" in rows(response)[0]


def test_the_trail_is_filtered_by_action(as_role, records):
    event(records, action="view")
    event(records, action="export")
    response = as_role("supervisor").get(AUDIT, {"action": "export"})
    assert [("Exported" in r) for r in rows(response)] == [True]


def test_the_trail_is_filtered_by_dates_inclusive(as_role, records):
    for day in (1, 2, 3, 4):
        event(records, at=dt.datetime(2025, 6, day, 12, tzinfo=dt.UTC))
    dates = {"date_from": "2025-06-02", "date_to": "2025-06-03"}
    response = as_role("supervisor").get(AUDIT, dates)
    assert len(rows(response)) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2025-13-45"}, "Enter a valid date."),
        ({"date_from": "2025-06-03", "date_to": "2025-06-01"}, "on or after the start date"),
        ({"action": "drop table"}, "Select a valid choice."),
        ({"user": "<script>"}, "letters, digits"),
        ({"user": "x" * 151}, "at most 150 characters"),
        ({"date_to": "0001-01-01"}, "between 2000 and 9998"),
    ],
)
def test_bad_filters_are_a_clear_message_and_list_nothing(as_role, records, params, message):
    event(records)
    response = as_role("supervisor").get(AUDIT, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'id="filter-errors"' in html
    assert 'id="audit-table"' not in html


def test_the_page_links_keep_the_filters(as_role, records, settings):
    settings.CLIENTS_PER_PAGE = 1  # two rows a page
    for _ in range(5):
        event(records, action="export")
    html = as_role("supervisor").get(AUDIT, {"action": "export"}).content.decode()
    assert "?action=export&amp;page=2" in html


def test_each_row_links_to_its_record_where_the_viewer_may_open_it(as_role, records):
    as_role("caseworker").get(records.client.get_absolute_url())
    as_role("caseworker").get(reverse("assessments:results", args=[records.completed.pk]))
    html = as_role("supervisor").get(AUDIT).content.decode()
    assert f'href="/clients/{records.client.pk}/"' in html
    assert f'href="/assessments/{records.completed.pk}/"' in html


def test_an_erased_record_has_no_link_and_no_hint(as_role, records):
    http = as_role("supervisor")
    pk = records.client.pk
    http.get(records.client.get_absolute_url())
    http.post(reverse("assessments:client_erase", args=[pk]), {"confirm": "N-0001"})
    html = http.get(AUDIT).content.decode()
    assert f'href="/clients/{pk}/"' not in html
    # the same plain text as for any record the viewer may not open
    assert f"<td>Client #{pk}</td>" in html


def test_a_record_that_left_the_viewers_teams_has_no_link(as_role, records, south):
    as_role("caseworker").get(records.client.get_absolute_url())
    type(records.client).objects.filter(pk=records.client.pk).update(team=south)
    html = as_role("supervisor").get(AUDIT).content.decode()
    # the row stays in the North trail (team at the time), without a way in
    assert f"Client #{records.client.pk}" in html
    assert f'href="/clients/{records.client.pk}/"' not in html


def test_draft_saves_by_one_person_are_listed_once_per_stretch(as_role, records, settings):
    settings.AUDIT_DRAFT_MINUTES = 15
    http = as_role("caseworker")
    url = reverse("assessments:edit", args=[records.draft.pk])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for version in range(1, 6):
            http.post(url, {"date": "2025-04-02", "version": version, "draft": "1"})
            http.get(url)
            clock.shift(dt.timedelta(minutes=2))
        saves = AuditEvent.objects.filter(action="change", detail="draft saved")
        views = AuditEvent.objects.filter(action="view", detail="form")
        assert (saves.count(), views.count()) == (1, 1)
        clock.shift(dt.timedelta(minutes=10))  # 20 minutes after the first save
        response = http.post(url, {"date": "2025-04-02", "version": 6, "draft": "1"})
        assert response["Location"] == url
        assert saves.count() == 2
    records.draft.refresh_from_db()
    assert records.draft.version == 7  # every save was saved, only the trail is folded


def test_draft_saves_by_two_people_are_listed_for_each(as_role, records):
    url = reverse("assessments:edit", args=[records.draft.pk])
    as_role("caseworker").post(url, {"date": "2025-04-02", "version": 1, "draft": "1"})
    as_role("teammate").post(url, {"date": "2025-04-02", "version": 2, "draft": "1"})
    saves = AuditEvent.objects.filter(action="change", detail="draft saved")
    assert sorted(saves.values_list("username", flat=True)) == ["owner", "teammate"]


def queries_for(http, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(AUDIT, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["supervisor", "superuser"])
def test_a_page_of_the_trail_costs_the_same_queries_however_many_rows(
    as_role, records, north, role
):
    http = as_role(role)
    http.get(AUDIT)  # the first request of a session also renews it
    event(records)
    as_role("caseworker").get(reverse("assessments:results", args=[records.completed.pk]))
    few = queries_for(http, {})
    for n in range(30):
        client = make_client(north, reference=f"N-{n + 100}")
        event(records, client=client)
        AuditEvent.objects.create(
            username="owner",
            action="view",
            object_type="assessment",
            object_id=records.completed.pk,
            team=north,
        )
    assert queries_for(http, {}) == few
    assert queries_for(http, {"page": 2}) == few
    assert few <= 12
