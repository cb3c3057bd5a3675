"""The report's raw figures, on hand-made caseloads: who is counted, which
assessment counts for each client, and where the period starts and ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Client
from assessments.reports.compute import compute_report
from assessments.reports.periods import HALF, YEAR, periods_of, quarters_of
from assessments.reports.published import publish
from tests.conftest import make_assessment, make_client
from tests.reports.conftest import filters_for

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def caseload(north, south, slugs):
    """Seven clients whose expected figures for 2025-01-01..2025-06-30 are known."""
    f1, f2, f3 = slugs[:3]
    a = make_client(north, reference="A")
    make_assessment(a, present=[f1, f2], date=D(2025, 2, 1), stage="contemplation")
    make_assessment(a, present=[f3], date=D(2025, 6, 30), stage="action")  # last day: in
    b = make_client(north, reference="B")
    make_assessment(b, present=[f1], date=D(2025, 1, 1))  # first day: in, no stage
    make_assessment(b, present=[f2], date=D(2025, 5, 1), completed=False)  # draft: ignored
    c = make_client(north, reference="C")
    make_assessment(c, present=[f1], date=D(2024, 12, 31))  # the day before: out
    make_assessment(c, present=[f1], date=D(2025, 7, 1))  # the day after: out
    g = make_client(north, reference="G")
    make_assessment(g, present=[f1], date=D(2025, 4, 1), stage="contemplation")
    make_assessment(g, present=[f2], date=D(2025, 4, 1), stage="preparation")  # same day, later id
    no_consent = make_client(north, reference="D", stats_consent_on=None)
    make_assessment(no_consent, present=[f1, f2, f3], date=D(2025, 3, 1))
    withdrawn = make_client(north, reference="E", stats_consent_withdrawn_at=timezone.now())
    make_assessment(withdrawn, present=[f1, f2, f3], date=D(2025, 3, 1))
    no_record = make_client(north, reference="H", data_consent_withdrawn_at=timezone.now())
    make_assessment(no_record, present=[f1, f2, f3], date=D(2025, 3, 1))
    other_team = make_client(south, reference="F")
    make_assessment(other_team, present=[f1, f2, f3], date=D(2025, 3, 1))
    return f1, f2, f3


def present_by_slug(raw) -> dict[str, int]:
    return {f.slug: raw.present.get(f.id, 0) for f in raw.factors}


def test_it_counts_each_consenting_client_once_by_their_latest_completed_assessment(
    north, caseload
):
    f1, f2, f3 = caseload
    raw = compute_report(filters_for([north]))
    assert raw.clients == 3  # A, B, G
    assert raw.assessments == 5  # A 2, B 1 (the draft is not counted), G 2
    present = present_by_slug(raw)
    assert present[f1] == 1  # B: A's and G's earlier f1 are superseded
    assert present[f2] == 1  # G's later assessment of the same day
    assert present[f3] == 1  # A, on the last day of the period
    assert sum(present.values()) == 3


def test_it_counts_clients_left_out_for_lack_of_consent(north, caseload):
    # none given; statistics consent withdrawn; consent to the record withdrawn
    assert compute_report(filters_for([north])).excluded == 3


def test_a_client_who_withdrew_consent_to_the_record_no_longer_counts(north, slugs):
    clients = [make_client(north) for _ in range(3)]
    for client in clients:
        make_assessment(client, present=slugs[:1], date=D(2025, 3, 1))
    before = compute_report(filters_for([north]))
    clients[0].data_consent_withdrawn_at = timezone.now()
    clients[0].save(update_fields=["data_consent_withdrawn_at"])
    after = compute_report(filters_for([north]))
    assert (before.clients, after.clients) == (3, 2)
    assert after.present[after.factors[0].id] == 2
    assert after.key("counted") == sum(c.record_key for c in clients[1:])


def test_each_cell_carries_the_sum_of_its_clients_record_keys(north, caseload):
    raw = compute_report(filters_for([north]))
    a, b, g = (Client.objects.get(reference=r) for r in "ABG")
    ids = {f.slug: f.id for f in raw.factors}
    f1, f2, f3 = caseload
    assert raw.key("counted") == a.record_key + b.record_key + g.record_key
    assert raw.key("present", ids[f1]) == b.record_key
    assert raw.key("present", ids[f3]) == a.record_key
    assert raw.key("absent", ids[f1]) == a.record_key + g.record_key
    assert raw.key("stage", "action") == a.record_key
    assert raw.key("period", D(2025, 1, 1)) == a.record_key + b.record_key


def test_the_period_includes_its_first_and_last_day_only(north, caseload):
    f1, f2, f3 = caseload
    raw = compute_report(filters_for([north], start=D(2025, 1, 2), end=D(2025, 6, 29)))
    assert raw.clients == 2  # B's only assessment falls out; A's latest is now February
    present = present_by_slug(raw)
    assert (present[f1], present[f2], present[f3]) == (1, 2, 0)


def test_the_stages_come_from_the_latest_assessment(north, caseload):
    stages = compute_report(filters_for([north])).stages
    assert stages == {"action": 1, "": 1, "preparation": 1}


def test_absent_counts_only_factors_recorded_absent(north, slugs):
    f1, f2 = slugs[:2]
    for _ in range(2):
        make_assessment(make_client(north), present=[f1], absent=[f2], date=D(2025, 3, 1))
    raw = compute_report(filters_for([north]))
    ids = {f.slug: f.id for f in raw.factors}
    assert raw.absent[ids[f2]] == 2
    assert ids[slugs[2]] not in raw.absent  # not assessed: never counted as absent


def test_it_counts_only_the_chosen_teams(north, south, caseload):
    f1, _, _ = caseload
    assert compute_report(filters_for([south])).clients == 1
    both = compute_report(filters_for([north, south]))
    assert both.clients == 4
    assert present_by_slug(both)[f1] == 2


def test_the_client_context_filters_narrow_the_caseload(north, slugs):
    for _ in range(3):
        make_assessment(
            make_client(north, age_group="adult"), present=slugs[:1], date=D(2025, 3, 1)
        )
    make_assessment(make_client(north, age_group="minor", route="national"), date=D(2025, 3, 1))
    adults = compute_report(filters_for([north], age_group=Client.AgeGroup.ADULT))
    assert (adults.clients, adults.present.get(adults.factors[0].id)) == (3, 3)
    national_minors = compute_report(filters_for([north], age_group="minor", route="national"))
    assert national_minors.clients == 1
    assert compute_report(filters_for([north], setting="indoor")).clients == 0


def test_each_quarter_counts_each_client_by_their_latest_assessment_in_that_quarter(
    north, caseload
):
    f1, f2, f3 = caseload
    raw = compute_report(filters_for([north]))
    q1, q2 = (q.key for q in raw.periods)
    assert (q1, q2) == (D(2025, 1, 1), D(2025, 4, 1))
    assert raw.period_clients == {q1: 2, q2: 2}  # Q1: A, B; Q2: A, G
    ids = {f.slug: f.id for f in raw.factors}
    assert raw.period_present.get((q1, ids[f1])) == 2
    assert raw.period_present.get((q1, ids[f2])) == 1
    assert raw.period_present.get((q2, ids[f2])) == 1
    assert raw.period_present.get((q2, ids[f3])) == 1
    assert (q2, ids[f1]) not in raw.period_present  # G's first assessment is superseded


def test_a_coarser_grain_counts_each_client_once_per_half_year_or_year(north, caseload):
    f1, f2, f3 = caseload
    half = compute_report(filters_for([north], grain=HALF))
    assert [p.label for p in half.periods] == ["2025 H1"]
    assert half.period_clients == {D(2025, 1, 1): 3}  # A, B, G once each
    ids = {f.slug: f.id for f in half.factors}
    assert half.period_present.get((D(2025, 1, 1), ids[f3])) == 1  # A's latest
    year = compute_report(filters_for([north], start=D(2024, 7, 1), grain=YEAR))
    assert [p.label for p in year.periods] == ["2024", "2025"]
    assert year.period_clients == {D(2024, 1, 1): 1, D(2025, 1, 1): 3}


def test_the_automatic_grain_coarsens_when_the_data_is_thin(north, caseload):
    assert compute_report(filters_for([north], grain="auto")).grain == YEAR


def test_quarters_are_clipped_to_the_period():
    quarters = quarters_of(D(2025, 2, 15), D(2025, 7, 3))
    assert [(q.label, q.start, q.end, q.partial) for q in quarters] == [
        ("2025 Q1", D(2025, 2, 15), D(2025, 3, 31), True),
        ("2025 Q2", D(2025, 4, 1), D(2025, 6, 30), False),
        ("2025 Q3", D(2025, 7, 1), D(2025, 7, 3), True),
    ]
    assert len(quarters_of(D(2023, 1, 2), D(2026, 1, 1))) == 13
    assert [p.label for p in periods_of(D(2025, 2, 1), D(2026, 7, 31), HALF)] == [
        "2025 H1",
        "2025 H2",
        "2026 H1",
        "2026 H2",
    ]


def test_shares_are_of_the_clients_counted_in_the_period_and_in_each_quarter(
    north, slugs, no_noise
):
    f1 = slugs[0]
    for i in range(10):
        client = make_client(north)
        make_assessment(client, present=[f1] if i < 8 else [], date=D(2025, 2, 1))
        make_assessment(client, present=[f1] if i < 5 else [], date=D(2025, 5, 1))
    report = publish(compute_report(filters_for([north])), threshold=5)
    row = next(r for r in report.rows if r.factor.slug == f1)
    assert (row.present.value, row.absent.value) == (5, 5)
    assert (str(row.share), str(row.absent_share)) == ("50%", "50%")
    # Q1: 8 of 10 have it, but the 2 without it must not be derivable: withheld.
    assert [str(s) for s in report.series[0].shares] == ["suppressed", "50%"]
    assert [str(c) for c in report.period_clients] == ["10", "10"]


def test_the_postgresql_statement_gives_the_same_figures_as_the_orm_queries(north, caseload):
    """PostgreSQL computes the figures and totals in one statement over the maintained
    rows; every other database with the ORM's queries. Both must count alike."""
    from django.db import connection
    from django.db.models import Q

    from assessments.reports.compute import COMPLETED, STATS_CONSENT, _counts, _totals
    from assessments.reports.maintained import MaintainedCells, maintained_count

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement path runs on PostgreSQL (CI runs the suite there too)")
    filters = filters_for([north], start=D(2024, 7, 1))
    in_period = Q(status=COMPLETED, date__gte=filters.start, date__lte=filters.end)
    clients = Client.objects.filter(team_id__in=filters.team_ids)
    cells = MaintainedCells(filters)
    totals = _totals(clients, in_period)
    assert cells.totals() == totals
    assert maintained_count(filters) == totals["counted"]
    for grain in ("quarter", HALF, YEAR):
        figures = _counts(clients.filter(STATS_CONSENT), in_period, grain)
        assert figures[("assessments", None)][0] == 6
        assert cells.figures(grain) == figures


def test_the_postgresql_statement_refuses_more_clients_than_a_packed_field_holds(
    north, caseload, monkeypatch
):
    """Summed beyond its width, one factor's field would spill into the next one's
    count: the report fails rather than publish such figures."""
    from django.db import connection

    from assessments.reports import maintained

    if connection.vendor != "postgresql":
        pytest.skip("the packed counts are summed on PostgreSQL")
    filters = filters_for([north], start=D(2024, 7, 1))
    cells = maintained.MaintainedCells(filters)
    clients = cells.totals()["counted"][0]
    monkeypatch.setattr(maintained, "MAX_CELL_CLIENTS", clients)
    cells.figures("year")  # each figure counts at most the clients counted
    monkeypatch.setattr(maintained, "MAX_CELL_CLIENTS", clients - 1)
    with pytest.raises(OverflowError):
        cells.figures("year")
