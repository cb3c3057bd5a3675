"""The client or assessment a page opens, read with one fixed SQL statement.

``access.get_client_for`` and ``access.get_assessment_for`` run on nearly
every caseworker page. The ORM built their statement (five tables joined, the
user's teams in a subquery) on every request, which took about four times
as long as PostgreSQL took to answer it. The statements here are the same
reads: the record, only when its client belongs to one of the user's teams
(any record for a superuser), with what the ORM's ``select_related`` loaded
(the client's team, caseworker and case; the assessment's client and
caseworker), made once per process from the models' tables and columns. The
ids are parameters. None means "not yours or not there": the caller answers 404.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connections, router

from assessments.models import Assessment, Client, Team
from assessments.plans.models import Case
from assessments.statements.model_rows import ModelColumns, SqlNames


def _team_clause(connection, client_alias: str) -> str:
    """The client's team is one of the user's (the user's id is the parameter)."""
    qn = connection.ops.quote_name
    members = Team._meta.get_field("members").remote_field.through._meta
    team = qn(members.get_field("team").column)
    user = qn(members.get_field("user").column)
    client_team = qn(Client._meta.get_field("team").column)
    return (
        f"{client_alias}.{client_team} IN "  # noqa: S608 (names only)
        f"(SELECT tm.{team} FROM {qn(members.db_table)} tm WHERE tm.{user} = %s)"
    )


class _ClientRead:
    """The client with its team, caseworker and case (None when it has no case row)."""

    def __init__(self, connection):
        qn = connection.ops.quote_name
        user_model = get_user_model()
        self.client = ModelColumns(Client, "c", connection)
        self.team = ModelColumns(Team, "t", connection)
        self.caseworker = ModelColumns(user_model, "cw", connection)
        self.case = ModelColumns(Case, "cs", connection)

        col = SqlNames(connection).column

        pk = qn("id")
        self.columns = ", ".join(p.sql for p in self.parts)
        self.joins = (
            f"INNER JOIN {qn(Team._meta.db_table)} t ON t.{pk} = c.{col(Client, 'team')} "
            f"LEFT OUTER JOIN {qn(user_model._meta.db_table)} cw "
            f"ON cw.{qn(user_model._meta.pk.column)} = c.{col(Client, 'caseworker')} "
            f"LEFT OUTER JOIN {qn(Case._meta.db_table)} cs ON cs.{col(Case, 'client')} = c.{pk}"
        )
        self.where_pk = f"c.{pk} = %s"
        self.sql = (
            f"SELECT {self.columns} FROM {qn(Client._meta.db_table)} c {self.joins} "  # noqa: S608
            f"WHERE {self.where_pk}"
        )
        self.sql_in_teams = f"{self.sql} AND {_team_clause(connection, 'c')}"

    @property
    def parts(self):
        return (self.client, self.team, self.caseworker, self.case)

    def client_from(self, row, start: int, connection) -> tuple[Client, int]:
        """The client made from ``row`` at ``start``, and where its columns end."""
        instances = []
        for part in self.parts:
            instances.append(part.instance(row, start, connection))
            start += len(part.fields)
        client, team, caseworker, case = instances
        Client._meta.get_field("team").set_cached_value(client, team)
        Client._meta.get_field("caseworker").set_cached_value(client, caseworker)
        Client._meta.get_field("case").set_cached_value(client, case)
        if case is not None:
            Case._meta.get_field("client").set_cached_value(case, client)
        return client, start


class _AssessmentRead:
    """The assessment with its caseworker and its client (as ``_ClientRead``)."""

    def __init__(self, connection):
        qn = connection.ops.quote_name
        user_model = get_user_model()
        self.client = _ClientRead(connection)
        self.assessment = ModelColumns(Assessment, "a", connection)
        self.caseworker = ModelColumns(user_model, "acw", connection)

        names = SqlNames(connection)
        col, table = names.column, names.table

        self.sql = (
            f"SELECT {self.assessment.sql}, {self.caseworker.sql}, {self.client.columns} "  # noqa: S608
            f"FROM {table(Assessment)} a "
            f"INNER JOIN {table(Client)} c ON c.{qn('id')} = a.{col(Assessment, 'client')} "
            f"{self.client.joins} "
            f"LEFT OUTER JOIN {table(user_model)} acw "
            f"ON acw.{qn(user_model._meta.pk.column)} = a.{col(Assessment, 'caseworker')} "
            f"WHERE a.{qn('id')} = %s"
        )
        self.sql_in_teams = f"{self.sql} AND {_team_clause(connection, 'c')}"

    def assessment_from(self, row, connection) -> Assessment:
        assessment = self.assessment.instance(row, 0, connection)
        start = len(self.assessment.fields)
        caseworker = self.caseworker.instance(row, start, connection)
        client, _ = self.client.client_from(row, start + len(self.caseworker.fields), connection)
        Assessment._meta.get_field("client").set_cached_value(assessment, client)
        Assessment._meta.get_field("caseworker").set_cached_value(assessment, caseworker)
        return assessment


_reads: dict[tuple[str, str], object] = {}


def _read(kind, model, user, pk: int):
    """The row of ``kind``'s statement for ``pk``, within the user's teams."""
    connection = connections[router.db_for_read(model)]
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    if not user.is_authenticated or not user.is_active or not low <= pk <= high:
        return None, None, None  # an id out of the column's range is no record, as in the ORM
    key = (kind.__name__, connection.alias)
    statements = _reads.get(key)
    if statements is None:
        statements = _reads[key] = kind(connection)
    with connection.cursor() as cursor:
        if user.is_superuser:
            cursor.execute(statements.sql, [pk])
        else:
            cursor.execute(statements.sql_in_teams, [pk, user.pk])
        row = cursor.fetchone()
    return statements, row, connection


def client_for(user, pk: int) -> Client | None:
    """The client ``pk`` with its team, caseworker and case, if it is in one of
    ``user``'s teams (any client for a superuser); else None."""
    statements, row, connection = _read(_ClientRead, Client, user, pk)
    if row is None:
        return None
    return statements.client_from(row, 0, connection)[0]


def assessment_for(user, pk: int) -> Assessment | None:
    """The assessment ``pk`` with its caseworker and its client (with the
    client's team, caseworker and case), if the client is in one of
    ``user``'s teams (any for a superuser); else None."""
    statements, row, connection = _read(_AssessmentRead, Assessment, user, pk)
    if row is None:
        return None
    return statements.assessment_from(row, connection)
