"""Every view, create, change, export and delete of a client or assessment is
recorded (who, when, which record, which action, from which IP); the records
cannot be changed or deleted; supervisors see their own teams' trail; an
erasure leaves nothing about the person; catalogue edits keep history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import AuditEvent
from factors.models import Factor
from tests.security.helpers import factor_change_data

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def complete_data(assessment):
    data = {"date": "2025-04-02", "notes": "n", "version": assessment.version, "complete": "1"}
    for finding in assessment.findings.all():
        data[f"finding_{finding.factor_id}"] = "absent"
    return data


def to(name: str, record: str, *extra):
    return lambda r: reverse(name, args=[getattr(r, record).pk, *extra])


def pk_of(record: str):
    return lambda r: getattr(r, record).pk


def reopen_data(records) -> dict:
    records.draft.delete()  # one draft per client: the reopened one
    return {"reason": "The date was wrong"}


CLIENT_FORM = {
    "reference": "N-0001",
    "data_consent_on": "2024-01-10",
    "data_consent_method": "written",
}

# name: (role, method, url, data, action, object type, object id)
ACTIONS = {
    "view client": ("caseworker", "get", to("assessments:client", "client"), None,
                    "view", "client", pk_of("client")),
    "view results": ("supervisor", "get", to("assessments:results", "completed"), None,
                     "view", "assessment", pk_of("completed")),
    "view form": ("caseworker", "get", to("assessments:edit", "draft"), None,
                  "view", "assessment", pk_of("draft")),
    "change client": ("caseworker", "post", to("assessments:client_edit", "client"),
                      lambda r: CLIENT_FORM, "change", "client", pk_of("client")),
    "withdraw consent": ("caseworker", "post",
                         to("assessments:client_consent_withdraw", "client", "stats"),
                         None, "change", "client", pk_of("client")),
    "save draft": ("caseworker", "post", to("assessments:edit", "draft"),
                   lambda r: {"date": "2025-04-02", "version": 1, "draft": "1"},
                   "change", "assessment", pk_of("draft")),
    "complete": ("caseworker", "post", to("assessments:edit", "draft"),
                 lambda r: complete_data(r.draft), "complete", "assessment", pk_of("draft")),
    "reopen": ("supervisor", "post", to("assessments:reopen", "completed"), reopen_data,
               "reopen", "assessment", pk_of("completed")),
    "reassign": ("supervisor", "post", to("assessments:client_reassign", "client"),
                 lambda r: {"caseworker": r.client.caseworker_id}, "reassign", "client",
                 pk_of("client")),
    "export": ("supervisor", "post", to("assessments:client_export", "client"), None,
               "export", "client", pk_of("client")),
    "delete draft": ("caseworker", "post", to("assessments:delete", "draft"), None,
                     "delete", "assessment", pk_of("draft")),
    "erase": ("supervisor", "post", to("assessments:client_erase", "client"),
              lambda r: {"confirm": "N-0001"}, "erase", "client", pk_of("client")),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_action_on_a_record_is_audited_with_who_what_when_and_where(
    as_role, records, request, name
):
    role, method, url, data, action, object_type, object_id = ACTIONS[name]
    user = request.getfixturevalue(role)
    expected_id = object_id(records)
    response = getattr(as_role(role), method)(
        url(records), data(records) if data else {}, REMOTE_ADDR=IP
    )
    assert response.status_code in (200, 302)
    event = AuditEvent.objects.get(action=action)
    assert (event.user, event.username, event.ip) == (user, user.username, IP)
    assert (event.object_type, event.object_id) == (object_type, expected_id)
    assert event.team.name == "North"
    assert event.at is not None


def test_creating_a_client_and_an_assessment_is_audited(as_role, records, north):
    http = as_role("caseworker")
    data = {"reference": "N-0300", "team": north.pk, "data_consent_on": "2025-01-02",
            "data_consent_method": "written"}  # fmt: skip
    http.post(reverse("assessments:client_new"), data, REMOTE_ADDR=IP)
    records.draft.delete()  # one draft per client: starting opens a new one
    http.post(reverse("assessments:start", args=[records.client.pk]), REMOTE_ADDR=IP)
    created = AuditEvent.objects.filter(action="create")
    assert sorted(created.values_list("object_type", flat=True)) == ["assessment", "client"]
    assert set(created.values_list("ip", "username")) == {(IP, "owner")}


def test_an_audit_record_cannot_be_changed_or_deleted(records):
    event = AuditEvent.objects.create(username="owner", action="view", object_type="client")
    event.username = "someone else"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).username == "owner"


def test_the_audit_trail_has_no_url_that_changes_it(as_role, records):
    http = as_role("supervisor")
    http.get(records.client.get_absolute_url())
    before = list(AuditEvent.objects.values())
    assert http.post(reverse("assessments:audit"), {"action": "delete"}).status_code in (200, 405)
    assert list(AuditEvent.objects.values()) == before


def test_supervisors_see_only_their_teams_trail(as_role, records):
    as_role("caseworker").get(records.client.get_absolute_url())
    as_role("outsider").get(records.south_client.get_absolute_url())
    north_page = as_role("supervisor").get(reverse("assessments:audit")).content.decode()
    south_page = as_role("other_supervisor").get(reverse("assessments:audit")).content.decode()
    assert f"#{records.client.pk}" in north_page and ">owner<" in north_page
    assert ">outsider<" not in north_page
    assert ">outsider<" in south_page and ">owner<" not in south_page


def test_after_an_erasure_no_audit_record_holds_the_clients_reference(as_role, records):
    http = as_role("supervisor")
    http.get(records.client.get_absolute_url())
    http.post(reverse("assessments:client_export", args=[records.client.pk]))
    http.post(reverse("assessments:client_erase", args=[records.client.pk]), {"confirm": "N-0001"})
    assert AuditEvent.objects.filter(action="erase").count() == 1
    for row in AuditEvent.objects.values():
        assert "N-0001" not in " ".join(str(value) for value in row.values())
        assert "Romania" not in " ".join(str(value) for value in row.values())


def test_a_catalogue_edit_in_the_admin_keeps_the_previous_values(as_role, catalogue_admin):
    factor = Factor.objects.first()
    old_label = factor.label
    url = reverse("admin:factors_factor_change", args=[factor.pk])
    data = factor_change_data(factor, label="Relabelled")
    assert as_role("catalogue_admin").post(url, data).status_code == 302
    latest = factor.history.latest()
    assert latest.label == "Relabelled"
    assert latest.history_user == catalogue_admin
    assert latest.prev_record.label == old_label
    changed = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert changed["label"] == (old_label, "Relabelled")
