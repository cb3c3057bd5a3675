"""The audit row a page writes, with fixed SQL statements.

Nearly every caseworker page appends one audit row (a view, a save), and a
draft's form and saves first look for the same row written in the last
AUDIT_DRAFT_MINUTES (``audit.record``'s fold). The ORM built the INSERT
through a model instance's save, and the look-up with its ordering, on every
request (about 0.5 ms each, longer than the database took). These are the
same statements, made once per process from the model's table and columns;
every value is a parameter, prepared by its field as the ORM prepares it.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router

from assessments.models import AuditEvent

# What a row is written with; its id comes from the database.
COLUMNS = ("at", "user", "username", "action", "object_type", "object_id", "team", "ip", "detail")
# What makes two rows "the same" for the fold, besides their time.
SAME = ("user", "action", "object_type", "object_id", "detail")


class _Statements:
    def __init__(self, connection):
        qn, meta = connection.ops.quote_name, AuditEvent._meta
        self.fields = {name: meta.get_field(name) for name in COLUMNS}
        table = qn(meta.db_table)
        columns = ", ".join(qn(self.fields[name].column) for name in COLUMNS)
        places = ", ".join(["%s"] * len(COLUMNS))
        self.insert = f"INSERT INTO {table} ({columns}) VALUES ({places})"  # noqa: S608 (names only)
        same = " AND ".join(f"{qn(self.fields[name].column)} = %s" for name in SAME)
        self.recent = (
            f"SELECT 1 FROM {table} WHERE {same} "  # noqa: S608 (names only)
            f"AND {qn(self.fields['at'].column)} >= %s LIMIT 1"
        )

    def prepared(self, connection, values: dict, names) -> list:
        return [self.fields[name].get_db_prep_save(values[name], connection) for name in names]


_statements: dict[str, _Statements] = {}


def _for(connection) -> _Statements:
    found = _statements.get(connection.alias)
    if found is None:
        found = _statements[connection.alias] = _Statements(connection)
    return found


def written_since(since: dt.datetime, **same) -> bool:
    """Whether a row with these values of SAME (user and object_id as ids) was
    written at or after ``since``."""
    connection = connections[router.db_for_write(AuditEvent)]  # the row this request may add
    statements = _for(connection)
    params = statements.prepared(connection, {**same, "at": since}, (*SAME, "at"))
    with connection.cursor() as cursor:
        cursor.execute(statements.recent, params)
        return cursor.fetchone() is not None


def write(**values) -> None:
    """Append one row with the values of COLUMNS (user and team as ids)."""
    connection = connections[router.db_for_write(AuditEvent)]
    statements = _for(connection)
    with connection.cursor() as cursor:
        cursor.execute(statements.insert, statements.prepared(connection, values, COLUMNS))
