"""The client page's plan panel: the client's plans, each with its open and
overdue actions counted, read with one fixed SQL statement.

The ORM built this statement (two filtered counts over two joined tables) on
every view of a client's page, which took several times as long as the
database took to answer it. This is the same statement, made once per process
from the models' tables and columns; the client, the open statuses and the
day are parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections, router
from django.urls import reverse

from assessments.models import Assessment
from assessments.plans.models import FocusFactor, Plan, PlanAction
from assessments.statements.model_rows import SqlNames


@dataclass(frozen=True)
class PlanLine:
    """One plan as the panel lists it."""

    pk: int
    assessment_date: dt.date
    next_review_on: dt.date | None
    open_actions: int
    overdue_actions: int

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])


def _sql(connection) -> str:
    qn = connection.ops.quote_name

    names = SqlNames(connection)
    col, table = names.column, names.table

    open_ = ", ".join(["%s"] * len(PlanAction.OPEN))
    is_open = f"pa.{col(PlanAction, 'status')} IN ({open_})"
    pk = qn("id")
    # As Plan's ordering: the newest assessment first. COUNT skips the NULLs of
    # the CASEs, as Django's filtered Count does.
    return (
        f"SELECT p.{pk}, a.{col(Assessment, 'date')}, p.{col(Plan, 'next_review_on')}, "  # noqa: S608
        f"COUNT(CASE WHEN {is_open} THEN pa.{pk} END), "
        f"COUNT(CASE WHEN {is_open} AND pa.{col(PlanAction, 'due_on')} < %s THEN pa.{pk} END) "
        f"FROM {table(Plan)} p "
        f"INNER JOIN {table(Assessment)} a ON a.{pk} = p.{col(Plan, 'assessment')} "
        f"LEFT OUTER JOIN {table(FocusFactor)} ff ON ff.{col(FocusFactor, 'plan')} = p.{pk} "
        f"LEFT OUTER JOIN {table(PlanAction)} pa ON pa.{col(PlanAction, 'focus')} = ff.{pk} "
        f"WHERE p.{col(Plan, 'client')} = %s "
        f"GROUP BY p.{pk}, a.{col(Assessment, 'date')}, p.{col(Plan, 'next_review_on')} "
        f"ORDER BY a.{col(Assessment, 'date')} DESC, p.{pk} DESC"
    )


_statements: dict[str, str] = {}


def plan_lines(client_id: int, today: dt.date) -> list[PlanLine]:
    """The client's plans, newest first, with their actions planned or in
    progress (``open_actions``) and those of them due before ``today``."""
    connection = connections[router.db_for_read(Plan)]
    sql = _statements.get(connection.alias)
    if sql is None:
        sql = _statements[connection.alias] = _sql(connection)
    date_field = Plan._meta.get_field("next_review_on")
    statuses = list(PlanAction.OPEN)
    params = [*statuses, *statuses, date_field.get_db_prep_value(today, connection), client_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        PlanLine(
            pk, date_field.to_python(assessment_date), date_field.to_python(review), opened, overdue
        )
        for pk, assessment_date, review, opened, overdue in rows
    ]
