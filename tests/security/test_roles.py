"""The role matrix: each role against each view, with the status it gets.

200 allowed, 302 allowed (an action that redirects), 403 the role may not do
this, 404 the record is outside the user's teams. The North client's
caseworker is ``caseworker``; ``teammate`` is another North caseworker.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

CW, TM, SUP, OUT, OSUP, CAT, SU = ROLES
ALL_SIGNED_IN = dict.fromkeys(ROLES, 200)


def expect(cw, tm, sup, out, osup, cat, su):
    return dict(zip(ROLES, (cw, tm, sup, out, osup, cat, su), strict=True))


# view: (method, url builder, expected status by role)
MATRIX = {
    "client list": ("get", lambda r: reverse("assessments:clients"),
                    expect(200, 200, 200, 200, 200, 403, 200)),
    "new client form": ("get", lambda r: reverse("assessments:client_new"),
                        expect(200, 200, 403, 200, 403, 403, 200)),
    "client record": ("get", lambda r: r.client.get_absolute_url(),
                      expect(200, 200, 200, 404, 404, 404, 200)),
    "client edit form": ("get", lambda r: reverse("assessments:client_edit", args=[r.client.pk]),
                         expect(200, 200, 403, 404, 404, 404, 200)),
    "consent withdrawal": (
        "post",
        lambda r: reverse("assessments:client_consent_withdraw", args=[r.client.pk, "stats"]),
        expect(302, 302, 403, 404, 404, 404, 302),
    ),
    "reassign form": ("get", lambda r: reverse("assessments:client_reassign", args=[r.client.pk]),
                      expect(403, 403, 200, 404, 404, 404, 200)),
    "export": ("post", lambda r: reverse("assessments:client_export", args=[r.client.pk]),
               expect(403, 403, 200, 404, 404, 404, 200)),
    "erase form": ("get", lambda r: reverse("assessments:client_erase", args=[r.client.pk]),
                   expect(403, 403, 200, 404, 404, 404, 200)),
    "start assessment": ("post", lambda r: reverse("assessments:start", args=[r.client.pk]),
                         expect(302, 302, 403, 404, 404, 404, 302)),
    "results": ("get", lambda r: reverse("assessments:results", args=[r.completed.pk]),
                expect(200, 200, 200, 404, 404, 404, 200)),
    "edit a draft": ("get", lambda r: reverse("assessments:edit", args=[r.draft.pk]),
                     expect(200, 200, 403, 404, 404, 404, 200)),
    "edit one's own completed assessment": (
        "get", lambda r: reverse("assessments:edit", args=[r.completed.pk]),
        expect(200, 403, 403, 404, 404, 404, 200),
    ),
    # without a reason: the page that asks for one
    "reopen": ("post", lambda r: reverse("assessments:reopen", args=[r.completed.pk]),
               expect(403, 403, 200, 404, 404, 404, 200)),
    "delete a draft": ("post", lambda r: reverse("assessments:delete", args=[r.draft.pk]),
                       expect(302, 302, 403, 404, 404, 404, 302)),
    "delete a completed assessment": (
        "post", lambda r: reverse("assessments:delete", args=[r.completed.pk]),
        expect(403, 403, 403, 404, 404, 404, 403),
    ),
    "audit trail": ("get", lambda r: reverse("assessments:audit"),
                    expect(403, 403, 200, 403, 200, 403, 200)),
    "reports": ("get", lambda r: reverse("assessments:report"),
                expect(403, 403, 200, 403, 200, 403, 200)),
    "catalogue": ("get", lambda r: reverse("factors:catalogue"), ALL_SIGNED_IN),
    "about the evidence": ("get", lambda r: reverse("factors:about"), ALL_SIGNED_IN),
    "admin site": ("get", lambda r: reverse("admin:index"),
                   expect(302, 302, 302, 302, 302, 200, 200)),
}  # fmt: skip


def answers_by_role(as_role, records, view: str) -> dict[str, int]:
    """Each role's status for ``view``, each in a rolled-back savepoint so that
    one role's action (a delete, a reopen) does not change what the next sees."""
    method, url, _ = MATRIX[view]
    got = {}
    for role in ROLES:
        with transaction.atomic():
            response = getattr(as_role(role), method)(url(records))
            got[role] = response.status_code
            if response.status_code == 404:
                assert b"N-0001" not in response.content
            transaction.set_rollback(True)
    return got


@pytest.mark.parametrize("view", list(MATRIX))
def test_each_role_gets_the_expected_answer_from_each_view(as_role, records, view):
    assert answers_by_role(as_role, records, view) == MATRIX[view][2]


@pytest.mark.parametrize("view", list(MATRIX))
def test_an_anonymous_visitor_is_sent_to_sign_in_from_each_view(as_role, records, view):
    method, url, _ = MATRIX[view]
    response = getattr(as_role(None), method)(url(records))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_roles_are_groups_with_the_permissions_of_the_issue(db):
    from django.contrib.auth.models import Group

    perms = {
        g.name: {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()}
        for g in Group.objects.prefetch_related("permissions__content_type")
    }
    assert "assessments.change_assessment" in perms["Caseworkers"]
    assert "assessments.reassign_client" not in perms["Caseworkers"]
    assert "assessments.export_client" not in perms["Caseworkers"]
    assert {"assessments.reassign_client", "assessments.view_team_report"} <= perms["Supervisors"]
    assert "assessments.change_assessment" not in perms["Supervisors"]
    assert "factors.change_factor" in perms["Catalogue admins"]
    # of the assessments app, catalogue admins keep only the services directory
    assert not any(
        p.startswith("assessments.") and not p.endswith("_service")
        for p in perms["Catalogue admins"]
    )


def test_a_teammate_can_edit_a_completed_assessment_only_after_a_supervisor_reopens_it(
    as_role, records
):
    edit = reverse("assessments:edit", args=[records.completed.pk])
    teammate = as_role("teammate")
    assert teammate.get(edit).status_code == 403
    records.draft.delete()  # one draft per client
    as_role("supervisor").post(
        reverse("assessments:reopen", args=[records.completed.pk]), {"reason": "Wrong date"}
    )
    assert teammate.get(edit).status_code == 200


def test_a_supervisor_reassigns_only_to_a_caseworker_of_the_team(
    as_role, records, teammate, outsider
):
    url = reverse("assessments:client_reassign", args=[records.client.pk])
    supervisor = as_role("supervisor")
    assert supervisor.post(url, {"caseworker": outsider.pk}).status_code == 200
    records.client.refresh_from_db()
    assert records.client.caseworker.username == "owner"
    assert supervisor.post(url, {"caseworker": teammate.pk}).status_code == 302
    records.client.refresh_from_db()
    assert records.client.caseworker == teammate
