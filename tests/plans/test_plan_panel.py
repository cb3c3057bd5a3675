"""The client page's plan panel, read with one fixed statement
(assessments/plans/panel.py), lists what the ORM's query listed."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from assessments.plans.models import FocusFactor, Plan, PlanAction
from assessments.plans.panel import plan_lines
from tests.conftest import make_assessment, make_client
from tests.plans.factories import make_plan

TODAY = dt.date(2025, 5, 1)


def orm_lines(client) -> list[tuple]:
    """The panel's former query, in plan order. (Its rows came in no set order:
    Django leaves a model's ordering out of a GROUP BY query.)"""
    open_ = Q(focus_factors__actions__status__in=PlanAction.OPEN)
    plans = (
        Plan.objects.filter(client=client)
        .select_related("assessment")
        .annotate(
            open_actions=Count("focus_factors__actions", filter=open_),
            overdue_actions=Count(
                "focus_factors__actions", filter=open_ & Q(focus_factors__actions__due_on__lt=TODAY)
            ),
        )
    )
    return sorted(
        (
            (p.pk, p.assessment.date, p.next_review_on, p.open_actions, p.overdue_actions)
            for p in plans
        ),
        key=lambda line: (line[1], line[0]),
        reverse=True,
    )


def lines(client) -> list[tuple]:
    return [
        (p.pk, p.assessment_date, p.next_review_on, p.open_actions, p.overdue_actions)
        for p in plan_lines(client.pk, TODAY)
    ]


def test_the_panel_lists_the_plans_and_counts_as_the_orm_did(client_record, caseworker, north):
    older = make_plan(make_assessment(client_record, caseworker, date=dt.date(2025, 1, 1)))
    newer = make_plan(
        make_assessment(client_record, caseworker, date=dt.date(2025, 3, 1)),
        due_on=dt.date(2025, 6, 1),
    )
    bare = Plan.objects.create(  # no focus factor, no action, no review date
        client=client_record,
        assessment=make_assessment(client_record, caseworker, date=dt.date(2025, 2, 1)),
    )
    focus = FocusFactor.objects.filter(plan=older).get()
    for status, due_on, reason in [
        (PlanAction.Status.IN_PROGRESS, dt.date(2025, 4, 30), ""),  # overdue
        (PlanAction.Status.PLANNED, TODAY, ""),  # due today: open, not overdue
        (PlanAction.Status.DONE, dt.date(2025, 1, 2), ""),
        (PlanAction.Status.DROPPED, dt.date(2025, 1, 3), "Not wanted"),
    ]:
        PlanAction.objects.create(
            focus=focus, what="x", who="client", due_on=due_on, status=status, dropped_reason=reason
        )
    other = make_client(north, caseworker, reference="N-0002")
    make_plan(make_assessment(other, caseworker, date=dt.date(2025, 4, 1)))

    found = lines(client_record)
    assert found == orm_lines(client_record)
    assert [line[0] for line in found] == [newer.pk, bare.pk, older.pk]  # Plan's ordering
    assert found[2][3:] == (3, 2) and found[0][3:] == (1, 0) and found[1][2:] == (None, 0, 0)
    assert lines(other) == orm_lines(other) and len(lines(other)) == 1


def test_a_client_without_a_plan_has_an_empty_panel(client_record):
    assert lines(client_record) == orm_lines(client_record) == []


def test_each_line_links_to_its_plan(client_record, caseworker):
    plan = make_plan(make_assessment(client_record, caseworker))
    (line,) = plan_lines(client_record.pk, TODAY)
    assert line.get_absolute_url() == plan.get_absolute_url()
