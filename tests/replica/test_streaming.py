"""With a real streaming replica: a report reads there, and a caseworker's own
pages read the primary, so they show a change at once, before any replication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.reports.disclosure import MAX_CHANGE
from exitsupport.db_router import REPLICA
from tests.conftest import make_assessment, make_client
from tests.replica.conftest import caught_up

# Committed data (the replica sees nothing of a transaction left open); without a
# replica the ``replica`` fixture skips (or fails, in CI) before any query.
DATABASES = ["default", REPLICA] if REPLICA in settings.DATABASES else ["default"]
pytestmark = pytest.mark.django_db(transaction=True, databases=DATABASES)

REPORT = reverse("assessments:report") + "?start=2025-01-01&end=2025-06-30"


def touches(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries if table in q["sql"]]


def test_the_replica_is_a_standby_of_the_primary(replica):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is False
    assert replica.settings_dict["PORT"] != connections["default"].settings_dict["PORT"]


def test_the_report_reads_the_caseload_from_the_replica(replica, client, north, supervisor):
    for k in range(12):
        make_assessment(make_client(north, reference=f"R-{k}"), date=dt.date(2025, 2, 1))
    caught_up()
    client.force_login(supervisor)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as standby,
    ):
        response = client.get(REPORT)
    assert response.status_code == 200
    # counted on the replica (and perturbed by at most MAX_CHANGE, as every published count)
    assert abs(response.context["report"].clients.value - 12) <= MAX_CHANGE
    # the caseload's figures (the rows the triggers keep per completed assessment) are
    # read on the replica; the primary reads neither them nor the assessments
    assert touches(standby.captured_queries, "assessments_reportfigures")
    assert not touches(primary.captured_queries, "assessments_reportfigures")
    assert not touches(primary.captured_queries, "assessments_assessment")
    # who may see which team is read from the primary: a change of team counts at once
    assert touches(primary.captured_queries, '"assessments_team"')
    assert not touches(standby.captured_queries, '"assessments_team"')
    # what every signed-in request pays, and the audit record, stay on the primary
    assert touches(primary.captured_queries, "django_session")
    assert touches(primary.captured_queries, 'INSERT INTO "assessments_auditevent"')


def test_a_caseworkers_own_page_reads_the_primary_right_after_a_change(
    replica, client, north, caseworker
):
    record = make_client(north, caseworker, reference="N-0001")
    client.force_login(caseworker)
    with CaptureQueriesContext(replica) as standby:
        started = client.post(reverse("assessments:start", args=[record.pk]))
        page = client.get(reverse("assessments:client", args=[record.pk]))
    assert started.status_code == 302
    assert page.status_code == 200
    assert started["Location"] in page.content.decode()  # the new draft, listed at once
    assert not standby.captured_queries
