"""Django's database sessions, read with one fixed SQL statement.

Every signed-in request reads its session. Django's store builds that
SELECT with the ORM on each request, which took longer than PostgreSQL took
to answer it; this store sends the same statement (the key, not expired),
prepared once. Everything else (writing, renewal, expiry, cycling keys on
sign-in, flushing on sign-out) is Django's own.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    _sql: str | None = None

    @classmethod
    def _select_sql(cls, connection) -> str:
        if cls._sql is None:
            model, qn = cls.get_model_class(), connection.ops.quote_name
            meta = model._meta
            data = qn(meta.get_field("session_data").column)
            key = qn(meta.get_field("session_key").column)
            expires = qn(meta.get_field("expire_date").column)
            cls._sql = (
                f"SELECT {data} FROM {qn(meta.db_table)} "  # noqa: S608 (names only)
                f"WHERE {key} = %s AND {expires} > %s"
            )
        return cls._sql

    def _get_session_from_db(self):
        key = self.session_key  # None when the cookie's key is malformed
        row = None
        if key is not None:
            connection = connections[router.db_for_read(self.model)]
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with connection.cursor() as cursor:
                cursor.execute(self._select_sql(connection), [key, now])
                row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=row[0])
