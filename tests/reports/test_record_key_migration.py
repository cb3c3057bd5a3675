"""The migration that adds record keys gives every existing client one, at random,
never 0 (on SQLite and on PostgreSQL, whose statements differ)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessments", "0006_worksafe_drafts_carry_over_held")]
AFTER = [("assessments", "0007_reports_record_key")]


@pytest.mark.django_db(transaction=True)
def test_existing_clients_get_a_random_record_key_never_zero():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Team = old_apps.get_model("assessments", "Team")
    Client = old_apps.get_model("assessments", "Client")
    team = Team.objects.create(name="Migration team")
    Client.objects.bulk_create(
        Client(
            reference=f"MIG-{i:03d}",
            team=team,
            data_consent_on="2024-01-01",
            data_consent_method="written",
        )
        for i in range(60)
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    keys = list(
        new_apps.get_model("assessments", "Client")
        .objects.filter(team__name="Migration team")
        .values_list("record_key", flat=True)
    )
    assert len(keys) == 60
    assert all(1 <= key <= 255 for key in keys)
    assert len(set(keys)) > 20  # random, not one value for all
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema
