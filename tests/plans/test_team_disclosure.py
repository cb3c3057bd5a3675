"""The team view's counts follow the report's disclosure rules: they count clients,
are perturbed by the cell-key method (the same clients always get the same figures),
keep their totals, and a supervisor who compares the page before and after a few
clients join cannot read off their counts. Run with -s to read what each attack got."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models.signals import post_init
from django.utils import timezone

from assessments.models import Assessment, Client
from assessments.plans.models import Case, FocusFactor, Plan, PlanAction, Referral, Service
from assessments.plans.team import perturbed, team_figures
from assessments.plans.team_counts import (
    clients_per_factor,
    clients_per_service,
    open_cases_and_table_key,
)
from assessments.reports import disclosure
from factors.models import Factor
from tests.conftest import make_client
from tests.plans.factories import make_service

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)
OVERDUE = dt.date(2025, 5, 1)
LATER = dt.date(2025, 9, 1)
SEEDS = range(4)


@pytest.fixture
def without_noise(monkeypatch):
    def switch_off() -> None:
        monkeypatch.setattr(disclosure, "PTABLE", (0,) * disclosure.KEY_RANGE)

    return switch_off


@pytest.fixture
def factors(db) -> list[Factor]:
    return list(Factor.objects.filter(action="actionable").order_by("pk")[:12])


def with_plan(client: Client, actions: list[tuple[Factor, str, dt.date]], services=()) -> Plan:
    """A plan for ``client`` with the given (factor, status, due) actions, one focus
    per factor, and one referral per (service, status)."""
    assessment = Assessment.objects.create(
        client=client,
        caseworker=client.caseworker,
        status="completed",
        date=dt.date(2025, 3, 1),
        completed_at=timezone.now(),
    )
    plan = Plan.objects.create(client=client, assessment=assessment)
    focus = {}
    for factor, status, due in actions:
        if factor.pk not in focus:
            focus[factor.pk] = FocusFactor.objects.create(
                plan=plan, factor=factor, factor_label=factor.label, kind="build"
            )
        PlanAction.objects.create(
            focus=focus[factor.pk],
            what="A step",
            who="client",
            due_on=due,
            status=status,
            dropped_reason="Not wanted" if status == "dropped" else "",
        )
    for service, status in services:
        Referral.objects.create(
            plan=plan, service=service, sent_on=dt.date(2025, 3, 5), status=status
        )
    return plan


def newcomer(team, caseworker, factors, rng, reference) -> Client:
    """A client with an overdue action on about half of the factors (at least one)."""
    client = make_client(team, caseworker, reference=reference, record_key=rng.randrange(1, 256))
    chosen = [f for f in factors if rng.random() < 0.5] or [rng.choice(factors)]
    with_plan(client, [(f, "planned", OVERDUE) for f in chosen])
    return client


def caseload(team, caseworker, factors, rng, n, prefix) -> None:
    """n clients with record keys from ``rng`` and, per factor, an action open,
    done, dropped or none at random: repeatable from the seed."""
    service = make_service(f"Service {prefix}")
    for i in range(n):
        client = make_client(
            team, caseworker, reference=f"{prefix}-{i:03d}", record_key=rng.randrange(1, 256)
        )
        actions = [
            (f, status, OVERDUE)
            for f in factors
            if (status := rng.choice(["planned", "planned", "done", "dropped", None]))
        ]
        with_plan(client, actions, [(service, rng.choice(Referral.Status.values))])


def published(user) -> dict[str, list[tuple[str, list[str]]]]:
    figures = team_figures(user, TODAY)
    return {
        name: [(row.label, [str(cell) for cell in row.cells]) for row in figures[name]]
        for name in ("per_factor", "per_service", "per_caseworker")
    }


def open_cells(user) -> dict[str, int | None]:
    return {row.label: row.cells[0].value for row in team_figures(user, TODAY)["per_factor"]}


# --- What a cell counts --------------------------------------------------------------


def test_a_cell_counts_each_client_once_with_the_sum_of_their_record_keys(
    north, caseworker, factors
):
    housing, work = factors[:2]
    service = make_service("Peer Circle")
    a = make_client(north, caseworker, reference="A", record_key=10)
    b = make_client(north, caseworker, reference="B", record_key=20)
    c = make_client(north, caseworker, reference="C", record_key=40)
    with_plan(
        a,
        [(housing, "planned", OVERDUE), (housing, "planned", LATER), (housing, "done", OVERDUE)],
        [(service, "declined")],
    )
    Referral.objects.create(
        plan=a.plans.get(), service=service, sent_on=dt.date(2025, 4, 1), status="accepted"
    )
    with_plan(b, [(housing, "done", OVERDUE), (work, "dropped", OVERDUE)], [(service, "sent")])
    with_plan(c, [(housing, "dropped", OVERDUE), (work, "dropped", OVERDUE)])
    Case.objects.create(client=c, status="closed", closed_on=dt.date(2025, 5, 1), reason="moved")
    clients = Client.objects.values("pk")

    assert dict(clients_per_factor(clients)) == {
        housing.label: [(1, 10), (1, 20), (1, 40)],  # a's three actions: one client, open
        work.label: [(0, 0), (0, 0), (2, 60)],
    }
    # a: her latest referral (accepted) only; columns in Referral.Status order
    assert clients_per_service(clients) == [("Peer Circle", [(1, 20), (1, 10), (0, 0), (0, 0)])]
    assert open_cases_and_table_key(Client.objects.all()) == ([("owner", [(2, 30)])], 70)


def test_the_parts_of_a_row_add_up_to_its_published_total():
    rng = random.Random(1)
    for _ in range(500):
        pairs = [(rng.randrange(0, 12), rng.randrange(0, 2000)) for _ in range(4)]
        table_key = rng.randrange(0, 5000)
        ((_, parts),) = perturbed([("row", pairs)], table_key)
        total = disclosure.perturb(sum(n for n, _ in pairs), sum(k for _, k in pairs), table_key)
        assert sum(parts) == total and min(parts) >= 0
        ((_, alone),) = perturbed([("row", pairs[:1])], table_key)
        assert alone == [disclosure.perturb(*pairs[0], table_key)]


def test_the_page_says_the_figures_are_perturbed_and_count_clients(login, supervisor):
    from django.urls import reverse

    html = login(supervisor).get(reverse("plans:team")).content.decode()
    assert "perturbed slightly" in html and "count clients, not actions or referrals" in html
    assert "counted once per factor" in html and "latest referral" in html


# --- The same clients, the same figures ------------------------------------------------


def test_the_same_clients_always_give_the_same_figures(supervisor, north, caseworker, factors):
    caseload(north, caseworker, factors, random.Random(7), 24, "S")
    first = published(supervisor)
    assert published(supervisor) == first

    # Rebuilt from nothing (new ids, new rows, another order): the same people, the same keys.
    Client.objects.all().delete()
    Service.objects.all().delete()
    rng = random.Random(7)
    draws = []
    for _ in range(24):  # replay the draws, then create the clients last first
        key = rng.randrange(1, 256)
        statuses = [rng.choice(["planned", "planned", "done", "dropped", None]) for _ in factors]
        draws.append((key, statuses, rng.choice(Referral.Status.values)))
    service = make_service("Service S")
    for i, (key, statuses, referral) in reversed(list(zip(range(24), draws, strict=True))):
        client = make_client(north, caseworker, reference=f"S-{i:03d}", record_key=key)
        with_plan(
            client,
            [(f, s, OVERDUE) for f, s in zip(factors, statuses, strict=True) if s],
            [(service, referral)],
        )
    assert published(supervisor) == first


def test_another_action_of_a_client_already_counted_changes_no_figure(
    supervisor, north, caseworker, factors
):
    caseload(north, caseworker, factors, random.Random(3), 24, "M")
    before = published(supervisor)
    focus = FocusFactor.objects.filter(actions__status="planned").first()
    PlanAction.objects.create(focus=focus, what="One more step", who="client", due_on=OVERDUE)
    assert published(supervisor) == before


# --- Differencing attacks --------------------------------------------------------------


def one_more_client_attack(north, caseworker, supervisor, factors, seed) -> tuple[int, int]:
    """The page before and after one client with overdue actions joins: the rise of the
    Open cells of her factors (1 each) is her profile. Returns (cells of hers whose
    rise is exactly 1, cells of hers compared)."""
    rng = random.Random(seed)
    caseload(north, caseworker, factors, rng, 30, f"O{seed}")
    before = open_cells(supervisor)
    target = newcomer(north, caseworker, factors, rng, f"TARGET-{seed}")
    after = open_cells(supervisor)
    hers = set(
        PlanAction.objects.filter(focus__plan__client=target).values_list(
            "focus__factor_label", flat=True
        )
    )
    compared = [f for f in hers if None not in (before.get(f), after.get(f))]
    return sum(after[f] - before[f] == 1 for f in compared), len(compared)


def few_more_clients_attack(north, caseworker, supervisor, factors, seed) -> tuple[int, int]:
    """The page before and after four clients with overdue actions join: the rise of
    each Open cell is their count, 0-4. Returns (counts of 1-4 recovered exactly,
    counts of 1-4 compared)."""
    rng = random.Random(seed)
    caseload(north, caseworker, factors, rng, 30, f"F{seed}")
    before = open_cells(supervisor)
    joined = [newcomer(north, caseworker, factors, rng, f"NEW-{seed}-{i}") for i in range(4)]
    after = open_cells(supervisor)
    true = {f.label: 0 for f in factors}
    for label in PlanAction.objects.filter(focus__plan__client__in=joined).values_list(
        "focus__factor_label", flat=True
    ):
        true[label] += 1
    compared = {
        f: after[f] - before[f]
        for f in true
        if 1 <= true[f] <= 4 and None not in (before.get(f), after.get(f))
    }
    return sum(d == true[f] for f, d in compared.items()), len(compared)


def test_without_perturbation_one_more_client_gives_her_factors_away(
    north, caseworker, supervisor, factors, without_noise
):
    without_noise()
    right, compared = one_more_client_attack(north, caseworker, supervisor, factors, seed=0)
    assert compared >= 3 and right == compared


def test_without_perturbation_a_few_more_clients_give_their_counts_away(
    north, caseworker, supervisor, factors, without_noise
):
    without_noise()
    right, compared = few_more_clients_attack(north, caseworker, supervisor, factors, seed=0)
    assert compared >= 8 and right == compared


@pytest.mark.parametrize("seed", SEEDS)
def test_one_more_client_with_an_overdue_action_does_not_give_her_factors_away(
    north, caseworker, supervisor, factors, seed
):
    right, compared = one_more_client_attack(north, caseworker, supervisor, factors, seed)
    print(f"\none more client, seed {seed}: {right} of her {compared} cells rose by exactly 1")
    assert compared >= 3  # the cells are shown: the protection is the noise
    assert right < compared
    assert right / compared <= 0.6, (right, compared)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_few_more_clients_do_not_give_their_counts_away(
    north, caseworker, supervisor, factors, seed
):
    right, compared = few_more_clients_attack(north, caseworker, supervisor, factors, seed)
    print(f"\nfour more clients, seed {seed}: {right} of {compared} counts of 1-4 exact")
    assert compared >= 8
    assert right / compared <= 0.5, (right, compared)


# --- In the database, not in a loop over clients ----------------------------------------


def test_the_counts_load_no_client_action_or_referral_into_python(
    supervisor, north, caseworker, factors
):
    """Nothing overdue and no case coming due: every figure must come from aggregates."""
    rng = random.Random(5)
    service = make_service("Peer Circle")
    for i in range(40):
        client = make_client(
            north, caseworker, reference=f"L-{i:03d}", record_key=rng.randrange(1, 256)
        )
        with_plan(client, [(f, "planned", LATER) for f in factors[:3]], [(service, "sent")])
    loaded = []

    def count(sender, **kwargs):
        loaded.append(sender)

    post_init.connect(count)
    try:
        figures = team_figures(supervisor, TODAY)
    finally:
        post_init.disconnect(count)
    assert loaded == []
    assert figures["per_factor"] and figures["per_service"] and figures["per_caseworker"]
