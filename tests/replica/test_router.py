"""Which database a read goes to: the replica only inside ``use_replica()`` (the
report views), the primary everywhere else and for every write. These run
without a replica: the router decides before any query is sent."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import router
from django.test import override_settings
from django.urls import reverse

from assessments.models import AuditEvent, Client
from exitsupport import db_router
from exitsupport.db_router import REPLICA, ReplicaRouter, use_replica

# The router reads settings.DATABASES at each decision; connections are untouched.
PRIMARY_ONLY = {alias: db for alias, db in settings.DATABASES.items() if alias != REPLICA}
WITH_REPLICA = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    "replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}


@override_settings(DATABASES=WITH_REPLICA)
def test_reads_go_to_the_replica_only_inside_use_replica():
    assert Client.objects.all().db == "default"
    with use_replica():
        assert Client.objects.all().db == "replica"
    assert Client.objects.all().db == "default"


@override_settings(DATABASES=WITH_REPLICA)
def test_writes_go_to_the_primary_even_inside_use_replica():
    with use_replica():
        assert router.db_for_write(AuditEvent) == "default"
        assert Client.objects.all().db == "replica"


@override_settings(DATABASES=PRIMARY_ONLY)
def test_without_a_replica_use_replica_reads_the_primary():
    with use_replica():
        assert Client.objects.all().db == "default"


def test_only_the_primary_is_migrated():
    assert ReplicaRouter().allow_migrate("default", "assessments")
    assert not ReplicaRouter().allow_migrate("replica", "assessments")


@pytest.mark.django_db
@override_settings(DATABASES=PRIMARY_ONLY)
@pytest.mark.parametrize("name", ["report", "report_csv"])
def test_the_report_and_its_export_compute_inside_use_replica(
    name, monkeypatch, client, supervisor
):
    seen = []
    import assessments.reports.views as views

    real = views.build_report

    def spy(*args, **kwargs):
        seen.append(db_router._reading_replica.get())
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "build_report", spy)
    client.force_login(supervisor)
    query = "?start=2025-01-01&end=2025-06-30"
    assert client.get(reverse(f"assessments:{name}") + query).status_code == 200
    assert seen == [True]
    assert not db_router._reading_replica.get()  # reset after the view
