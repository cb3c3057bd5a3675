"""The catalogue as a file, in the same format the import reads."""

from __future__ import annotations

import json
from typing import Any

from factors.catalogue.format import FORMAT, REVIEW_FIELDS

# --- export ---------------------------------------------------------------------


def export_catalogue() -> dict[str, Any]:
    from factors.models import Evidence, Factor, Review, Study, TheoreticalModel

    review = Review.objects.first()
    evidence_by_factor: dict[int, list] = {}
    for ev in Evidence.objects.select_related("study").order_by("factor_id", "position", "id"):
        evidence_by_factor.setdefault(ev.factor_id, []).append(ev)

    factors = []
    for factor in Factor.objects.in_catalogue_order():
        evidence = evidence_by_factor.get(factor.pk, [])
        keys = list(dict.fromkeys(ev.study.key for ev in evidence))
        factors.append(
            {
                "slug": factor.slug,
                "source": factor.source,
                "label": factor.label,
                "level": factor.level,
                "role": factor.role,
                "action": factor.action,
                "description": factor.description,
                "discussion_quote": factor.discussion_quote,
                "guidance": factor.guidance,
                "guidance_updated_at": (
                    factor.guidance_updated_at.isoformat() if factor.guidance_updated_at else None
                ),
                "position": factor.position,
                "retired": factor.retired,
                "studies": keys,
                "evidence": [
                    {
                        "study": ev.study.key,
                        "direction": ev.direction,
                        "source": ev.source,
                        "quote": ev.quote,
                    }
                    for ev in evidence
                ],
            }
        )
    studies = [
        {
            "key": s.key,
            "source": s.source,
            "authors": s.authors,
            "year": s.year,
            "title": s.title,
            "venue": s.venue,
            "reference": s.reference,
            "cited_as": s.cited_as,
            "design": s.design,
            "sample_size": s.sample_size,
            "population": s.population,
            "nationality": s.nationality,
            "setting": s.setting,
            "route": s.route,
            "age_group": s.age_group,
            "details_quote": s.details_quote,
            "note": s.note,
        }
        for s in Study.objects.order_by("key")
    ]
    result: dict[str, Any] = {"format": FORMAT}
    if review is not None:
        result["review"] = {name: getattr(review, name) for name in REVIEW_FIELDS}
    result["models"] = [
        {"name": m.name, "authors_year": m.authors_year, "summary": m.summary, "quote": m.quote}
        for m in TheoreticalModel.objects.all()
    ]
    result["factors"] = factors
    result["studies"] = studies
    from factors.translations.loader import export_all

    translations = export_all()
    if translations:  # language -> the translation file's format (factors/translations/loader.py)
        result["translations"] = translations
    return result


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
