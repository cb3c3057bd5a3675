"""The access checks' fixed statements (assessments/statements/access_reads.py) return
exactly what the ORM's scoped querysets returned: the same record with the
same related records loaded, and nothing outside the user's teams."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from assessments.access import get_assessment_for, get_client_for
from assessments.models import Assessment, Client
from assessments.plans.models import Case
from assessments.statements import access_reads
from tests.conftest import make_assessment, make_client, make_user

USERS = ["caseworker", "teammate", "outsider", "supervisor", "superuser", "both_teams"]


def orm_client(user, pk):
    return (
        Client.objects.for_user(user)
        .select_related("team", "caseworker", "case")
        .filter(pk=pk)
        .first()
    )


def orm_assessment(user, pk):
    return (
        Assessment.objects.for_user(user)
        .select_related(
            "client", "client__team", "client__caseworker", "client__case", "caseworker"
        )
        .filter(pk=pk)
        .first()
    )


def values(instance) -> dict | None:
    """Every column's value as the instance holds it (None for no instance)."""
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def related(client: Client) -> dict:
    case = client.case if hasattr(client, "case") else None
    return {
        "team": values(client.team),
        "caseworker": values(client.caseworker),
        "case": values(case),
    }


@pytest.fixture
def both_teams(north, south):
    return make_user("both", teams=[north, south])


@pytest.fixture
def scene(north, south, caseworker, outsider):
    """Clients with and without a caseworker and a case (open and closed), and
    assessments with and without an author, in two teams."""
    closed = make_client(north, caseworker, reference="N-CLOSED", nationality="Nepal")
    Case.objects.create(
        client=closed, status=Case.Status.CLOSED, closed_on=dt.date(2025, 6, 1), reason="moved"
    )
    open_case = make_client(north, None, reference="N-OPEN")
    Case.objects.create(client=open_case)
    plain = make_client(north, caseworker, reference="N-PLAIN", age_group="adult")
    south_client = make_client(south, outsider, reference="S-0001")
    clients = [closed, open_case, plain, south_client]
    assessments = [
        make_assessment(closed, caseworker, date=dt.date(2025, 3, 1)),
        make_assessment(plain, caseworker, completed=False),
        make_assessment(open_case, None, date=dt.date(2025, 2, 1)),
        make_assessment(south_client, outsider, date=dt.date(2025, 1, 1)),
    ]
    return clients, assessments


@pytest.mark.parametrize("role", USERS)
def test_a_client_is_read_as_the_orm_read_it(request, scene, role):
    user = request.getfixturevalue(role)
    clients, _ = scene
    for client in clients:
        expected, read = orm_client(user, client.pk), access_reads.client_for(user, client.pk)
        assert values(read) == values(expected)
        if expected is not None:
            assert related(read) == related(expected)


@pytest.mark.parametrize("role", USERS)
def test_an_assessment_is_read_as_the_orm_read_it(request, scene, role):
    user = request.getfixturevalue(role)
    _, assessments = scene
    for assessment in assessments:
        expected = orm_assessment(user, assessment.pk)
        read = access_reads.assessment_for(user, assessment.pk)
        assert values(read) == values(expected)
        if expected is not None:
            assert values(read.caseworker) == values(expected.caseworker)
            assert values(read.client) == values(expected.client)
            assert related(read.client) == related(expected.client)


def test_a_record_outside_the_users_teams_is_a_404(scene, caseworker, outsider):
    clients, assessments = scene
    south_client, south_assessment = clients[-1], assessments[-1]
    with pytest.raises(Http404):
        get_client_for(caseworker, south_client.pk)
    with pytest.raises(Http404):
        get_assessment_for(caseworker, south_assessment.pk)
    assert get_client_for(outsider, south_client.pk) == south_client
    assert get_assessment_for(outsider, south_assessment.pk) == south_assessment


def test_an_inactive_user_an_unknown_id_or_one_out_of_range_reads_nothing(scene, caseworker):
    clients, assessments = scene
    for pk in (0, -1, 10**6, 2**63, 10**20):
        assert access_reads.client_for(caseworker, pk) is None
        assert access_reads.assessment_for(caseworker, pk) is None
    caseworker.is_active = False
    assert access_reads.client_for(caseworker, clients[0].pk) is None
    assert access_reads.assessment_for(caseworker, assessments[0].pk) is None


def test_what_the_pages_use_needs_no_further_query(scene, caseworker, django_assert_num_queries):
    clients, assessments = scene
    with django_assert_num_queries(1):
        assessment = access_reads.assessment_for(caseworker, assessments[0].pk)
    with django_assert_num_queries(0):
        client = assessment.client
        assert (client.team.name, client.caseworker, assessment.caseworker) == (
            "North",
            caseworker,
            caseworker,
        )
        assert client.case.is_closed and client.case.client is client
    with django_assert_num_queries(1):
        no_case = access_reads.client_for(caseworker, clients[2].pk)
    with django_assert_num_queries(0):
        assert not hasattr(no_case, "case")
