"""What changed, factor by factor, across all completed assessments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Finding
from assessments.progress import timeline_for
from factors.models import Factor
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(client_record, caseworker):
    """Three completed assessments; one factor goes present → absent → not
    assessed, another only has its note changed, the stage moves forward."""
    factors = list(Factor.objects.active())
    moving, noted = factors[0], factors[1]
    first = make_assessment(
        client_record, caseworker, present={moving.slug}, date=dt.date(2025, 1, 1),
        stage="contemplation",
    )  # fmt: skip
    second = make_assessment(client_record, caseworker, date=dt.date(2025, 4, 1), stage="action")
    third = make_assessment(
        client_record, caseworker, absent=set(), date=dt.date(2025, 7, 1), stage="action"
    )
    Finding.objects.filter(assessment=third).exclude(factor=moving).update(status="absent")
    Finding.objects.filter(factor=noted, assessment=second).update(note="New job")
    make_assessment(client_record, caseworker, completed=False, date=dt.date(2025, 8, 1))
    return moving, noted, (first, second, third)


def test_every_status_change_is_on_the_timeline(client_record, history):
    moving, noted, assessments = history
    timeline = timeline_for(client_record)
    assert timeline.assessments == list(assessments)  # completed only, oldest first
    line = next(line for line in timeline.factors if line.label == moving.label)
    assert [p.status for p in line.points] == ["present", "absent", "not_assessed"]
    assert [p.changed for p in line.points] == [False, True, True]
    assert line.changes == 2


def test_note_changes_and_stage_changes_are_on_the_timeline(client_record, history):
    moving, noted, _ = history
    timeline = timeline_for(client_record)
    line = next(line for line in timeline.factors if line.label == noted.label)
    assert [p.note_changed for p in line.points] == [False, True, True]
    assert [changed for _, _, changed in timeline.stages] == [False, True, False]


def test_the_timeline_page_takes_the_same_queries_however_many_assessments(
    login, caseworker, client_record, history
):
    http = login(caseworker)
    url = reverse("assessments:timeline", args=[client_record.pk])
    http.get(url)  # the first request of a session also stamps its renewal
    with CaptureQueriesContext(connection) as few:
        assert http.get(url).status_code == 200
    for day in (10, 11, 12):
        make_assessment(client_record, caseworker, date=dt.date(2025, 9, day))
    with CaptureQueriesContext(connection) as many:
        response = http.get(url)
    assert len(many) == len(few)
    assert response.content.decode().count("(changed)") >= 3


def test_the_timeline_is_linked_from_the_client_and_the_results(
    login, caseworker, client_record, history
):
    http = login(caseworker)
    url = reverse("assessments:timeline", args=[client_record.pk])
    assert url in http.get(client_record.get_absolute_url()).content.decode()
    _, _, (first, *_) = history
    assert url in http.get(reverse("assessments:results", args=[first.pk])).content.decode()


def test_another_team_gets_no_timeline(login, outsider, client_record):
    url = reverse("assessments:timeline", args=[client_record.pk])
    assert login(outsider).get(url).status_code == 404
