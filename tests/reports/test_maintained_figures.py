"""The report's maintained figures (assessments/figures.py) after random sequences of
what happens to a caseload: completions, edits of completed assessments, drafts,
reopenings, deletions, erasures, and changes to clients (consent, reassignment to
another team, client context) - through the app's own services where it has them,
and through plain ORM writes (as the admin, a shell or a data migration would).
After each sequence:

1. every maintained row equals its recomputation from the assessments, findings and
   clients;
2. the report computed from them (PostgreSQL's one statement) equals the report
   counted from the findings with the ORM (``_totals`` and ``_counts``), for several
   filters.

The rows are kept by PostgreSQL triggers: on other databases there are none to check.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.figures import ReportFigures, pack
from assessments.models import Assessment, Client, Finding
from assessments.reports import compute
from assessments.reports.maintained import MaintainedCells, maintained_count
from assessments.reports.periods import HALF, QUARTER, YEAR
from assessments.services import save_assessment, start_assessment
from factors.models import Factor
from tests.conftest import make_client
from tests.reports.conftest import filters_for

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the figures are kept by PostgreSQL triggers"
    ),
]

D = dt.date
DAYS = [D(2024, 11, 30), D(2025, 1, 1), D(2025, 3, 31), D(2025, 4, 1), D(2025, 6, 30)]
DAYS += [D(2025, 7, 1), D(2025, 9, 15), D(2025, 12, 31), D(2026, 2, 1)]
STATUSES = ["present", "absent", "not_assessed", ""]

OPS = st.one_of(
    st.tuples(st.just("complete"), st.integers(0, 5), st.sampled_from(DAYS), st.integers()),
    st.tuples(st.just("edit"), st.integers(0, 30), st.sampled_from(DAYS), st.integers()),
    st.tuples(st.just("draft"), st.integers(0, 5), st.sampled_from(DAYS), st.integers()),
    st.tuples(st.just("reopen"), st.integers(0, 30), st.just(None), st.integers()),
    st.tuples(st.just("finding"), st.integers(0, 30), st.just(None), st.integers()),
    st.tuples(st.just("delete"), st.integers(0, 30), st.just(None), st.integers()),
    st.tuples(st.just("erase"), st.integers(0, 5), st.just(None), st.integers()),
    st.tuples(st.just("consent"), st.integers(0, 5), st.just(None), st.integers(0, 3)),
    st.tuples(st.just("bulk"), st.integers(0, 5), st.sampled_from(DAYS), st.integers()),
    st.tuples(st.just("reassign"), st.integers(0, 5), st.just(None), st.integers(0, 1)),
    st.tuples(st.just("context"), st.integers(0, 5), st.just(None), st.integers(0, 8)),
)
CONTEXTS = [
    {"route": "national"},
    {"route": "transnational"},
    {"route": ""},
    {"age_group": "adult"},
    {"age_group": ""},
    {"setting": "indoor"},
    {"setting": ""},
    {"route": "national", "age_group": "minor", "setting": "both"},
    {"record_key": 7},  # never changed by the app, but copied all the same
]


def _reference() -> str:
    return f"P-{uuid.uuid4().hex[:12]}"


def _answers(factors, seed: int) -> dict[int, tuple[str, str]]:
    return {f.pk: (STATUSES[(seed >> (2 * i)) % 4], "") for i, f in enumerate(factors)}


def _apply(op, clients, factors, teams, caseworker) -> None:
    kind, index, day, seed = op
    live = [c for c in clients if Client.objects.filter(pk=c.pk).exists()]
    if kind == "erase":
        if live:
            live[index % len(live)].delete()
        return
    if not live:
        clients.append(make_client(teams[0], caseworker, reference=_reference()))
        return
    client = live[index % len(live)]
    completed = list(Assessment.objects.filter(client__in=live, status="completed").order_by("id"))
    every = list(Assessment.objects.filter(client__in=live).order_by("id"))
    if kind in ("complete", "draft"):
        assessment, _ = start_assessment(client, caseworker)
        save_assessment(
            assessment,
            expected_version=assessment.version,
            date=day,
            stage=["", "contemplation", "action"][seed % 3],
            notes="",
            answers=_answers(factors, seed),
            factors=factors,
            complete=kind == "complete",
        )
    elif kind == "edit" and completed:
        assessment = completed[index % len(completed)]
        save_assessment(
            assessment,
            expected_version=assessment.version,
            date=day,
            stage=["preparation", ""][seed % 2],
            notes="corrected",
            answers=_answers(factors, seed),
            factors=factors,
            complete=True,
        )
    elif kind == "reopen" and completed:
        assessment = completed[index % len(completed)]
        if not assessment.client.assessments.filter(status="draft").exists():
            assessment.reopen("a correction")
    elif kind == "finding" and every:  # a plain UPDATE, as the admin or a shell would
        assessment = every[index % len(every)]
        Finding.objects.filter(assessment=assessment, factor=factors[seed % len(factors)]).update(
            status=STATUSES[seed % 4]
        )
    elif kind == "delete" and every:
        every[index % len(every)].delete()
    elif kind == "consent":
        changes = [
            {"stats_consent_withdrawn_at": timezone.now()},
            {"stats_consent_on": None},
            {"stats_consent_on": D(2024, 1, 1), "stats_consent_withdrawn_at": None},
            {"data_consent_withdrawn_at": timezone.now()},
        ][seed]
        for name, value in changes.items():
            setattr(client, name, value)
        client.save()
    elif kind in ("reassign", "context"):  # a client saved, as a form or the admin would
        changes = {"team": teams[seed]} if kind == "reassign" else CONTEXTS[seed]
        for name, value in changes.items():
            setattr(client, name, value)
        client.save()
    elif kind == "bulk":  # several completed assessments written in two statements
        made = Assessment.objects.bulk_create(
            Assessment(
                client=client,
                date=day + dt.timedelta(days=k),
                quarter=day,  # not read by the report
                status="completed",
                completed_at=timezone.now(),
            )
            for k in range(2)
        )
        Finding.objects.bulk_create(
            Finding(
                assessment=a,
                factor=f,
                status=STATUSES[(seed + i) % 4],
                factor_label=f.label,
                factor_level=f.level,
                factor_role=f.role,
            )
            for a in made
            for i, f in enumerate(factors)
        )


def _recomputed() -> dict[int, tuple]:
    """Every completed assessment's row, from the assessments, findings and clients."""
    completed = list(
        Assessment.objects.filter(status="completed")
        .select_related("client")
        .order_by("client_id", "date", "id")
    )
    counted = set(Client.objects.filter(compute.STATS_CONSENT).values_list("pk", flat=True))
    statuses: dict[int, dict[str, list[int]]] = {}
    for assessment_id, factor_id, status in Finding.objects.filter(
        assessment__status="completed"
    ).values_list("assessment_id", "factor_id", "status"):
        statuses.setdefault(assessment_id, {}).setdefault(status, []).append(factor_id)
    rows = {}
    for i, a in enumerate(completed):
        following = completed[i + 1] if i + 1 < len(completed) else None
        superseded = following.date if following and following.client_id == a.client_id else None
        found = statuses.get(a.pk, {})
        rows[a.pk] = (
            a.client_id,
            a.date,
            superseded,
            a.stage,
            pack(found.get("present", [])),
            pack(found.get("absent", [])),
            a.client.team_id,
            a.client_id in counted,
            a.client.record_key,
            a.client.age_group,
            a.client.route,
            a.client.setting,
        )
    return rows


