"""Cell-key perturbation: record keys, the perturbation table, and the noise a cell
gets from its clients' keys."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from assessments.models import RECORD_KEY_RANGE, Client
from assessments.reports.compute import compute_report
from assessments.reports.disclosure import (
    KEY_RANGE,
    MAX_CHANGE,
    PTABLE,
    perturb,
    published_total,
    pvalue,
)
from assessments.reports.published import publish
from tests.conftest import make_assessment, make_client
from tests.reports.conftest import filters_for


def test_the_table_changes_a_count_by_at_most_two_and_by_nothing_on_average():
    assert len(PTABLE) == KEY_RANGE == RECORD_KEY_RANGE
    assert MAX_CHANGE == 2
    assert Counter(PTABLE) == {-2: 32, -1: 64, 0: 64, 1: 64, 2: 32}
    assert sum(PTABLE) == 0


def test_nearby_cell_keys_get_unrelated_changes():
    runs = sum(PTABLE[k] == PTABLE[k + 1] for k in range(KEY_RANGE - 1))
    assert runs < 80  # in key order there would be 251 equal neighbours


def test_an_empty_cell_stays_empty_and_no_count_goes_below_zero():
    assert all(pvalue(0, key) == 0 for key in range(KEY_RANGE))
    assert all(perturb(1, key, 0) >= 0 for key in range(KEY_RANGE))


def test_the_same_clients_in_the_same_report_always_get_the_same_noise():
    assert perturb(17, 300, 1000) == perturb(17, 300 + KEY_RANGE, 1000)
    assert {perturb(17, key, 5) - 17 for key in range(KEY_RANGE)} == {-2, -1, 0, 1, 2}


@pytest.mark.django_db
def test_a_new_client_gets_a_permanent_record_key_never_zero(north):
    keys = {make_client(north).record_key for _ in range(40)}
    assert keys <= set(range(1, RECORD_KEY_RANGE)) and len(keys) > 20
    client = Client.objects.first()
    key = client.record_key
    client.nationality = "changed"
    client.save()
    client.refresh_from_db()
    assert client.record_key == key


@pytest.mark.django_db
def test_seed_demo_gives_its_bulk_clients_repeatable_record_keys(capsys):
    call_command("seed_demo", clients=20, seed=7)
    keys = list(Client.objects.order_by("pk").values_list("record_key", flat=True))
    assert len(keys) == 28 and 0 not in keys and len(set(keys)) > 10


@pytest.mark.django_db
def test_a_report_asked_twice_publishes_the_same_figures(north, slugs):
    for i in range(25):
        make_assessment(make_client(north), present=slugs[: 1 + i % 7], date=dt.date(2025, 3, 1))
    first = publish(compute_report(filters_for([north])), 5)
    second = publish(compute_report(filters_for([north])), 5)
    assert first == second
    raw = compute_report(filters_for([north]))
    assert first.clients.value == published_total(25, raw.key("counted"))
    assert abs(first.clients.value - 25) <= MAX_CHANGE


@pytest.mark.django_db
def test_the_accuracy_cost_on_demo_data_is_about_one_client_per_cell(monkeypatch, capsys):
    """The mean absolute error of every published count against the true one, on
    seed_demo's synthetic caseload (run with -s to read the figures)."""
    from django.utils import timezone

    from assessments.models import Team
    from assessments.reports import disclosure
    from assessments.reports.periods import ReportFilters, month_end, months_back

    call_command("seed_demo", clients=150, seed=2021)
    today = timezone.localdate()
    errors = []
    for team in Team.objects.all():
        filters = ReportFilters(
            (team.pk,), team.pk, team.name, months_back(today, 11), month_end(today)
        )
        raw = compute_report(filters)
        published = publish(raw, 5)
        with monkeypatch.context() as exact:
            exact.setattr(disclosure, "PTABLE", (0,) * KEY_RANGE)
            true = publish(raw, 5)
        pairs = [(published.clients, true.clients)]
        for row, true_row in zip(published.rows, true.rows, strict=True):
            pairs += [(row.present, true_row.present), (row.absent, true_row.absent)]
        pairs += [
            (s.clients, t.clients) for s, t in zip(published.stages, true.stages, strict=True)
        ]
        errors += [abs(p.value - t.value) for p, t in pairs if p.shown and t.shown]
    mae = sum(errors) / len(errors)
    print(f"\nMean absolute error over {len(errors)} published counts: {mae:.2f}")
    assert 0.5 < mae < 1.5 and max(errors) <= 4
