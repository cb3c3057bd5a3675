"""export_catalogue / import_catalogue: a shareable, validated, all-or-nothing format."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from factors.catalogue import CatalogueError, import_catalogue
from factors.models import Evidence, Factor, Review, Study, TheoreticalModel

pytestmark = pytest.mark.django_db


def export() -> str:
    out = io.StringIO()
    call_command("export_catalogue", stdout=out)
    return out.getvalue()


def empty_catalogue() -> None:
    Evidence.objects.all().delete()
    Factor.objects.all().delete()
    Study.objects.all().delete()
    Review.objects.all().delete()
    TheoreticalModel.objects.all().delete()


def test_export_prints_factors_and_studies_in_the_documented_shape():
    data = json.loads(export())
    factor = data["factors"][0]
    assert {"slug", "label", "level", "role", "description", "studies", "evidence"} <= set(factor)
    assert {"study", "direction", "quote"} <= set(factor["evidence"][0])
    study = data["studies"][0]
    assert {"key", "authors", "year", "title", "venue", "design"} <= set(study)
    assert len(data["factors"]) == 32 and len(data["studies"]) == 13


def test_export_then_import_into_an_empty_database_then_export_is_identical(tmp_path):
    first = export()
    empty_catalogue()
    assert Factor.objects.count() == 0
    path = tmp_path / "catalogue.json"
    path.write_text(first, encoding="utf-8")
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert export() == first


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    first = export()
    path = tmp_path / "catalogue.json"
    path.write_text(first, encoding="utf-8")
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert export() == first
    assert Evidence.objects.count() == sum(len(f["evidence"]) for f in json.loads(first)["factors"])


def test_a_file_with_one_bad_row_is_refused_with_its_place_and_nothing_is_written(tmp_path):
    data = json.loads(export())
    data["factors"][0]["label"] = "Changed label that must not be written"
    data["factors"].append({**data["factors"][1], "slug": "new-factor"})
    data["factors"][5]["role"] = "sometimes"
    before = export()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_catalogue", str(path), stdout=io.StringIO())
    message = str(excinfo.value)
    assert "Nothing was imported" in message
    assert f"factors[5] ('{data['factors'][5]['slug']}').role" in message
    assert "'sometimes' is not one of facilitating, hindering, ambivalent" in message
    assert export() == before
    assert not Factor.objects.filter(slug="new-factor").exists()


def test_every_problem_is_reported_not_only_the_first():
    data = json.loads(export())
    data["studies"][2]["year"] = "two thousand"
    data["factors"][3]["evidence"][0]["study"] = "no-such-study"
    data["factors"][7]["level"] = ""
    with pytest.raises(CatalogueError) as excinfo:
        import_catalogue(data)
    places = "\n".join(excinfo.value.problems)
    assert "studies[2]" in places and ".year" in places
    assert "factors[3]" in places and "evidence[0].study: unknown study 'no-such-study'" in places
    assert "factors[7]" in places and ".level" in places


def test_a_failure_while_writing_rolls_back_everything(monkeypatch):
    data = json.loads(export())
    data["factors"][0]["label"] = "Written before the failure"

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Evidence.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        import_catalogue(data)
    assert not Factor.objects.filter(label="Written before the failure").exists()


def test_invalid_json_is_reported_with_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"factors": [\n  {"slug": }\n]}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2, column 12"):
        call_command("import_catalogue", str(path), stdout=io.StringIO())


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_catalogue", str(tmp_path / "nope.json"), stdout=io.StringIO())


def test_duplicate_slugs_and_keys_are_refused():
    data = json.loads(export())
    data["factors"][1]["slug"] = data["factors"][0]["slug"]
    data["studies"][1]["key"] = data["studies"][0]["key"]
    with pytest.raises(CatalogueError) as excinfo:
        import_catalogue(data)
    assert sum("appears twice" in p for p in excinfo.value.problems) == 2


def test_the_reviews_address_must_be_a_web_address():
    data = json.loads(export())
    data["review"]["url"] = "javascript:alert(1)"
    with pytest.raises(CatalogueError, match=r"review.url: expected an http\(s\) address"):
        import_catalogue(data)


def test_the_way_of_acting_the_discussion_sentence_and_guidance_authorship_round_trip(
    tmp_path, catalogue_admin
):
    factor = Factor.objects.get(slug="access-to-work")
    factor.action = "context"
    factor.guidance = "Rewritten by an admin."
    factor.guidance_updated_at = dt.datetime(2026, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
    factor.guidance_updated_by = catalogue_admin
    factor.save()
    first = export()
    exported = next(f for f in json.loads(first)["factors"] if f["slug"] == "access-to-work")
    assert exported["action"] == "context"
    assert exported["guidance_updated_at"] == "2026-05-06T07:08:09.123456+00:00"
    family = next(f for f in json.loads(first)["factors"] if f["slug"] == "family")
    assert "often implicated" in family["discussion_quote"]
    assert len(json.loads(first)["review"]["caveats"]) == 5
    empty_catalogue()
    path = tmp_path / "catalogue.json"
    path.write_text(first, encoding="utf-8")
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert export() == first
    imported = Factor.objects.get(slug="access-to-work")
    assert imported.action == "context" and imported.guidance_updated_by is None


def test_an_import_that_changes_the_guidance_without_a_date_records_now_and_no_author(
    catalogue_admin,
):
    Factor.objects.filter(slug="family").update(
        guidance_updated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        guidance_updated_by=catalogue_admin,
    )
    data = json.loads(export())
    for item in data["factors"]:
        del item["guidance_updated_at"]
        if item["slug"] == "access-to-work":
            item["guidance"] = "Imported advice."
    before = timezone.now()
    import_catalogue(data)
    changed = Factor.objects.get(slug="access-to-work")
    assert changed.guidance_updated_at >= before and changed.guidance_updated_by is None
    unchanged = Factor.objects.get(slug="family")  # same guidance: authorship kept
    assert unchanged.guidance_updated_by == catalogue_admin
    assert unchanged.guidance_updated_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["yesterday", "2026-05-06T07:08:09", 20260506])
def test_a_guidance_date_without_its_offset_or_not_a_date_is_refused(value):
    data = json.loads(export())
    data["factors"][2]["guidance_updated_at"] = value
    with pytest.raises(CatalogueError) as excinfo:
        import_catalogue(data)
    problems = excinfo.value.problems
    assert any(".guidance_updated_at: expected a date and time" in p for p in problems)


def test_the_way_of_acting_and_the_evidence_direction_are_checked():
    data = json.loads(export())
    data["factors"][0]["action"] = "build"
    data["factors"][1]["evidence"][0]["direction"] = "against"
    with pytest.raises(CatalogueError) as excinfo:
        import_catalogue(data)
    problems = "\n".join(excinfo.value.problems)
    assert "'build' is not one of actionable, context, caution" in problems
    assert "'against' is not one of supports, qualifies, counter" in problems


def test_a_caveat_needs_its_text_and_a_list_of_quotes():
    data = json.loads(export())
    data["review"]["caveats"] = [{"text": "", "quotes": "one sentence"}, "loose text"]
    with pytest.raises(CatalogueError) as excinfo:
        import_catalogue(data)
    problems = "\n".join(excinfo.value.problems)
    assert "review.caveats[0].text: is required" in problems
    assert "review.caveats[0].quotes: expected a list of text" in problems
    assert "review.caveats[1]: expected an object" in problems