def _maintained() -> dict[int, tuple]:
    return {
        r.assessment_id: (
            r.client_id,
            r.date,
            r.superseded_on,
            r.stage,
            r.present,
            r.absent,
            r.team_id,
            r.counted,
            r.record_key,
            r.age_group,
            r.route,
            r.setting,
        )
        for r in ReportFigures.objects.all()
    }


def _check_report(teams) -> None:
    cases = [
        (D(2025, 1, 1), D(2025, 6, 30), QUARTER, {}),
        (D(2024, 11, 1), D(2026, 2, 28), HALF, {}),
        (D(2025, 3, 31), D(2025, 12, 31), YEAR, {}),
        (D(2025, 2, 14), D(2025, 9, 15), QUARTER, {"route": "national"}),
        (D(2024, 11, 1), D(2026, 2, 28), QUARTER, {"age_group": "adult", "setting": "indoor"}),
    ]
    for start, end, grain, context in cases:
        filters = filters_for(teams, start=start, end=end, **context)
        clients = Client.objects.filter(team_id__in=filters.team_ids, **filters.client_context())
        in_period = compute.Q(status=compute.COMPLETED, date__gte=start, date__lte=end)
        totals = compute._totals(clients, in_period)
        expected = compute._counts(clients.filter(compute.STATS_CONSENT), in_period, grain)
        cells = MaintainedCells(filters)
        case = (start, end, grain, context)
        assert cells.totals() == totals, case
        assert maintained_count(filters) == totals["counted"], case
        assert cells.figures(grain) == expected, case


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=14))
def test_maintained_figures_equal_a_recomputation_from_the_findings(ops, north, south, caseworker):
    factors = list(Factor.objects.active()[:6])
    routes = ["national", "transnational", ""]
    clients = [
        make_client(
            north if i < 3 else south, caseworker, reference=_reference(), route=routes[i % 3]
        )
        for i in range(4)
    ]
    for op in ops:
        _apply(op, clients, factors, [north, south], caseworker)
    assert _maintained() == _recomputed()
    _check_report([north])
    _check_report([north, south])


@pytest.mark.parametrize(
    "changes",
    [
        {"team": "south"},
        {"stats_consent_on": None},
        {"stats_consent_withdrawn_at": "now"},
        {"data_consent_withdrawn_at": "now"},
        {"age_group": "minor"},
        {"route": "transnational"},
        {"setting": "outdoor"},
        {"record_key": 7},
    ],
)
def test_each_change_to_a_client_reaches_their_rows(changes, north, south, caseworker):
    """One change at a time, for what random sequences may rarely reach: the
    client's rows follow it in the same statement."""
    factors = list(Factor.objects.active()[:6])
    client = make_client(north, caseworker, reference=_reference(), record_key=3)
    other = make_client(north, caseworker, reference=_reference(), record_key=3)
    for seed, day in enumerate(DAYS[:3]):
        for someone in (client, other):
            _apply(("complete", 0, day, seed), [someone], factors, [north, south], caseworker)
    values = {"south": south, "now": timezone.now()}
    before = _maintained()
    for name, value in changes.items():
        setattr(client, name, values.get(value, value))
    client.save()
    assert _maintained() == _recomputed()
    changed = {pk for pk, row in _maintained().items() if row != before[pk]}
    assert changed == set(ReportFigures.objects.filter(client=client).values_list("pk", flat=True))
    _check_report([north])
    _check_report([north, south])
