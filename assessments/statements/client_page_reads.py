"""The client page's list of assessments and its progress findings, each read
with one fixed SQL statement.

Every view of a client's page read both through the ORM, which spent longer
building each statement than the database took to answer it. These are the
same reads, made once per process from the models' tables and columns; the
ids and the status are parameters. The caller has already checked that the
user may see the client (``access.get_client_for``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connections, router

from assessments.models import Assessment, Client, Finding
from assessments.statements.model_rows import ModelColumns, SqlNames
from factors.models import Factor


class _Statements:
    def __init__(self, connection):
        qn = connection.ops.quote_name
        user_model = get_user_model()
        self.assessment = ModelColumns(Assessment, "a", connection)
        self.caseworker = ModelColumns(user_model, "cw", connection)
        self.finding = ModelColumns(Finding, "f", connection)

        names = SqlNames(connection)
        col, table = names.column, names.table

        pk = qn("id")
        # As Assessment's ordering: newest first.
        self.assessments = (
            f"SELECT {self.assessment.sql}, {self.caseworker.sql} "  # noqa: S608 (names only)
            f"FROM {table(Assessment)} a LEFT OUTER JOIN {table(user_model)} cw "
            f"ON cw.{qn(user_model._meta.pk.column)} = a.{col(Assessment, 'caseworker')} "
            f"WHERE a.{col(Assessment, 'client')} = %s "
            f"ORDER BY a.{col(Assessment, 'date')} DESC, a.{pk} DESC"
        )
        # In the catalogue's order (the factor is joined for that only).
        self.findings = (
            f"SELECT {self.finding.sql} FROM {table(Finding)} f "  # noqa: S608 (names only)
            f"INNER JOIN {table(Factor)} fa ON fa.{pk} = f.{col(Finding, 'factor')} "
            f"WHERE f.{col(Finding, 'assessment')} IN (%s, %s) AND f.{col(Finding, 'status')} = %s "
            f"ORDER BY fa.{col(Factor, 'level_order')}, fa.{col(Factor, 'role_order')}, "
            f"fa.{col(Factor, 'position')}"
        )


_statements: dict[str, _Statements] = {}


def _read(model, sql_of, params):
    connection = connections[router.db_for_read(model)]
    statements = _statements.get(connection.alias)
    if statements is None:
        statements = _statements[connection.alias] = _Statements(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql_of(statements), params)
        return statements, cursor.fetchall(), connection


def assessments_of(client: Client) -> list[Assessment]:
    """The client's assessments, newest first, each with its caseworker (and
    the client) loaded, as ``client.assessments.select_related("caseworker")``."""
    statements, rows, connection = _read(Assessment, lambda s: s.assessments, [client.pk])
    width = len(statements.assessment.fields)
    client_field = Assessment._meta.get_field("client")
    caseworker_field = Assessment._meta.get_field("caseworker")
    assessments = []
    for row in rows:
        assessment = statements.assessment.instance(row, 0, connection)
        caseworker_field.set_cached_value(
            assessment, statements.caseworker.instance(row, width, connection)
        )
        client_field.set_cached_value(assessment, client)
        assessments.append(assessment)
    return assessments


def findings_of(later: int, earlier: int, status: str) -> list[Finding]:
    """The findings with ``status`` of two assessments (by id), in the catalogue's order."""
    statements, rows, connection = _read(Finding, lambda s: s.findings, [later, earlier, status])
    return [statements.finding.instance(row, 0, connection) for row in rows]
