"""Each client's latest completed assessment is kept in step with the assessments:
after any sequence of completing, reopening, deleting and erasing, the maintained
rows equal a full recomputation, and the report's figures computed from them
equal the report's own computation from the assessments."""

from __future__ import annotations

import datetime as dt
import io
from itertools import count

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import latest
from assessments.models import Assessment, Client, LatestCompleted
from assessments.reports import compute_report
from assessments.services import save_assessment
from tests.conftest import make_assessment, make_client
from tests.reports.conftest import filters_for

pytestmark = pytest.mark.django_db(transaction=False)

FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 250  # about three quarters: ties on the same day and in the same quarter are common

REFERENCES = count()
days = st.integers(0, DAYS)
operation = st.one_of(
    st.tuples(st.just("complete"), st.integers(0, 3), days),
    st.tuples(st.just("create_completed"), st.integers(0, 3), days),
    st.tuples(st.just("draft"), st.integers(0, 3), days),
    st.tuples(st.just("reopen"), st.integers(0, 50)),
    st.tuples(st.just("recomplete"), st.integers(0, 50), days),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("erase"), st.integers(0, 3)),
)


def day(offset: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=offset)


def complete(assessment: Assessment, on: dt.date, *, complete: bool = True) -> None:
    """As the assessment form does."""
    save_assessment(
        assessment,
        expected_version=assessment.version,
        date=on,
        stage="action" if on.day % 2 else "preparation",
        notes="",
        answers={},
        factors=[],
        complete=complete,
    )


def apply(step: tuple, team, clients: list[Client]) -> None:
    kind, *args = step
    assessments = list(Assessment.objects.order_by("pk"))
    if kind in ("complete", "create_completed", "draft"):
        index, offset = args
        if index >= len(clients):
            clients.append(
                make_client(team, reference=f"H-{next(REFERENCES)}", stats_consent_on=day(0))
            )
            index = len(clients) - 1
        client = clients[index]
        if kind == "create_completed":  # as the admin or a fixture would
            make_assessment(client, date=day(offset), stage="action")
            return
        assessment = Assessment.objects.create(client=client)
        complete(assessment, day(offset), complete=kind == "complete")
    elif kind == "reopen" and assessments:
        assessment = assessments[args[0] % len(assessments)]
        if assessment.is_completed:
            assessment.reopen()
    elif kind == "recomplete" and assessments:
        assessment = assessments[args[0] % len(assessments)]
        if not assessment.is_completed:
            complete(assessment, day(args[1]))
    elif kind == "delete" and assessments:
        assessments[args[0] % len(assessments)].delete()
    elif kind == "erase" and clients:
        clients.pop(args[0] % len(clients)).delete()


def report_figures(raw) -> tuple:
    return (
        raw.clients,
        raw.excluded,
        raw.assessments,
        {k: v for k, v in raw.present.items() if v},
        {k: v for k, v in raw.stages.items() if v},
        raw.quarter_clients,
        raw.quarter_present,
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(operation, min_size=1, max_size=14),
    period=st.tuples(days, days),
    consent=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_the_maintained_rows_always_equal_a_full_recomputation(north, steps, period, consent):
    with transaction.atomic():
        clients = [
            make_client(
                north,
                reference=f"H-{next(REFERENCES)}",
                stats_consent_on=day(0) if consent[k] else None,
            )
            for k in range(2)
        ]
        for step in steps:
            apply(step, north, clients)
            assert latest.stored_rows() == latest.expected_rows(), step

        # The report's figures from the rows equal those rescanned from the assessments,
        # for any period (one that ends before the latest assessments included).
        start, end = sorted(day(offset) for offset in period)
        filters = filters_for([north], start=start, end=end)
        counts = latest.report_counts(Client.objects.filter(team=north), start, end)
        assert report_figures(counts) == report_figures(compute_report(filters))
        transaction.set_rollback(True)


def test_completing_an_assessment_makes_it_the_clients_latest(north):
    client = make_client(north, reference="A")
    earlier = make_assessment(client, date=dt.date(2025, 2, 1))
    assessment = Assessment.objects.create(client=client)
    complete(assessment, dt.date(2025, 3, 1))
    row = LatestCompleted.objects.get(is_latest=True)
    assert (row.assessment_id, row.quarter) == (assessment.pk, dt.date(2025, 1, 1))
    assert not LatestCompleted.objects.filter(assessment=earlier).exists()  # same quarter


def test_reopening_the_latest_returns_to_the_one_before(north):
    client = make_client(north, reference="A")
    earlier = make_assessment(client, date=dt.date(2024, 11, 1))
    later = make_assessment(client, date=dt.date(2025, 3, 1))
    later.reopen()
    assert list(LatestCompleted.objects.values_list("assessment_id", "is_latest")) == [
        (earlier.pk, True)
    ]


def test_erasing_a_client_erases_their_rows(north):
    client = make_client(north, reference="A")
    make_assessment(client)
    client.delete()
    assert not LatestCompleted.objects.exists()


def test_rebuild_latest_recomputes_rows_written_outside_the_app(north):
    client = make_client(north, reference="A")
    assessment = make_assessment(client, date=dt.date(2025, 3, 1))
    LatestCompleted.objects.all().delete()  # as after SQL by hand
    Assessment.objects.filter(pk=assessment.pk).update(completed_at=timezone.now())
    out = io.StringIO()
    call_command("rebuild_latest", stdout=out)
    assert "Rebuilt 1 rows" in out.getvalue()
    assert latest.stored_rows() == latest.expected_rows() != set()
