"""Reports and their exports read from a PostgreSQL streaming replica; everything
else reads and writes the primary.

Only code that explicitly asks for it reads from the replica, with ``use_replica()``
(the report views wrap the report's computation in it, and nothing else: who may
see which team is read from the primary). A replica lags the primary by a moment,
so a page that shows what its user has just changed (a caseworker's own pages)
must never read there: it reads the primary because it never asks for the
replica. Aggregated reports can tolerate the lag. Writes always go to the
primary, even inside ``use_replica()`` (a report's audit record, for instance).

Without ``DATABASE_REPLICA_URL`` there is no "replica" alias and ``use_replica()``
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


@contextmanager
def use_replica() -> Iterator[None]:
    """Send the reads of this block to the replica (when one is configured)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reading_alias() -> str:
    if _reading_replica.get() and REPLICA in settings.DATABASES:
        return REPLICA
    return "default"


class ReplicaRouter:
    """Reads to the replica inside ``use_replica()``; every write, migration and
    everything else to the primary ("default")."""

    def db_for_read(self, model, **hints) -> str:
        return reading_alias()

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == "default"  # the replica follows the primary's schema by replication
