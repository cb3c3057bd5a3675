"""Demo accounts and synthetic clients. Everything made here is synthetic:
client references start with DEMO- or SYN- and no record describes a real person."""

from __future__ import annotations

import os
import random
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    RECORD_KEY_RANGE,
    Assessment,
    Client,
    Finding,
    Stage,
    Team,
    quarter_start,
)
from assessments.plans.demo import seed_plans
from assessments.roles import CASEWORKERS, CATALOGUE_ADMINS, SUPERVISORS, ensure_roles
from factors.models import Factor, Role

ACCOUNTS = [
    # username, full name, group, teams, is_staff
    ("caseworker", "Demo Caseworker (North)", CASEWORKERS, ["North"], False),
    ("supervisor", "Demo Supervisor (North)", SUPERVISORS, ["North"], False),
    ("caseworker2", "Demo Caseworker (South)", CASEWORKERS, ["South"], False),
    ("admin", "Demo Catalogue Admin", CATALOGUE_ADMINS, [], True),
]

# How often each role is "present" in synthetic assessments.
PRESENT_RATE = {Role.FACILITATING: 0.45, Role.HINDERING: 0.35, Role.AMBIVALENT: 0.4}
BATCH = 5000


class Command(BaseCommand):
    help = (
        "Create the demo accounts (caseworker, supervisor, caseworker2, admin) and a few synthetic "
        "clients per team. With --clients N, add N synthetic clients in bulk (for benchmarks)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--clients", type=int, default=0, help="synthetic clients to add")
        parser.add_argument("--assessments-per-client", type=int, default=2)
        parser.add_argument("--seed", type=int, default=2021, help="random seed (repeatable data)")

    def handle(self, *args, clients: int, assessments_per_client: int, seed: int, **options):
        if clients < 0 or assessments_per_client < 0:
            raise CommandError("--clients and --assessments-per-client must be 0 or more.")
        factors = list(Factor.objects.active())
        if not factors:
            raise CommandError("The catalogue is empty: run `manage.py migrate` first.")
        ensure_roles()
        rng = random.Random(seed)
        teams = {name: Team.objects.get_or_create(name=name)[0] for name in ("North", "South")}
        users = self._accounts(teams)
        if not Client.objects.filter(reference__startswith="DEMO-").exists():
            with transaction.atomic():
                for team_name, caseworker in (("North", "caseworker"), ("South", "caseworker2")):
                    self._bulk(
                        rng,
                        factors,
                        teams[team_name],
                        [users[caseworker]],
                        n=4,
                        per_client=2,
                        prefix=f"DEMO-{team_name[0]}-",
                    )
            self.stdout.write("Created 8 synthetic demo clients (DEMO-N-…, DEMO-S-…).")
        if plans := seed_plans(rng):
            self.stdout.write(f"Added synthetic services and {plans} support plans.")
        if clients:
            caseworkers = {"North": [users["caseworker"]], "South": [users["caseworker2"]]}
            run = secrets.token_hex(2).upper()
            with transaction.atomic():
                north = round(clients * 0.8)  # one large team, as in a busy service
                self._bulk(
                    rng,
                    factors,
                    teams["North"],
                    caseworkers["North"],
                    north,
                    assessments_per_client,
                    prefix=f"SYN-{run}-N",
                )
                self._bulk(
                    rng,
                    factors,
                    teams["South"],
                    caseworkers["South"],
                    clients - north,
                    assessments_per_client,
                    prefix=f"SYN-{run}-S",
                )
            self.stdout.write(
                f"Added {clients} synthetic clients with {assessments_per_client} completed "
                "assessments each."
            )

    def _accounts(self, teams: dict[str, Team]) -> dict:
        User = get_user_model()
        password = os.environ.get("DEMO_PASSWORD", "")
        if password:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError("DEMO_PASSWORD: " + " ".join(exc.messages)) from exc
        generated = password or secrets.token_urlsafe(12)
        users, created = {}, []
        for username, full_name, group, team_names, is_staff in ACCOUNTS:
            first, _, last = full_name.partition(" ")
            user, new = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": is_staff},
            )
            if new or password:
                user.set_password(generated)
                user.save()
            if new:
                created.append(username)
            user.groups.add(Group.objects.get(name=group))
            for name in team_names:
                teams[name].members.add(user)
            users[username] = user
        if created and not password:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo accounts {', '.join(created)} created with the password: {generated}\n"
                    "It is shown only this once (set DEMO_PASSWORD to choose one)."
                )
            )
        elif created or password:
            self.stdout.write("Demo accounts ready; password from DEMO_PASSWORD.")
        else:
            self.stdout.write(
                "Demo accounts exist and keep their password (set DEMO_PASSWORD to reset it)."
            )
        return users

    def _bulk(self, rng, factors, team, caseworkers, n, per_client, prefix) -> None:
        """Insert n clients with per_client assessments each, in batches."""
        if n <= 0:
            return
        today = timezone.localdate()
        new_clients = [
            Client(
                reference=f"{prefix}{i:06d}" if n > 9 else f"{prefix}{i:03d}",
                team=team,
                caseworker=rng.choice(caseworkers),
                age_group=rng.choice(["", *Client.AgeGroup.values]),
                route=rng.choice(["", *Client.Route.values]),
                setting=rng.choice(["", *Client.Setting.values]),
                data_consent_on=today - timedelta(days=800),
                data_consent_method=rng.choice(Client.ConsentMethod.values),
                stats_consent_on=today - timedelta(days=800) if rng.random() < 0.85 else None,
                record_key=rng.randrange(1, RECORD_KEY_RANGE),  # repeatable with --seed
            )
            for i in range(1, n + 1)
        ]
        Client.objects.bulk_create(new_clients, batch_size=BATCH)
        now = timezone.now()
        assessments = []
        for client in new_clients:
            start = today - timedelta(days=rng.randint(per_client * 60, 720))
            for k in range(per_client):
                day = min(start + timedelta(days=k * rng.randint(45, 120)), today)
                assessments.append(
                    Assessment(
                        client=client,
                        caseworker=client.caseworker,
                        date=day,
                        quarter=quarter_start(day),
                        stage=rng.choice(Stage.values),
                        status=Assessment.Status.COMPLETED,
                        completed_at=now,
                    )
                )
        for start in range(0, len(assessments), BATCH):
            chunk = assessments[start : start + BATCH]
            Assessment.objects.bulk_create(chunk)
            findings = [
                Finding(
                    assessment=a,
                    factor=f,
                    factor_label=f.label,
                    factor_level=f.level,
                    factor_role=f.role,
                    status=(
                        Finding.Status.PRESENT
                        if rng.random() < PRESENT_RATE[f.role]
                        else Finding.Status.ABSENT
                        if rng.random() < 0.9
                        else Finding.Status.NOT_ASSESSED
                    ),
                )
                for a in chunk
                for f in factors
            ]
            Finding.objects.bulk_create(findings, batch_size=BATCH)
