"""Catalogue versions: every admin change and import records one, with who and
why; the admin asks for the reason and offers no delete where it is refused."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import get_script_prefix, reverse, set_script_prefix

from factors.admin_versions import REASON_MISSING
from factors.catalogue import dumps, export_catalogue
from factors.models import CatalogueVersion, Factor, Source, Study
from factors.versions import StudyShown, changed_factors, record_version, snapshot
from tests.security.helpers import factor_change_data

pytestmark = pytest.mark.django_db


def latest():
    return CatalogueVersion.objects.latest()


def test_the_migration_records_the_catalogue_as_a_baseline_version():
    baseline = CatalogueVersion.objects.get(number=1)
    assert baseline.snapshot == snapshot()
    assert "Baseline" in baseline.reason


def test_an_unchanged_catalogue_records_no_new_version():
    assert record_version(user=None, reason="Nothing") is None
    assert CatalogueVersion.objects.count() == 1


def test_a_factor_edit_in_the_admin_needs_a_reason_and_records_a_version(login, catalogue_admin):
    factor = Factor.objects.filter(source=Source.REVIEW).first()
    url = reverse("admin:factors_factor_change", args=[factor.pk])
    http = login(catalogue_admin)
    data = factor_change_data(factor, label="Relabelled", change_reason="")
    response = http.post(url, data)
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    factor.refresh_from_db()
    assert factor.label != "Relabelled" and CatalogueVersion.objects.count() == 1

    data["change_reason"] = "Closer to the paper's wording"
    assert http.post(url, data).status_code == 302
    version = latest()
    assert (version.number, version.created_by, version.reason) == (
        2,
        catalogue_admin,
        "Closer to the paper's wording",
    )
    assert changed_factors(CatalogueVersion.objects.get(number=1).snapshot, version.snapshot) == [
        "Relabelled"
    ]
    assert factor.history.first().history_change_reason == "Closer to the paper's wording"


def test_a_study_edit_in_the_admin_records_a_version(login, catalogue_admin):
    study = Study.objects.first()
    url = reverse("admin:factors_study_change", args=[study.pk])
    form = login(catalogue_admin).get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(venue="A corrected venue", change_reason="Venue corrected", cited_as="[]")
    assert login(catalogue_admin).post(url, data).status_code == 302
    assert latest().reason == "Venue corrected"


def test_an_admin_action_needs_a_reason_and_records_a_version(login, catalogue_admin):
    factor = Factor.objects.first()
    http = login(catalogue_admin)
    changelist = reverse("admin:factors_factor_changelist")
    action = {"action": "retire", "_selected_action": [factor.pk], "index": 0}
    response = http.post(changelist, action, follow=True)
    assert str(REASON_MISSING) in response.content.decode()
    factor.refresh_from_db()
    assert not factor.retired and CatalogueVersion.objects.count() == 1

    http.post(changelist, {**action, "change_reason": "No longer offered"})
    factor.refresh_from_db()
    assert factor.retired
    assert (latest().reason, latest().created_by) == ("No longer offered", catalogue_admin)


def test_the_admin_offers_no_delete_for_the_reviews_own_entries(login, catalogue_admin):
    http = login(catalogue_admin)
    factor = Factor.objects.filter(source=Source.REVIEW).first()
    study = Study.objects.filter(source=Source.REVIEW).first()
    assert http.get(reverse("admin:factors_factor_delete", args=[factor.pk])).status_code == 403
    assert http.get(reverse("admin:factors_study_delete", args=[study.pk])).status_code == 403
    changelist = http.get(reverse("admin:factors_study_changelist")).content.decode()
    assert "delete_selected" not in changelist
    change = http.get(reverse("admin:factors_factor_change", args=[factor.pk])).content.decode()
    assert "delete-related" not in change


def test_deleting_an_unused_local_factor_records_a_version(login, catalogue_admin):
    factor = Factor.objects.create(
        slug="local-one", label="Local one", level="individual", role="hindering", description="d"
    )
    record_version(user=None, reason="Added")
    http = login(catalogue_admin)
    delete = reverse("admin:factors_factor_delete", args=[factor.pk])
    assert http.post(delete, {"post": "yes"}).status_code == 302
    assert latest().reason == "Deleted factor “Local one”."
    assert latest().created_by == catalogue_admin


def test_versions_can_be_read_but_not_changed_in_the_admin(login, catalogue_admin):
    http = login(catalogue_admin)
    assert http.get(reverse("admin:factors_catalogueversion_changelist")).status_code == 200
    version = latest()
    assert http.get(reverse("admin:factors_catalogueversion_add")).status_code == 403
    delete = reverse("admin:factors_catalogueversion_delete", args=[version.pk])
    assert http.post(delete, {"post": "yes"}).status_code == 403
    assert CatalogueVersion.objects.filter(pk=version.pk).exists()


def test_an_import_records_a_version_with_who_and_why(tmp_path, catalogue_admin):
    data = export_catalogue()
    data["factors"][0]["label"] = "Imported label"
    path = tmp_path / "catalogue.json"
    path.write_text(dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_catalogue",
        str(path),
        "--reason",
        "Partner's edits",
        "--by",
        "cat_admin",
        stdout=out,
    )
    assert "catalogue version 2" in out.getvalue()
    assert (latest().reason, latest().created_by) == ("Partner's edits", catalogue_admin)
    assert latest().snapshot["factors"][0]["label"] == "Imported label"


def test_a_refused_import_records_no_version(tmp_path):
    data = export_catalogue()
    data["factors"][0]["role"] = "sometimes"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Exception, match="Nothing was imported"):
        call_command("import_catalogue", str(path), "--reason", "r", stdout=io.StringIO())
    assert CatalogueVersion.objects.count() == 1


def test_the_versions_page_says_who_changed_what_and_why(login, caseworker, catalogue_admin):
    factor = Factor.objects.first()
    factor.label = "Renamed factor"
    factor.save()
    record_version(user=catalogue_admin, reason="A clearer label")
    http = login(caseworker)
    html = http.get(reverse("factors:versions"), {"since": "1"}).content.decode()
    assert "Version 2" in html and "Version 1 " not in html
    assert "A clearer label" in html and "cat_admin" in html and "Renamed factor" in html
    assert "Version 1 " in http.get(reverse("factors:versions")).content.decode()


@pytest.mark.parametrize("since", ["x", "-1", "1.5", "９"])
def test_a_malformed_since_is_a_bad_request(login, caseworker, since):
    assert login(caseworker).get(reverse("factors:versions"), {"since": since}).status_code == 400


def test_reverting_to_a_past_record_in_the_admin_records_a_version(login, catalogue_admin):
    factor = Factor.objects.filter(source=Source.REVIEW).first()
    http = login(catalogue_admin)
    change = reverse("admin:factors_factor_change", args=[factor.pk])
    http.post(change, factor_change_data(factor, label="Relabelled", change_reason="Try"))
    past = factor.history.order_by("history_date", "history_id").first()
    revert = reverse("admin:factors_factor_simple_history", args=[factor.pk, past.history_id])
    data = factor_change_data(factor, change_reason="Back to the paper's label")
    assert http.post(revert, data).status_code == 302
    factor.refresh_from_db()
    assert factor.label == past.label
    assert (latest().number, latest().reason) == (3, "Back to the paper's label")


def test_the_migrations_pin_completed_assessments_to_the_baseline(client_record):
    from importlib import import_module

    from django.apps import apps

    from tests.conftest import make_assessment

    factors_migration = import_module("factors.migrations.0006_results_catalogue_versions")
    pin = import_module("assessments.migrations.0004_results_catalogue_version")
    CatalogueVersion.objects.all().delete()
    factors_migration.record_baseline(apps, None)
    baseline = CatalogueVersion.objects.get()
    live = snapshot()
    assert [(f["id"], f["label"], f["evidence"]) for f in baseline.snapshot["factors"]] == [
        (f["id"], f["label"], f["evidence"]) for f in live["factors"]
    ]
    completed = make_assessment(client_record)
    draft = make_assessment(client_record, completed=False)
    pin.pin_completed_to_baseline(apps, None)
    completed.refresh_from_db()
    draft.refresh_from_db()
    assert completed.catalogue_version == baseline and draft.catalogue_version is None


def test_a_study_link_follows_the_script_prefix_in_force():
    study = StudyShown("smith-2019", "Smith (2019)")
    assert study.get_absolute_url() == reverse("factors:study", args=["smith-2019"])
    before = get_script_prefix()
    set_script_prefix("/exitsupport/")
    try:
        assert study.get_absolute_url().startswith("/exitsupport/")
    finally:
        set_script_prefix(before)
    assert study.get_absolute_url() == reverse("factors:study", args=["smith-2019"])
