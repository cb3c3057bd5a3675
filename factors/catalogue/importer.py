"""Writing a validated catalogue file into the database, all or nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from factors.catalogue.format import (
    LEVELS,
    REVIEW_FIELDS,
    ROLES,
    STUDY_CHOICES,
    STUDY_TEXT,
    CatalogueError,
    parse_moment,
    validate,
)

# --- import ---------------------------------------------------------------------


def import_catalogue(data: dict[str, Any], *, apps=None) -> dict[str, int]:
    """Validate ``data`` and write it in one transaction.

    Studies and factors are matched by key and slug: existing ones are
    updated, new ones created, and each imported factor's evidence replaced.
    Entries absent from the file are left alone (they may be in use).
    ``apps`` lets a data migration pass its historical models.
    """
    problems = validate(data)
    if problems:
        raise CatalogueError(problems)

    def model(name: str):
        if apps is not None:
            return apps.get_model("factors", name)
        from factors import models

        return getattr(models, name)

    Review, TheoreticalModel = model("Review"), model("TheoreticalModel")
    Study, Factor, Evidence = model("Study"), model("Factor"), model("Evidence")

    # The data migration that first seeds the catalogue runs before later
    # fields exist; those are only written where the model has them.
    def has(model, name: str) -> bool:
        return any(f.name == name for f in model._meta.get_fields())

    with transaction.atomic():
        review = data.get("review")
        if isinstance(review, dict):
            fields = {
                name: review[name] for name in REVIEW_FIELDS if name in review and has(Review, name)
            }
            current = Review.objects.first()
            if current is None:
                Review.objects.create(**fields)
            else:
                Review.objects.filter(pk=current.pk).update(**fields)
        for position, item in enumerate(data.get("models", [])):
            TheoreticalModel.objects.update_or_create(
                name=item["name"],
                defaults={
                    "authors_year": item.get("authors_year", ""),
                    "summary": item.get("summary", ""),
                    "quote": item.get("quote", ""),
                    "position": position,
                },
            )

        studies = {}
        for item in data["studies"]:
            defaults = {
                field: item.get(field) or ""
                for field in (*STUDY_TEXT, *STUDY_CHOICES, "source")
                if has(Study, field)
            }
            defaults.update(
                year=item.get("year"),
                sample_size=item.get("sample_size"),
                cited_as=item.get("cited_as", []),
            )
            studies[item["key"]], _ = Study.objects.update_or_create(
                key=item["key"], defaults=defaults
            )

        existing = {
            f.slug: f for f in Factor.objects.filter(slug__in=[i["slug"] for i in data["factors"]])
        }
        for index, item in enumerate(data["factors"]):
            extra = {"action": item.get("action", "actionable")} if has(Factor, "action") else {}
            if has(Factor, "discussion_quote"):
                extra["discussion_quote"] = item.get("discussion_quote", "")
            if has(Factor, "guidance_updated_at"):
                extra |= _guidance_authorship(item, existing.get(item["slug"]))
            factor, _ = Factor.objects.update_or_create(
                slug=item["slug"],
                defaults=extra
                | {
                    "source": item["source"],
                    "label": item["label"],
                    "level": item["level"],
                    "role": item["role"],
                    "description": item["description"],
                    "guidance": item.get("guidance", ""),
                    # Without explicit positions, the file's order is the catalogue's order.
                    "position": item.get("position", index),
                    "retired": item.get("retired", False),
                    "level_order": LEVELS.index(item["level"]),
                    "role_order": ROLES.index(item["role"]),
                },
            )
            Evidence.objects.filter(factor=factor).delete()
            Evidence.objects.bulk_create(
                Evidence(
                    factor=factor,
                    study=studies[ev["study"]],
                    direction=ev["direction"],
                    quote=ev["quote"],
                    source=ev.get("source") or item["source"],
                    position=position,
                )
                for position, ev in enumerate(item["evidence"])
            )
        if apps is None and data.get("translations"):
            _import_translations(data["translations"])
    return {"studies": len(data["studies"]), "factors": len(data["factors"])}


def _import_translations(translations: Any) -> None:
    """The file's catalogue translations (checked against the catalogue just
    written; any problem undoes the whole import)."""
    from factors.translations.loader import load

    if not isinstance(translations, dict):
        raise CatalogueError(["translations: expected an object keyed by language"])
    problems = []
    for language, data in translations.items():
        try:
            load(data, replace=True, reason="Catalogue import")
        except CatalogueError as exc:
            problems += [f"translations[{language!r}].{p}" for p in exc.problems]
    if problems:
        raise CatalogueError(problems)


def _guidance_authorship(item: dict[str, Any], current) -> dict[str, Any]:
    """Who last wrote a factor's guidance, after an import.

    A file that states when the guidance was written keeps that moment; the
    author is not carried between installations, so it is left unknown unless
    nothing changed. Without a stated moment, guidance that the import changes
    was written now, by no one signed in.
    """
    guidance = item.get("guidance", "")
    if "guidance_updated_at" in item:
        moment = parse_moment(item["guidance_updated_at"])
        same = current is not None and current.guidance_updated_at == moment
        by = current.guidance_updated_by_id if same else None
        return {"guidance_updated_at": moment, "guidance_updated_by_id": by}
    if current is not None and current.guidance == guidance:
        return {}
    if not guidance:
        return {"guidance_updated_at": None, "guidance_updated_by_id": None}
    return {"guidance_updated_at": timezone.now(), "guidance_updated_by_id": None}
