"""What the page publishes agrees with itself (issue 9 §5): "where to invest" counts
the same labelled cells as the table, "not assessed" is never counted as absent,
and factors that are context or caution are never investments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.reports.compute import compute_report
from assessments.reports.published import publish
from factors.models import Action, Factor, Role
from tests.conftest import make_assessment, make_client
from tests.reports.conftest import filters_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_noise")]

PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}


@pytest.fixture
def facilitating(db):
    factors = Factor.objects.active().filter(role=Role.FACILITATING, action=Action.ACTIONABLE)
    return list(factors.in_catalogue_order().values_list("slug", flat=True))


def test_strengthen_counts_factors_recorded_absent_not_those_not_assessed(north, facilitating):
    absent_one, not_assessed_one = facilitating[:2]
    for i in range(18):
        make_assessment(
            make_client(north),
            present=[absent_one] if i < 6 else [],
            absent=[] if i < 6 else [absent_one],
            date=dt.date(2025, 3, 1),
        )
    report = publish(compute_report(filters_for([north])), 5)
    strengthen = next(g for g in report.top() if g.key == "strengthen")
    ranked = [row.factor.slug for row, _, _ in strengthen.items]
    assert ranked == [absent_one]  # every other factor was "not assessed": not absent
    row = next(r for r in report.rows if r.factor.slug == not_assessed_one)
    assert (str(row.present), str(row.absent)) == ("<5", "<5")


def test_context_and_caution_factors_are_never_investments(north, facilitating):
    context, caution = facilitating[:2]
    Factor.objects.filter(slug=context).update(action=Action.CONTEXT)
    Factor.objects.filter(slug=caution).update(action=Action.CAUTION)
    for _ in range(12):
        make_assessment(make_client(north), present=[], date=dt.date(2025, 3, 1))  # all absent
    report = publish(compute_report(filters_for([north])), 5)
    ranked = {row.factor.slug for group in report.top() for row, _, _ in group.items}
    assert context not in ranked and caution not in ranked
    assert {r.factor.slug for r in report.not_ranked()} >= {context, caution}
    assert {r.factor.slug for r in report.rows} >= {context, caution}  # still described


def test_where_to_invest_shows_the_same_cells_as_the_table(login, supervisor, north, slugs):
    for i in range(14):
        present = slugs[: 1 + i % 4]
        make_assessment(make_client(north), present=present, date=dt.date(2025, 3, 1))
    response = login(supervisor).get(reverse("assessments:report"), PERIOD)
    report = response.context["report"]
    html = response.content.decode()
    rows = {r.factor.slug: r for r in report.rows}
    for group in report.top():
        for row, count, _ in group.items:
            column = {
                "Absent": rows[row.factor.slug].absent,
                "Present": rows[row.factor.slug].present,
            }
            assert count == column[group.column]
            assert f"{row.factor.label} — {count} client" in html
    assert "the “Absent” column of the tables below" in html
    assert "the “Present” column of the tables below" in html
