"""export_catalogue / import_catalogue: a shareable, validated, all-or-nothing format."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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
