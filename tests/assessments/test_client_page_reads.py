"""The client page's assessments and progress findings, read with fixed
statements (assessments/statements/client_page_reads.py), are what the ORM read."""

from __future__ import annotations

import datetime as dt

from assessments.models import Assessment, Finding
from assessments.statements import client_page_reads
from factors.models import Factor
from tests.conftest import make_assessment, make_client


def values(instance) -> dict | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_assessments_are_the_orms_newest_first_with_their_caseworker(
    client_record, caseworker, teammate, north, django_assert_num_queries
):
    slugs = list(Factor.objects.active().values_list("slug", flat=True)[:3])
    make_assessment(client_record, caseworker, date=dt.date(2025, 1, 1), present=slugs[:1])
    same_day = [
        make_assessment(client_record, teammate, date=dt.date(2025, 3, 1), stage="action"),
        make_assessment(client_record, caseworker, date=dt.date(2025, 3, 1)),
    ]
    Assessment.objects.filter(pk=same_day[0].pk).update(caseworker=None)  # a former colleague
    make_assessment(client_record, caseworker, completed=False, date=dt.date(2025, 4, 1))
    make_assessment(make_client(north, caseworker, reference="N-0002"), caseworker)

    expected = list(client_record.assessments.select_related("caseworker"))
    with django_assert_num_queries(1):
        read = client_page_reads.assessments_of(client_record)
    assert [values(a) for a in read] == [values(a) for a in expected]
    with django_assert_num_queries(0):
        assert [values(a.caseworker) for a in read] == [values(a.caseworker) for a in expected]
        assert all(a.client is client_record for a in read)
    assert [a.pk for a in read[1:3]] == [same_day[1].pk, same_day[0].pk]  # same day: by id
    assert read[2].caseworker is None and read[1].caseworker == caseworker


def test_a_client_without_assessments_has_none(client_record):
    assert client_page_reads.assessments_of(client_record) == []


def test_the_findings_are_the_orms_in_the_catalogues_order(client_record, caseworker):
    active = list(Factor.objects.active())
    later = make_assessment(client_record, caseworker, present=[f.slug for f in active[::2]])
    earlier = make_assessment(
        client_record, caseworker, present=[f.slug for f in active[:10]], date=dt.date(2024, 1, 1)
    )
    other = make_assessment(make_client(client_record.team, reference="N-0003"), caseworker)
    Finding.objects.filter(assessment=other).update(status=Finding.Status.PRESENT)
    for status in Finding.Status.values:
        expected = Finding.objects.filter(
            assessment__in=[later.pk, earlier.pk], status=status
        ).order_by("factor__level_order", "factor__role_order", "factor__position")
        read = client_page_reads.findings_of(later.pk, earlier.pk, status)
        assert [values(f) for f in read] == [values(f) for f in expected]
    present = client_page_reads.findings_of(later.pk, earlier.pk, Finding.Status.PRESENT)
    assert {f.assessment_id for f in present} == {later.pk, earlier.pk}
