"""One place that decides who may reach which record.

Records outside the user's teams are a 404, never a 403: a 403 would confirm
that the record exists. Role checks use Django permissions, granted through
the role groups (see ``assessments.roles``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Client, Team


def get_client_for(user, pk: int, *, perm: str = "assessments.view_client") -> Client:
    client = get_object_or_404(
        Client.objects.for_user(user).select_related("team", "caseworker"), pk=pk
    )
    require(user, perm)
    return client


def get_assessment_for(user, pk: int, *, perm: str = "assessments.view_assessment") -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.for_user(user).select_related(
            "client", "client__team", "client__caseworker", "caseworker"
        ),
        pk=pk,
    )
    require(user, perm)
    return assessment


def require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def teams_for(user):
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(members=user)


def can_edit_assessment(user, assessment: Assessment) -> bool:
    """Caseworkers edit drafts of their team; a completed assessment only by its
    author, until a supervisor reopens it."""
    if not user.has_perm("assessments.change_assessment"):
        return False
    if assessment.is_completed:
        return user.is_superuser or assessment.caseworker_id == user.pk
    return True
