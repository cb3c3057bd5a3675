"""A real streaming replica (``.ci/replica start``), named by DATABASE_REPLICA_URL.

Without it the tests that need one are skipped with the reason, unless
REQUIRE_REPLICA_TESTS is set (as in CI), where a skip would hide a gap and fails
instead. They run on their own (``make test-replica``): with a replica
configured every test would have to declare it.
"""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings
from django.db import connections

from exitsupport.db_router import REPLICA


@pytest.fixture
def replica():
    """The replica's connection, once it has replayed everything the primary has
    committed so far (call ``caught_up()`` again after committing more)."""
    if REPLICA not in settings.DATABASES:
        reason = "DATABASE_REPLICA_URL is not set (.ci/replica start): replica tests not run"
        if os.environ.get("REQUIRE_REPLICA_TESTS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    caught_up()
    return connections[REPLICA]


def caught_up(timeout: float = 30) -> None:
    """Wait until the replica has replayed the primary's WAL up to now."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the replica did not replay {target} within {timeout:.0f} s")
            time.sleep(0.05)
