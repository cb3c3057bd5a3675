"""The admin site is for catalogue admins and the superuser. Client records,
assessments and the audit trail are the superuser's alone (the audit trail
read-only); the review's evidence stays verbatim, a used factor is retired
rather than deleted, and what an admin adds is marked as local."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessments.models import AuditEvent, Client
from factors.models import Evidence, Factor, Source, Study
from tests.conftest import make_user
from tests.security.helpers import factor_change_data

pytestmark = pytest.mark.django_db

RECORD_MODELS = ["client", "assessment", "auditevent", "team"]


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "outsider"])
def test_non_admins_are_sent_to_the_admin_sign_in(as_role, role):
    response = as_role(role).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_flag_alone_does_not_open_the_admin(as_role, north):
    staff = make_user("staff_sup", "Supervisors", [north], is_staff=True)
    http = as_role(None)
    http.force_login(staff)
    assert http.get(reverse("admin:index")).status_code == 302


def test_a_catalogue_admin_sees_the_catalogue_but_no_client_records(as_role, records):
    html = as_role("catalogue_admin").get(reverse("admin:index")).content.decode()
    assert reverse("admin:factors_factor_changelist") in html
    for model in RECORD_MODELS + ["user", "group"]:
        assert f"/{model}/" not in html


@pytest.mark.parametrize("model", RECORD_MODELS)
@pytest.mark.parametrize("view", ["changelist", "add", "change", "delete", "history"])
def test_a_catalogue_admin_cannot_reach_client_record_models(as_role, records, model, view):
    http = as_role("catalogue_admin")
    args = [] if view in ("changelist", "add") else [records.client.pk]
    url = reverse(f"admin:assessments_{model}_{view}", args=args)
    assert http.get(url).status_code == 403
    if args:  # the same answer for an id that does not exist: nothing confirmed
        assert (
            http.get(reverse(f"admin:assessments_{model}_{view}", args=[10**9])).status_code == 403
        )


def test_view_on_site_confirms_no_client_record_to_a_catalogue_admin(as_role, records):
    http = as_role("catalogue_admin")
    for obj in (records.client, records.completed):
        ct = ContentType.objects.get_for_model(obj)
        existing = http.get(reverse("admin:view_on_site", args=[ct.pk, obj.pk]))
        missing = http.get(reverse("admin:view_on_site", args=[ct.pk, 10**9]))
        assert existing.status_code == missing.status_code == 404
    factor = Factor.objects.first()
    ct = ContentType.objects.get_for_model(factor)
    response = http.get(reverse("admin:view_on_site", args=[ct.pk, factor.pk]))
    assert response.status_code == 302


def test_the_superuser_can_see_and_change_client_records(as_role, records):
    http = as_role("superuser")
    assert http.get(reverse("admin:assessments_client_changelist")).status_code == 200
    change = http.get(reverse("admin:assessments_client_change", args=[records.client.pk]))
    assert change.status_code == 200
    assert b'name="_save"' in change.content


def test_the_audit_trail_is_read_only_even_for_the_superuser(as_role, records):
    event = AuditEvent.objects.create(username="x", action="view", object_type="client")
    http = as_role("superuser")
    change = http.get(reverse("admin:assessments_auditevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    url = reverse("admin:assessments_auditevent_change", args=[event.pk])
    assert http.post(url, {"username": "y"}).status_code == 403
    delete = reverse("admin:assessments_auditevent_delete", args=[event.pk])
    assert http.post(delete, {"post": "yes"}).status_code == 403
    assert http.get(reverse("admin:assessments_auditevent_add")).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).username == "x"


def test_a_catalogue_admin_can_change_a_factor(as_role, records):
    factor = Factor.objects.first()
    data = factor_change_data(factor, label="A clearer label")
    url = reverse("admin:factors_factor_change", args=[factor.pk])
    response = as_role("catalogue_admin").post(url, data)
    assert response.status_code == 302, response.content[:3000]
    factor.refresh_from_db()
    assert factor.label == "A clearer label"


def test_a_factor_used_by_an_assessment_cannot_be_deleted_but_can_be_retired(as_role, records):
    factor = Factor.objects.get(pk=records.completed.findings.first().factor_id)
    http = as_role("catalogue_admin")
    delete = reverse("admin:factors_factor_delete", args=[factor.pk])
    assert http.get(delete).status_code == 403
    assert http.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:factors_factor_changelist")
    assert b"delete_selected" not in http.get(changelist).content
    response = http.post(
        changelist,
        {"action": "retire", "_selected_action": [factor.pk], "index": 0, "change_reason": "r"},
    )
    assert response.status_code == 302
    factor.refresh_from_db()
    assert factor.retired and Factor.objects.filter(pk=factor.pk).exists()


def test_an_unused_local_factor_can_be_deleted(as_role, records):
    factor = Factor.objects.create(slug="new-one", label="New", level="individual",
                                   role="facilitating", description="d")  # fmt: skip
    http = as_role("catalogue_admin")
    delete = reverse("admin:factors_factor_delete", args=[factor.pk])
    assert http.post(delete, {"post": "yes"}).status_code == 302
    assert not Factor.objects.filter(pk=factor.pk).exists()


def test_the_reviews_evidence_is_locked_in_the_inline(as_role, records):
    evidence = Evidence.objects.filter(source=Source.REVIEW).select_related("factor").first()
    factor = evidence.factor
    http = as_role("catalogue_admin")
    html = http.get(reverse("admin:factors_factor_change", args=[factor.pk])).content.decode()
    index = list(factor.evidence.order_by("position", "id")).index(evidence)
    quote_tag = re.search(rf'<textarea[^>]*name="evidence-{index}-quote"[^>]*>', html)
    assert quote_tag and "disabled" in quote_tag.group(0)

    data = factor_change_data(factor)
    data[f"evidence-{index}-quote"] = "Rewritten"
    data[f"evidence-{index}-direction"] = "counter"
    url = reverse("admin:factors_factor_change", args=[factor.pk])
    assert http.post(url, data).status_code == 302
    evidence.refresh_from_db()
    assert evidence.quote != "Rewritten"
    assert evidence.direction != "counter"


def test_the_reviews_evidence_cannot_be_deleted_in_the_inline(as_role, records):
    evidence = Evidence.objects.filter(source=Source.REVIEW).select_related("factor").first()
    factor = evidence.factor
    index = list(factor.evidence.order_by("position", "id")).index(evidence)
    data = factor_change_data(factor)
    data[f"evidence-{index}-DELETE"] = "on"
    url = reverse("admin:factors_factor_change", args=[factor.pk])
    http = as_role("catalogue_admin")
    # Not offered: the inline has no delete box for it, and a forged one is ignored.
    page = http.get(url).content.decode()
    assert f'type="hidden" name="evidence-{index}-DELETE"' in page
    assert f'type="checkbox" name="evidence-{index}-DELETE"' not in page
    http.post(url, data)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_an_admin_adds_is_marked_local(as_role, records):
    factor = Factor.objects.filter(evidence__source=Source.REVIEW).first()
    study = Study.objects.first()
    data = factor_change_data(factor)
    n = int(data["evidence-TOTAL_FORMS"])
    data.update({
        "evidence-TOTAL_FORMS": str(n + 1),
        f"evidence-{n}-factor": str(factor.pk),
        f"evidence-{n}-study": str(study.pk),
        f"evidence-{n}-direction": "supports",
        f"evidence-{n}-quote": "A newer finding.",
        f"evidence-{n}-position": "99",
        f"evidence-{n}-source": "review",  # read-only: ignored
    })  # fmt: skip
    url = reverse("admin:factors_factor_change", args=[factor.pk])
    assert as_role("catalogue_admin").post(url, data).status_code == 302
    added = Evidence.objects.get(quote="A newer finding.")
    assert added.source == Source.LOCAL


def test_client_records_cannot_be_created_through_the_admin_by_a_catalogue_admin(as_role, north):
    data = {"reference": "ADMIN-1", "team": north.pk, "data_consent_on": "2025-01-01",
            "data_consent_method": "written"}  # fmt: skip
    response = as_role("catalogue_admin").post(reverse("admin:assessments_client_add"), data)
    assert response.status_code == 403
    assert not Client.objects.filter(reference="ADMIN-1").exists()
