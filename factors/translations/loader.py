"""Catalogue translation files: validation, loading and export.

A file is ``factors/catalogue/translations/<lang>.json`` (format 1)::

    {"format": 1, "language": "es",
     "factors": {"<slug>": {"label", "description", "guidance", "discussion_quote"}},
     "studies": {"<key>": {"population", "nationality", "note"}},
     "evidence": [{"factor", "study", "quote": "<the English sentence>", "text"}],
     "models": {"<name>": {"summary"}}}

Empty strings mean "no translation". A file is checked as a whole against the
catalogue in the database (an unknown slug, key, model or field, or an
evidence sentence whose English no longer matches, is an error) and nothing
is written unless the whole file is valid.

After every ``migrate`` the shipped files are loaded (``load_shipped``):
missing rows are created and empty fields filled, but a translation already
in the database is never overwritten, so an admin's correction survives.
``import_catalogue`` passes ``replace=True``: the file's translations win.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from factors.catalogue.format import CatalogueError

FORMAT = 1
DIRECTORY = Path(__file__).resolve().parent.parent / "catalogue" / "translations"
LOADED_REASON = "Loaded from the catalogue translation file ({language}.json)"

FACTOR_FIELDS = {"label": 120, "description": 5000, "guidance": 5000, "discussion_quote": 5000}
STUDY_FIELDS = {"population": 300, "nationality": 200, "note": 5000}
MODEL_FIELDS = {"summary": 5000}


def path_for(language: str) -> Path:
    return DIRECTORY / f"{language}.json"


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            [f"{path.name}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from None
    if not isinstance(data, dict):
        raise CatalogueError([f"{path.name}: expected an object"])
    return data


# --- validation -------------------------------------------------------------------


def _catalogue() -> dict[str, Any]:
    from factors.models import Evidence, Factor, Study, TheoreticalModel

    evidence: dict[tuple[str, str], set[str]] = {}
    for slug, key, quote in Evidence.objects.values_list("factor__slug", "study__key", "quote"):
        evidence.setdefault((slug, key), set()).add(quote)
    return {
        "factors": dict(Factor.objects.values_list("slug", "pk")),
        "studies": dict(Study.objects.values_list("key", "pk")),
        "models": dict(TheoreticalModel.objects.values_list("name", "pk")),
        "evidence": evidence,
    }


def _check_fields(problems, place, row, allowed: dict[str, int]) -> None:
    if not isinstance(row, dict):
        problems.append(f"{place}: expected an object")
        return
    for field, value in row.items():
        if field not in allowed:
            problems.append(f"{place}.{field}: unknown field (expected {', '.join(allowed)})")
        elif not isinstance(value, str):
            problems.append(f"{place}.{field}: expected text")
        elif len(value) > allowed[field]:
            problems.append(f"{place}.{field}: longer than {allowed[field]} characters")


def validate(data: Any, *, language: str | None = None, catalogue=None) -> list[str]:
    """Every problem in ``data``, each with its place; an empty list if valid."""
    from factors.translations.languages import catalogue_languages

    if not isinstance(data, dict):
        return ["top level: expected an object"]
    problems: list[str] = []
    catalogue = catalogue or _catalogue()
    if data.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT}")
    code = data.get("language")
    if code not in dict(catalogue_languages()):
        problems.append(f"language: {code!r} is not a language the catalogue is translated into")
    elif language is not None and code != language:
        problems.append(f"language: the file is for {code!r}, expected {language!r}")
    for name in set(data) - {"format", "language", "factors", "studies", "evidence", "models"}:
        problems.append(f"{name}: unknown section")

    for section, fields in (
        ("factors", FACTOR_FIELDS),
        ("studies", STUDY_FIELDS),
        ("models", MODEL_FIELDS),
    ):
        rows = data.get(section, {})
        if not isinstance(rows, dict):
            problems.append(f"{section}: expected an object keyed by identifier")
            continue
        for ident, row in rows.items():
            place = f"{section}[{ident!r}]"
            if ident not in catalogue[section]:
                what = {"factors": "factor slug", "studies": "study key", "models": "model name"}
                problems.append(f"{place}: no {what[section]} {ident!r} in the catalogue")
            _check_fields(problems, place, row, fields)

    evidence = data.get("evidence", [])
    if not isinstance(evidence, list):
        problems.append("evidence: expected a list")
        evidence = []
    seen: set[tuple[str, str, str]] = set()
    for i, row in enumerate(evidence):
        place = f"evidence[{i}]"
        if not isinstance(row, dict):
            problems.append(f"{place}: expected an object")
            continue
        unknown = set(row) - {"factor", "study", "quote", "text"}
        if unknown:
            problems.append(f"{place}: unknown field(s) {', '.join(sorted(unknown))}")
        if not all(isinstance(row.get(k), str) for k in ("factor", "study", "quote", "text")):
            problems.append(f"{place}: expected text in factor, study, quote and text")
            continue
        place = f"{place} ({row['factor']!r} ← {row['study']!r})"
        if row["factor"] not in catalogue["factors"]:
            problems.append(f"{place}: no factor slug {row['factor']!r} in the catalogue")
        elif row["study"] not in catalogue["studies"]:
            problems.append(f"{place}: no study key {row['study']!r} in the catalogue")
        elif row["quote"] not in catalogue["evidence"].get((row["factor"], row["study"]), ()):
            problems.append(
                f"{place}.quote: the catalogue has no such English sentence for this factor and "
                "study (changed since it was translated?): translate the sentence as it stands now"
            )
        ident = (row["factor"], row["study"], row["quote"])
        if ident in seen:
            problems.append(f"{place}: the same sentence is translated twice")
        seen.add(ident)
        if len(row["text"]) > 5000:
            problems.append(f"{place}.text: longer than 5000 characters")
    return problems


# --- loading ------------------------------------------------------------------------


def load(
    data: dict[str, Any], *, replace: bool = False, reason: str | None = None, user=None
) -> dict[str, int]:
    """Validate ``data`` and write it, all or nothing (``CatalogueError`` lists
    every problem). Without ``replace``, existing translations are kept and
    only their empty fields filled; with it, the file's values win (an empty
    value in the file leaves the field as it is). Returns rows written per kind."""
    from factors.translations import models as m

    catalogue = _catalogue()
    problems = validate(data, catalogue=catalogue)
    if problems:
        raise CatalogueError(problems)
    language = data["language"]
    reason = reason or LOADED_REASON.format(language=language)
    written = {"factors": 0, "studies": 0, "evidence": 0, "models": 0}

    def write(model, fk: str, rows: dict[str, dict], ids: dict, fields, kind: str) -> None:
        existing = {getattr(t, f"{fk}_id"): t for t in model.objects.filter(language=language)}
        new = []
        for ident, row in rows.items():
            values = {f: row.get(f, "") for f in fields if row.get(f, "")}
            if not values:
                continue
            current = existing.get(ids[ident])
            if current is None:
                new.append(model(**{f"{fk}_id": ids[ident], "language": language, **values}))
                continue
            changed = {
                f: v
                for f, v in values.items()
                if getattr(current, f) != v and (replace or not getattr(current, f))
            }
            if changed:
                for f, v in changed.items():
                    setattr(current, f, v)
                current._change_reason = reason
                current._history_user = user
                current.save()
                written[kind] += 1
        if new:
            bulk_create_with_history(new, model, default_change_reason=reason, default_user=user)
            written[kind] += len(new)

    with transaction.atomic():
        write(m.FactorTranslation, "factor", data.get("factors", {}), catalogue["factors"],
              FACTOR_FIELDS, "factors")  # fmt: skip
        write(m.StudyTranslation, "study", data.get("studies", {}), catalogue["studies"],
              STUDY_FIELDS, "studies")  # fmt: skip
        write(m.TheoreticalModelTranslation, "model", data.get("models", {}),
              catalogue["models"], MODEL_FIELDS, "models")  # fmt: skip

        existing = {
            (t.factor_id, t.study_id, t.quote): t
            for t in m.EvidenceTranslation.objects.filter(language=language)
        }
        new = []
        for row in data.get("evidence", []):
            if not row["text"]:
                continue
            ident = (catalogue["factors"][row["factor"]], catalogue["studies"][row["study"]])
            current = existing.get((*ident, row["quote"]))
            if current is None:
                new.append(
                    m.EvidenceTranslation(
                        factor_id=ident[0],
                        study_id=ident[1],
                        language=language,
                        quote=row["quote"],
                        quote_digest=m.quote_digest(row["quote"]),
                        text=row["text"],
                    )
                )
            elif current.text != row["text"] and (replace or not current.text):
                current.text = row["text"]
                current._change_reason = reason
                current._history_user = user
                current.save()
                written["evidence"] += 1
        if new:
            bulk_create_with_history(
                new, m.EvidenceTranslation, default_change_reason=reason, default_user=user
            )
            written["evidence"] += len(new)
        m.LanguageReview.objects.get_or_create(language=language)
    from factors.translations.services import forget

    transaction.on_commit(forget)
    forget()
    return written


def load_file(path: Path, **kwargs) -> dict[str, int]:
    data = read(path)
    language = path.stem
    if data.get("language") != language:
        raise CatalogueError([f"{path.name}: language: expected {language!r}"])
    try:
        return load(data, **kwargs)
    except CatalogueError as exc:
        raise CatalogueError([f"{path.name}: {p}" for p in exc.problems]) from None


def load_shipped(**kwargs) -> None:
    """After migrate: load each shipped file of a configured language.

    Idempotent (see the module's docstring). Skipped while the catalogue is
    empty (a test database flushed between tests)."""
    from factors.models import Factor
    from factors.translations.languages import catalogue_languages

    if not DIRECTORY.is_dir() or not Factor.objects.exists():
        return
    for code, _name in catalogue_languages():
        path = path_for(code)
        if path.is_file():
            load_file(path)


# --- export -------------------------------------------------------------------------


def export(language: str) -> dict[str, Any]:
    """The translations of ``language`` in the file format (only what is translated)."""
    from factors.translations import models as m

    def rows(model, key: str, fields) -> dict[str, dict[str, str]]:
        result = {}
        for t in model.objects.filter(language=language).select_related(key.split("__")[0]):
            ident = t
            for part in key.split("__"):
                ident = getattr(ident, part)
            values = {f: getattr(t, f) for f in fields}
            if any(values.values()):
                result[ident] = values
        return dict(sorted(result.items()))

    evidence = [
        {"factor": t.factor.slug, "study": t.study.key, "quote": t.quote, "text": t.text}
        for t in m.EvidenceTranslation.objects.filter(language=language)
        .select_related("factor", "study")
        .order_by("factor__slug", "study__key", "quote")
    ]
    return {
        "format": FORMAT,
        "language": language,
        "factors": rows(m.FactorTranslation, "factor__slug", FACTOR_FIELDS),
        "studies": rows(m.StudyTranslation, "study__key", STUDY_FIELDS),
        "evidence": evidence,
        "models": rows(m.TheoreticalModelTranslation, "model__name", MODEL_FIELDS),
    }


def export_all() -> dict[str, dict[str, Any]]:
    """Every language that has translations, for the catalogue export."""
    from factors.translations import models as m

    languages = set()
    for model in (
        m.FactorTranslation,
        m.StudyTranslation,
        m.EvidenceTranslation,
        m.TheoreticalModelTranslation,
    ):
        languages.update(model.objects.values_list("language", flat=True).distinct())
    return {code: export(code) for code in sorted(languages)}
