"""Demo accounts and synthetic clients. Everything made here is synthetic:
client references start with DEMO- or SYN- and no record describes a real person."""

from __future__ import annotations

import os
import random
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assessments import figures
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
from factors.versions import version_to_pin

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
BIG_LOAD = 100_000  # findings from which keys and indexes are built once, after the load


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
            findings = clients * assessments_per_client * len(factors)
            with transaction.atomic(), _indexes_built_once(findings):
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
        """Insert n clients with per_client completed assessments each: with COPY on
        PostgreSQL (about ten times faster than INSERTs at 100,000 clients), in
        batches of bulk_create elsewhere. The same seed gives the same records."""
        if n <= 0:
            return
        today = timezone.localdate()
        now = timezone.now()
        clients = [
            {
                "reference": f"{prefix}{i:06d}" if n > 9 else f"{prefix}{i:03d}",
                "team_id": team.pk,
                "caseworker_id": rng.choice(caseworkers).pk,
                "age_group": rng.choice(["", *Client.AgeGroup.values]),
                "route": rng.choice(["", *Client.Route.values]),
                "setting": rng.choice(["", *Client.Setting.values]),
                "nationality": "",
                "language": "",  # the caseworker's language
                "data_consent_on": today - timedelta(days=800),
                "data_consent_method": rng.choice(Client.ConsentMethod.values),
                "stats_consent_on": today - timedelta(days=800) if rng.random() < 0.85 else None,
                "record_key": rng.randrange(1, RECORD_KEY_RANGE),  # repeatable with --seed
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1, n + 1)
        ]
        # (client index, date, stage) of each assessment, in insertion order
        assessments = []
        for index in range(n):
            start = today - timedelta(days=rng.randint(per_client * 60, 720))
            for k in range(per_client):
                day = min(start + timedelta(days=k * rng.randint(45, 120)), today)
                assessments.append((index, day, rng.choice(Stage.values)))
        write = _copy if connection.vendor == "postgresql" else _bulk_create
        # completed assessments show the catalogue version they were completed with
        write(rng, factors, clients, assessments, now, version_to_pin().pk)


def _status(rng, factor: Factor) -> str:
    if rng.random() < PRESENT_RATE[factor.role]:
        return Finding.Status.PRESENT
    return Finding.Status.ABSENT if rng.random() < 0.9 else Finding.Status.NOT_ASSESSED


def _bulk_create(rng, factors, clients, assessments, now, version_id: int) -> None:
    made = Client.objects.bulk_create([Client(**c) for c in clients], batch_size=BATCH)
    for start in range(0, len(assessments), BATCH):
        chunk = [
            Assessment(
                client=made[index],
                caseworker_id=made[index].caseworker_id,
                date=day,
                quarter=quarter_start(day),
                stage=stage,
                status=Assessment.Status.COMPLETED,
                completed_at=now,
                catalogue_version_id=version_id,
            )
            for index, day, stage in assessments[start : start + BATCH]
        ]
        Assessment.objects.bulk_create(chunk)
        Finding.objects.bulk_create(
            [
                Finding(
                    assessment=a,
                    factor=f,
                    factor_label=f.label,
                    factor_level=f.level,
                    factor_role=f.role,
                    status=_status(rng, f),
                )
                for a in chunk
                for f in factors
            ],
            batch_size=BATCH,
        )


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _ids(cursor, model, n: int) -> list[int]:
    """n ids taken from the table's sequence, so that rows written with COPY can
    refer to each other."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [model._meta.db_table, n],
    )
    return [row[0] for row in cursor.fetchall()]


@contextmanager
def _indexes_built_once(rows: int):
    """Drop the tables' foreign keys and secondary indexes for a large load, and
    add them back after it - PostgreSQL's own advice for populating a database.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: each row written
    queues a check that runs at COMMIT, one index look-up at a time, and each
    index is updated row by row (minutes for 15 million findings). Added back,
    each key is checked in one join and each index built in one sort. They are
    gone only inside this transaction: nobody else ever sees them missing.
    """
    if rows < BIG_LOAD or connection.vendor != "postgresql":
        yield
        return
    cursor = connection.cursor()
    # Checks still queued from earlier in the transaction would forbid ALTER TABLE.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    restore = []
    for model in (Client, Assessment, Finding):
        table = model._meta.db_table
        # foreign keys and unique constraints (not the primary key: ids are reserved)
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_quote(table)} DROP CONSTRAINT {_quote(name)}")
            restore.append(
                f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)} {definition}"
            )
        # the other indexes
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            restore.append(definition)
    yield
    for statement in restore:
        cursor.execute(statement)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them
    cursor.close()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _figures_triggers(cursor, action: str) -> None:
    """DISABLE or ENABLE the triggers that keep the report's figures (ALTER TABLE
    refuses while deferred foreign-key checks are queued: they run first)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, event, _function in figures.TRIGGERS:
        name = _quote(f"reportfigures_{event}")
        cursor.execute(f"ALTER TABLE {_quote(table)} {action} TRIGGER {name}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them


def _copy(rng, factors, clients, assessments, now, version_id: int) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor: COPY is not in the DB-API

        def copy(model, columns: list[str], lines) -> None:
            sql = (
                f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
            )
            with cursor.copy(sql) as stream:
                buffer = []
                for line in lines:
                    buffer.append(line)
                    if len(buffer) >= BATCH:
                        stream.write("".join(buffer))
                        buffer.clear()
                stream.write("".join(buffer))

        # The report's figures (assessments/figures.py) are written once after the
        # load, in one statement, rather than by their triggers for each COPY.
        _figures_triggers(cursor, "DISABLE")
        client_ids = _ids(cursor, Client, len(clients))
        columns = list(clients[0])
        copy(
            Client,
            ["id", *columns],
            (
                "\t".join(_text(v) for v in (pk, *(c[k] for k in columns))) + "\n"
                for pk, c in zip(client_ids, clients, strict=True)
            ),
        )
        assessment_ids = _ids(cursor, Assessment, len(assessments))
        completed_at = _text(now)
        copy(
            Assessment,
            ["id", "client_id", "caseworker_id", "date", "quarter", "stage", "notes"]
            + ["status", "completed_at", "version", "created_at", "updated_at"]
            + ["reopen_reason", "catalogue_version_id"],
            (
                f"{pk}\t{client_ids[index]}\t{clients[index]['caseworker_id']}\t{day}\t"
                f"{quarter_start(day)}\t{stage}\t\tcompleted\t{completed_at}\t1\t"
                f"{completed_at}\t{completed_at}\t\t{version_id}\n"
                for pk, (index, day, stage) in zip(assessment_ids, assessments, strict=True)
            ),
        )
        described = [(f, f"{f.pk}\t{_text(f.label)}\t{f.level}\t{f.role}\n") for f in factors]
        copy(
            Finding,
            ["assessment_id", "factor_id", "factor_label", "factor_level", "factor_role"]
            + ["note", "status", "carried_over"],
            (
                f"{pk}\t{text[:-1]}\t\t{_status(rng, f)}\tf\n"
                for pk in assessment_ids
                for f, text in described
            ),
        )
        _figures_triggers(cursor, "ENABLE")
        figures.rebuild(client_ids)
