import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from assessments.management.commands import seed_demo
from assessments.models import Assessment, Client, Finding, Team
from factors.models import Factor

pytestmark = pytest.mark.django_db


def seed(*args, **env):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_accounts_get_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-long")
    seed()
    for username in ("caseworker", "supervisor", "caseworker2", "admin"):
        assert User.objects.get(username=username).check_password("a-demo-password-long")
    assert set(Team.objects.get(name="North").members.values_list("username", flat=True)) == {
        "caseworker",
        "supervisor",
    }
    assert list(Team.objects.get(name="South").members.values_list("username", flat=True)) == [
        "caseworker2"
    ]


def test_without_demo_password_a_random_one_is_printed_once(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    first = seed()
    assert "shown only this once" in first
    password = first.split("password: ")[1].split()[0]
    assert User.objects.get(username="caseworker").check_password(password)
    assert "shown only this once" not in seed()


def test_a_short_demo_password_is_refused(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "short")
    with pytest.raises(CommandError, match="at least 12"):
        seed()


def test_demo_clients_are_synthetic_and_in_both_teams(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-long")
    seed()
    seed()  # idempotent
    assert Client.objects.filter(reference__startswith="DEMO-N-").count() == 4
    assert Client.objects.filter(reference__startswith="DEMO-S-").count() == 4


def test_large_synthetic_sets_are_made_in_bulk(monkeypatch, django_assert_max_num_queries):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-long")
    seed()
    before = Client.objects.count()
    seed("--clients", "60", "--assessments-per-client", "3")
    assert Client.objects.count() == before + 60
    synthetic = Assessment.objects.filter(client__reference__startswith="SYN-")
    assert synthetic.count() == 180 and not synthetic.exclude(status="completed").exists()
    assert Finding.objects.filter(assessment__in=synthetic).count() == 180 * Factor.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and index rebuilds: PostgreSQL")
def test_a_large_load_puts_back_every_key_and_index_it_set_aside(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-long")
    monkeypatch.setattr(seed_demo, "BIG_LOAD", 1)  # as from 100,000 findings
    tables = [m._meta.db_table for m in (Client, Assessment, Finding)]

    def schema() -> set:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
                "UNION SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE tablename = ANY(%s)",
                [tables, tables],
            )
            return set(cursor.fetchall())

    before = schema()
    seed("--clients", "20", "--assessments-per-client", "2")
    assert schema() == before
    synthetic = Assessment.objects.filter(client__reference__startswith="SYN-")
    assert synthetic.count() == 40
    assert Finding.objects.filter(assessment__in=synthetic).count() == 40 * Factor.objects.count()


def test_seeded_completed_assessments_show_the_catalogue_version_they_were_made_with(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-long")
    seed("--clients", "12", "--assessments-per-client", "2")
    completed = Assessment.objects.filter(status="completed")
    assert completed.exists() and not completed.filter(catalogue_version__isnull=True).exists()
