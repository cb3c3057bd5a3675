"""Migration factors/0005 brings a database loaded with the previous catalogue
to the issue 9 decisions, keeps an admin's own edits and completed
assessments' meaning, and records every change with its reason."""

import importlib

import pytest
from django.apps import apps

from factors.catalogue import load_review_data
from factors.models import Evidence, Factor, Review, Study
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db

migration = importlib.import_module("factors.migrations.0005_catalogue_review_decisions")


def restore_previous_catalogue() -> None:
    """Put back what the catalogue held before issue 9 (the "old" side of the migration)."""
    for slug, change in migration.FACTOR_CHANGES.items():
        factor = Factor.objects.get(slug=slug)
        for name, (old, _new) in change["fields"].items():
            setattr(factor, name, old)
        factor.save()
    for slug, key, position, old, _new in migration.EVIDENCE_DIRECTIONS:
        Evidence.objects.filter(factor__slug=slug, study__key=key, position=position).update(
            direction=old
        )
    merged = Factor.objects.get(slug="collectivist-cultural-orientation")
    evidence = list(merged.evidence.all())
    Factor.objects.filter(slug__in=[f["slug"] for f in migration.NEW_FACTORS]).delete()
    merged.pk = None
    merged.slug = migration.MERGED_CULTURE
    merged.label = "Cultural orientation (collectivist or individualist)"
    merged.save()
    for ev in evidence:
        Evidence.objects.create(
            factor=merged, study=ev.study, quote=ev.quote, direction="supports", source="review"
        )
    for key, fields in migration.STUDY_CHANGES.items():
        Study.objects.filter(key=key).update(**{name: old for name, (old, _) in fields.items()})
    Review.objects.update(**{name: old for name, (old, _) in migration.REVIEW_CHANGES.items()})


@pytest.fixture
def previous(client_record):
    restore_previous_catalogue()
    return make_assessment(client_record, present=["ngo-support", "cultural-orientation"])


def test_it_brings_the_previous_catalogue_to_the_review_file(previous):
    migration.apply_decisions(apps, None)
    for item in load_review_data()["factors"]:
        factor = Factor.objects.get(slug=item["slug"])
        assert (factor.role, factor.action, factor.label) == (
            item["role"],
            item["action"],
            item["label"],
        ), item["slug"]
        assert factor.description == item["description"], item["slug"]
        directions = list(factor.evidence.order_by("position").values_list("direction", flat=True))
        assert directions == [ev["direction"] for ev in item["evidence"]], item["slug"]
    assert Study.objects.get(key="rochelle-2017").nationality == ""
    assert Study.objects.get(key="williams-2010").age_group == ""
    assert "4 ambivalent" in Review.objects.get().counts_decision


def test_the_merged_cultural_factor_is_retired_and_completed_findings_keep_their_meaning(
    previous,
):
    migration.apply_decisions(apps, None)
    merged = Factor.objects.get(slug=migration.MERGED_CULTURE)
    assert merged.retired
    ngo = previous.findings.get(factor__slug="ngo-support")
    assert (ngo.factor_role, ngo.factor.role) == ("facilitating", "ambivalent")
    culture = previous.findings.get(factor=merged)
    assert culture.factor_label == "Cultural orientation (collectivist or individualist)"


def test_every_change_is_recorded_with_its_reason(previous):
    migration.apply_decisions(apps, None)
    ngo = Factor.objects.get(slug="ngo-support")
    assert ngo.history.filter(history_change_reason__contains="ambivalent").exists()
    merged = Factor.objects.get(slug=migration.MERGED_CULTURE)
    assert merged.history.filter(history_change_reason=migration.SPLIT_REASON).exists()
    rochelle = Study.objects.get(key="rochelle-2017")
    assert rochelle.history.filter(history_change_reason__contains="Dalla & Kreimer").exists()


def test_an_admins_own_edit_is_kept(previous):
    Factor.objects.filter(slug="ngo-support").update(description="Our own rewording.")
    migration.apply_decisions(apps, None)
    ngo = Factor.objects.get(slug="ngo-support")
    assert ngo.description == "Our own rewording."
    assert ngo.role == "ambivalent"


def test_running_it_twice_changes_nothing_more(previous):
    migration.apply_decisions(apps, None)
    counts = (Factor.history.count(), Evidence.objects.count(), Factor.objects.count())
    migration.apply_decisions(apps, None)
    assert (Factor.history.count(), Evidence.objects.count(), Factor.objects.count()) == counts


def test_every_reason_fits_the_historys_reason_field():
    field = Factor.history.model._meta.get_field("history_change_reason")
    reasons = [change["reason"] for change in migration.FACTOR_CHANGES.values()]
    reasons += [migration.SPLIT_REASON, migration.REVIEW_REASON, *migration.STUDY_REASONS.values()]
    assert max(len(reason) for reason in reasons) <= field.max_length
