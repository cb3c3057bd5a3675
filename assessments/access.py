"""One place that decides who may reach which record.

Records outside the user's teams are a 404, never a 403: a 403 would confirm
that the record exists. Role checks use Django permissions, granted through
the role groups (see ``assessments.roles``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import Assessment, Client, Plan, Team
from assessments.plans.services import is_closed
from assessments.statements import access_reads

# Marked here, translated where it is raised.
CASE_CLOSED = gettext_noop("This case is closed: its records are read-only until it is reopened.")


# What a closed case refuses until it is reopened (a closed case is read-only;
# export and erasure stay possible).
CLOSED_CASE_REFUSES = frozenset({
    "assessments.change_client",
    "assessments.reassign_client",
    "assessments.add_assessment",
    "assessments.change_assessment",
    "assessments.delete_assessment",
    "assessments.reopen_assessment",
    "assessments.add_plan",
    "assessments.change_plan",
})  # fmt: skip


def get_client_for(user, pk: int, *, perm: str = "assessments.view_client") -> Client:
    client = access_reads.client_for(user, pk)
    if client is None:
        raise Http404
    require(user, perm)
    refuse_if_closed(client, perm)
    return client


def get_assessment_for(user, pk: int, *, perm: str = "assessments.view_assessment") -> Assessment:
    assessment = access_reads.assessment_for(user, pk)
    if assessment is None:
        raise Http404
    require(user, perm)
    refuse_if_closed(assessment.client, perm)
    return assessment


def get_plan_for(user, pk: int, *, perm: str = "assessments.view_plan") -> Plan:
    plan = get_object_or_404(
        Plan.objects.for_user(user).select_related(
            "client", "client__team", "client__caseworker", "client__case", "assessment"
        ),
        pk=pk,
    )
    require(user, perm)
    refuse_if_closed(plan.client, perm)
    return plan


def refuse_if_closed(client: Client, perm: str) -> None:
    if perm in CLOSED_CASE_REFUSES and is_closed(client):
        raise PermissionDenied(_(CASE_CLOSED))


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
