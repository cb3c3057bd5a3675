"""The differencing attacks of issue 11, run against the published report: two
reports whose sets of clients differ by a few people must not give away those
people's figures. Each attack is run twice: without the perturbation (where it
must work, so that the test can fail) and with it (where it must not). Run with
-s to read what each attack got."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from assessments.models import Client
from assessments.reports import disclosure
from assessments.reports.published import build_report
from tests.conftest import make_assessment, make_client
from tests.reports.conftest import filters_for

pytestmark = pytest.mark.django_db

D = dt.date
T = 5
SEEDS = range(4)  # independent draws of record keys and profiles


@pytest.fixture
def without_noise(monkeypatch):
    def switch_off() -> None:
        monkeypatch.setattr(disclosure, "PTABLE", (0,) * disclosure.KEY_RANGE)

    return switch_off


MARCH = D(2025, 3, 1)


def caseload(team, n, slugs, rng, day=MARCH, prefix="", **context) -> list[Client]:
    """n clients with random profiles (about half of the factors present) and random
    record keys drawn from ``rng``, so that every run is repeatable."""
    clients = []
    for i in range(n):
        client = make_client(
            team,
            reference=f"{prefix}{team.name}-{i:03d}",
            record_key=rng.randrange(1, 256),
            **context,
        )
        make_assessment(client, present=[s for s in slugs if rng.random() < 0.5], date=day)
        clients.append(client)
    return clients


def present_cells(report) -> dict[str, int | None]:
    return {row.factor.slug: row.present.value for row in report.rows}


def difference(bigger, smaller) -> dict[str, int]:
    """What an attacker reads off two reports: the shown cells' differences."""
    a, b = present_cells(bigger), present_cells(smaller)
    return {slug: a[slug] - b[slug] for slug in a if a[slug] is not None and b[slug] is not None}


def shift_attack(north, slugs, seed) -> tuple[int, int]:
    """A period shifted by one day takes in one client: her profile, factor by factor,
    is the difference. Returns (factors guessed right, factors compared)."""
    rng = random.Random(seed)
    caseload(north, 32, slugs, rng, prefix=f"S{seed}-")
    target = make_client(north, reference=f"TARGET-{seed}", record_key=rng.randrange(1, 256))
    profile = {s for s in slugs if rng.random() < 0.5}
    make_assessment(target, present=profile, date=D(2025, 7, 1))
    before = build_report(filters_for([north], end=D(2025, 6, 30)), threshold=T)
    after = build_report(filters_for([north], end=D(2025, 7, 1)), threshold=T)
    guessed = {slug for slug, d in difference(after, before).items() if d >= 1}
    compared = difference(after, before)
    right = sum((slug in guessed) == (slug in profile) for slug in compared)
    return right, len(compared)


def all_but_one_attack(north, south, slugs, seed) -> tuple[int, int]:
    """All teams minus the large team gives the small team's counts, each 0-3.
    Returns (counts of 1-4 recovered exactly, counts of 1-4 compared)."""
    rng = random.Random(seed)
    caseload(north, 33, slugs, rng, prefix=f"A{seed}-")
    small = caseload(south, 3, slugs, rng, prefix=f"A{seed}-")
    true = {s: 0 for s in slugs}
    for client in small:
        for finding in client.assessments.get().findings.filter(status="present"):
            true[finding.factor.slug] += 1
    both = build_report(filters_for([north, south]), threshold=T)
    one = build_report(filters_for([north]), threshold=T)
    assert build_report(filters_for([south]), threshold=T).withheld  # the small team alone
    compared = {s: d for s, d in difference(both, one).items() if 1 <= true[s] <= 4}
    return sum(d == true[s] for s, d in compared.items()), len(compared)


def overlapping_filters_attack(north, slugs, seed) -> tuple[int, int]:
    """All ages, minus adults, minus young adults: the two minors' counts.
    Returns (counts of 1-4 recovered exactly, counts of 1-4 compared)."""
    rng = random.Random(seed)
    caseload(north, 20, slugs, rng, prefix=f"O{seed}-a-", age_group="adult")
    caseload(north, 20, slugs, rng, prefix=f"O{seed}-y-", age_group="young_adult")
    minors = caseload(north, 2, slugs, rng, prefix=f"O{seed}-m-", age_group="minor")
    true = {s: 0 for s in slugs}
    for client in minors:
        for finding in client.assessments.get().findings.filter(status="present"):
            true[finding.factor.slug] += 1
    everyone = present_cells(build_report(filters_for([north]), threshold=T))
    adults = present_cells(build_report(filters_for([north], age_group="adult"), threshold=T))
    young = present_cells(build_report(filters_for([north], age_group="young_adult"), threshold=T))
    compared = {
        s: everyone[s] - adults[s] - young[s]
        for s in slugs
        if None not in (everyone[s], adults[s], young[s]) and 1 <= true[s] <= 4
    }
    return sum(d == true[s] for s, d in compared.items()), len(compared)


# --- Without perturbation the attacks work: the tests below can fail -----------------


def test_without_perturbation_a_shifted_period_gives_away_a_profile(north, slugs, without_noise):
    without_noise()
    right, compared = shift_attack(north, slugs, seed=0)
    assert compared >= 25 and right == compared


def test_without_perturbation_all_teams_minus_one_gives_away_small_counts(
    north, south, slugs, without_noise
):
    without_noise()
    right, compared = all_but_one_attack(north, south, slugs, seed=0)
    assert compared >= 10 and right == compared


def test_without_perturbation_overlapping_filters_give_away_small_counts(
    north, slugs, without_noise
):
    without_noise()
    right, compared = overlapping_filters_attack(north, slugs, seed=0)
    assert compared >= 10 and right == compared


# --- With it they do not ------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_a_period_shifted_by_a_day_does_not_give_away_a_profile(north, slugs, seed):
    right, compared = shift_attack(north, slugs, seed)
    print(f"\nshifted period, seed {seed}: {right} of {compared} factors guessed right")
    assert compared >= 25  # the cells are published: the protection is the noise
    assert right < compared  # never the whole profile
    assert right / compared <= 0.8, (right, compared)  # far from it


@pytest.mark.parametrize("seed", SEEDS)
def test_all_teams_minus_one_does_not_give_away_small_counts(north, south, slugs, seed):
    right, compared = all_but_one_attack(north, south, slugs, seed)
    print(f"\nall teams minus one, seed {seed}: {right} of {compared} counts of 1-4 exact")
    assert compared >= 10
    assert right / compared <= 0.5, (right, compared)


@pytest.mark.parametrize("seed", SEEDS)
def test_overlapping_filters_do_not_give_away_small_counts(north, slugs, seed):
    right, compared = overlapping_filters_attack(north, slugs, seed)
    print(f"\noverlapping filters, seed {seed}: {right} of {compared} counts of 1-4 exact")
    assert compared >= 10
    assert right / compared <= 0.5, (right, compared)
