"""The permissions backend: Django's permissions, read in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.auth.models import User as AuthUser

from assessments.roles import CASEWORKERS
from exitsupport.auth_backends import ModelBackendOneQuery
from tests.conftest import make_user


def fresh(user):
    return AuthUser.objects.get(pk=user.pk)  # no permission cache


@pytest.fixture
def caseworker_with_own_permission(north):
    user = make_user("mixed", CASEWORKERS, [north])
    user.user_permissions.add(Permission.objects.get(codename="view_team_report"))
    return user


def test_a_user_has_the_same_permissions_as_with_djangos_backend(
    caseworker_with_own_permission,
):
    user = caseworker_with_own_permission
    ours = ModelBackendOneQuery().get_all_permissions(fresh(user))
    assert ours == ModelBackend().get_all_permissions(fresh(user))
    assert "assessments.view_team_report" in ours  # the user's own
    assert "assessments.view_client" in ours  # the group's


def test_a_superuser_has_every_permission(db):
    admin = AuthUser.objects.create_superuser("root", password="x")
    assert (
        len(ModelBackendOneQuery().get_all_permissions(fresh(admin))) == Permission.objects.count()
    )


def test_an_inactive_user_has_none(caseworker_with_own_permission):
    user = fresh(caseworker_with_own_permission)
    user.is_active = False
    assert ModelBackendOneQuery().get_all_permissions(user) == set()


def test_the_permissions_are_read_once_in_one_query(
    caseworker_with_own_permission, django_assert_num_queries
):
    user = fresh(caseworker_with_own_permission)
    with django_assert_num_queries(1):
        assert user.has_perm("assessments.view_client")
        assert user.has_perm("assessments.view_team_report")
        assert not user.has_perm("assessments.reopen_assessment")
