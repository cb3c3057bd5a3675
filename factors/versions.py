"""Catalogue versions: a completed assessment keeps what it showed.

Every admin change and every import records the whole catalogue as a new
``CatalogueVersion`` (in the export format, with who and why). Completing an
assessment pins it to the version current at that moment; its results, print
and export then read that version, while drafts read the live catalogue.

``FactorShown`` is what a results page needs of one factor, built either from
the live tables or from a version's snapshot, so the page is the same code
for both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from factors.models import Action, CatalogueVersion, Evidence, Factor, Study

UNRECORDED_CHANGE = "Changes made outside the admin and imports, recorded when next needed"
FIRST_VERSION = "The catalogue as first recorded"
# The language of the labels recorded in a snapshot (and of the code's own strings).
SOURCE_LANGUAGE = "en"


# --- snapshots -----------------------------------------------------------------


def _person(first: str, last: str, username: str | None) -> str:
    return f"{first} {last}".strip() or (username or "")


def annotate(data: dict[str, Any], factor_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Add to an export what the results page shows beside it: each factor's
    id, labels for its way of acting and each sentence's direction, who last
    changed its guidance and when, and each study's in-text citation.

    ``factor_rows`` are ``slug, id, guidance_updated_at`` and the author's
    names; the data migration passes rows read with its historical models.
    """
    rows = {row["slug"]: row for row in factor_rows}
    # Recorded in the source language, whoever records the version, so that
    # an unchanged catalogue always gives the same snapshot; a page translates
    # the labels when it shows them (see pinned_factors).
    with translation.override(SOURCE_LANGUAGE):
        directions = {value: str(label) for value, label in Evidence.Direction.choices}
        actions = {value: str(label) for value, label in Action.choices}
    for factor in data["factors"]:
        row = rows.get(factor["slug"], {})
        factor["id"] = row.get("id")
        factor["action_label"] = actions.get(factor.get("action", ""), factor.get("action", ""))
        at = row.get("guidance_updated_at")
        factor["guidance_at"] = at.isoformat() if at else None
        factor["guidance_by"] = _person(
            row.get("guidance_updated_by__first_name") or "",
            row.get("guidance_updated_by__last_name") or "",
            row.get("guidance_updated_by__username"),
        )
        for item in factor["evidence"]:
            item["direction_label"] = directions.get(item["direction"], item["direction"])
    for study in data["studies"]:
        study["short_citation"] = Study(authors=study["authors"], year=study["year"]).short_citation
    return data


FACTOR_ROW_FIELDS = (
    "slug",
    "id",
    "guidance_updated_at",
    "guidance_updated_by__first_name",
    "guidance_updated_by__last_name",
    "guidance_updated_by__username",
)


def snapshot() -> dict[str, Any]:
    """The live catalogue, in the export format, annotated for display."""
    from factors.catalogue import export_catalogue

    data = export_catalogue()
    # Translations are not part of a version: a page shows a translation only
    # beside or instead of the English it was made from (factors/translations).
    data.pop("translations", None)
    return annotate(data, list(Factor.objects.values(*FACTOR_ROW_FIELDS)))


def record_version(*, user, reason: str) -> CatalogueVersion | None:
    """Record the live catalogue as a new version, unless it is unchanged
    since the latest one (then None)."""
    data = snapshot()
    with transaction.atomic():
        # Locking the latest version makes concurrent saves take numbers in turn.
        latest = CatalogueVersion.objects.select_for_update().order_by("-number").first()
        if latest is not None and latest.snapshot == data:
            return None
        return CatalogueVersion.objects.create(
            number=(latest.number if latest else 0) + 1,
            created_by=user,
            reason=reason,
            snapshot=data,
        )


def version_to_pin() -> CatalogueVersion:
    """The version that matches the live catalogue, recorded now if a change
    reached the tables without one (a shell, a data migration)."""
    recorded = record_version(
        user=None,
        reason=FIRST_VERSION if not CatalogueVersion.objects.exists() else UNRECORDED_CHANGE,
    )
    return recorded or CatalogueVersion.objects.latest()


def latest_number() -> int | None:
    return CatalogueVersion.objects.order_by("-number").values_list("number", flat=True).first()


# --- what a page shows of a factor -----------------------------------------------


@dataclass(frozen=True)
class StudyShown:
    key: str
    short_citation: str
    age_group: str = ""
    route: str = ""
    setting: str = ""
    nationality: str = ""

    def get_absolute_url(self) -> str:
        return _study_url(self.key, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=1024)
def _study_url(key: str, prefix: str, urlconf) -> str:
    """A study's page, reversed once per study (a results page links each
    study beside every sentence quoted from it). The prefix and URL conf in
    force are part of the key."""
    return reverse("factors:study", args=[key], urlconf=urlconf)


@dataclass(frozen=True)
class EvidenceShown:
    study: StudyShown
    direction: str
    direction_label: str
    quote: str


@dataclass(frozen=True)
class FactorShown:
    id: int
    slug: str
    label: str
    level: str
    role: str
    action: str
    action_label: str
    description: str
    guidance: str
    guidance_by: str
    guidance_at: dt.datetime | None
    position: int
    evidence: tuple[EvidenceShown, ...]


def live_factors(factor_ids) -> dict[int, FactorShown]:
    """The factors as the live catalogue has them: two queries."""
    evidence: dict[int, list[EvidenceShown]] = {}
    for ev in (
        Evidence.objects.filter(factor_id__in=factor_ids)
        .select_related("study")
        .order_by("factor_id", "position", "id")
    ):
        s = ev.study
        study = StudyShown(s.key, s.short_citation, s.age_group, s.route, s.setting, s.nationality)
        evidence.setdefault(ev.factor_id, []).append(
            EvidenceShown(study, ev.direction, ev.get_direction_display(), ev.quote)
        )
    shown = {}
    for f in Factor.objects.filter(pk__in=factor_ids).select_related("guidance_updated_by"):
        author = f.guidance_updated_by
        shown[f.pk] = FactorShown(
            id=f.pk,
            slug=f.slug,
            label=f.label,
            level=f.level,
            role=f.role,
            action=f.action,
            action_label=f.get_action_display(),
            description=f.description,
            guidance=f.guidance,
            guidance_by=(author.get_full_name() or author.get_username()) if author else "",
            guidance_at=f.guidance_updated_at,
            position=f.position,
            evidence=tuple(evidence.get(f.pk, ())),
        )
    return shown


# pinned_factors' results, per version and language: a snapshot is never edited.
_PINNED: dict[tuple, dict[int, FactorShown]] = {}
_PINNED_KEPT = 32  # versions × languages kept by a process


def pinned_factors(version: CatalogueVersion) -> dict[int, FactorShown]:
    """The factors as ``version`` recorded them (no query: the snapshot is
    loaded), worked out once per process and language: the results page of
    every assessment pinned to the version reads the same 70 KB snapshot.
    The key holds the version's time of recording as well as its id, as
    ``assessments.rendering.fragments`` does (two databases may give one id to two
    versions). Callers get a copy of the dict; the ``FactorShown`` in it are
    frozen."""
    key = (version.pk, version.number, version.created_at, translation.get_language())
    shown = _PINNED.get(key)
    if shown is None:
        if len(_PINNED) >= _PINNED_KEPT:
            _PINNED.clear()
        shown = _PINNED[key] = _read_pinned(version)
    return dict(shown)


def _read_pinned(version: CatalogueVersion) -> dict[int, FactorShown]:
    data = version.snapshot
    studies = {
        s["key"]: StudyShown(
            s["key"],
            s.get("short_citation") or s["key"],
            s.get("age_group") or "",
            s.get("route") or "",
            s.get("setting") or "",
            s.get("nationality") or "",
        )
        for s in data.get("studies", [])
    }
    shown = {}
    for f in data.get("factors", []):
        if f.get("id") is None:
            continue
        at = f.get("guidance_at")
        shown[f["id"]] = FactorShown(
            id=f["id"],
            slug=f["slug"],
            label=f["label"],
            level=f["level"],
            role=f["role"],
            action=f.get("action", Action.ACTIONABLE),
            action_label=_translated(f.get("action_label", "")),
            description=f.get("description", ""),
            guidance=f.get("guidance", ""),
            guidance_by=f.get("guidance_by", ""),
            guidance_at=parse_datetime(at) if at else None,
            position=f.get("position", 0),
            evidence=tuple(
                EvidenceShown(
                    studies.get(ev["study"], StudyShown(ev["study"], ev["study"])),
                    ev["direction"],
                    _translated(ev.get("direction_label") or ev["direction"]),
                    ev["quote"],
                )
                for ev in f.get("evidence", [])
            ),
        )
    return shown


def _translated(label: str) -> str:
    """A label recorded in a snapshot (in the source language), in the
    language of the page where the interface has a translation of it; a
    label the code no longer uses is shown as recorded."""
    return gettext(label) if label else label


def factors_shown(assessment, factor_ids) -> dict[int, FactorShown]:
    """A completed assessment reads its pinned version; a draft (or a completed
    assessment from before versions existed) reads the live catalogue."""
    if _pinned(assessment):
        return pinned_factors(assessment.catalogue_version)
    return live_factors(factor_ids)


def changed_since(assessment) -> bool:
    """Whether the catalogue has a newer version than the one the assessment shows."""
    if not _pinned(assessment):
        return False
    latest = latest_number()
    return latest is not None and latest > assessment.catalogue_version.number


# --- what changed between versions ---------------------------------------------------

COMPARED = ("label", "level", "role", "action", "description", "guidance", "retired", "evidence")


def changed_factors(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Labels of the factors added, removed or changed from ``before`` to ``after``."""
    if before is None:
        return []
    old = {f["slug"]: f for f in before.get("factors", [])}
    new = {f["slug"]: f for f in after.get("factors", [])}
    changed = []
    for slug, factor in new.items():
        previous = old.get(slug)
        if previous is None:
            changed.append(gettext("%(label)s (new)") % {"label": factor["label"]})
        elif any(
            _comparable(previous.get(k), k) != _comparable(factor.get(k), k) for k in COMPARED
        ):
            changed.append(factor["label"])
    changed.extend(
        gettext("%(label)s (removed)") % {"label": f["label"]}
        for slug, f in old.items()
        if slug not in new
    )
    return changed


def _comparable(value, key: str):
    if key == "evidence":
        return [(e.get("study"), e.get("direction"), e.get("quote")) for e in value or []]
    return value


def factor_record(factor: FactorShown) -> dict[str, Any]:
    """A factor as a results page showed it, for a client's JSON export: the
    review's sentences and ExitSupport's guidance under separate keys."""
    return {
        "summary": {"written_by": "ExitSupport (not the review)", "text": factor.description},
        "way_of_acting": factor.action,
        "practice_guidance": {
            "written_by": "ExitSupport (not the review)",
            "text": factor.guidance,
            "last_changed_by": factor.guidance_by or None,
            "last_changed_at": factor.guidance_at.isoformat() if factor.guidance_at else None,
        },
        "review_evidence": [
            {
                "study": ev.study.short_citation,
                "direction": ev.direction,
                "direction_label": ev.direction_label,
                "quote": ev.quote,
            }
            for ev in factor.evidence
        ],
    }


def catalogue_shown(assessments, findings) -> dict[int, dict[int, FactorShown]]:
    """For each assessment, its factors as its results show them: each pinned
    version read once, and the live catalogue in two queries for the rest."""
    pinned: dict[int, dict[int, FactorShown]] = {}
    pinned_ids = {a.pk for a in assessments if _pinned(a)}
    live_ids = {f.factor_id for f in findings if f.assessment_id not in pinned_ids}
    live = live_factors(live_ids) if live_ids else {}
    result = {}
    for a in assessments:
        if _pinned(a):
            if a.catalogue_version_id not in pinned:
                pinned[a.catalogue_version_id] = pinned_factors(a.catalogue_version)
            result[a.pk] = pinned[a.catalogue_version_id]
        else:
            result[a.pk] = live
    return result


def _pinned(assessment) -> bool:
    return assessment.is_completed and assessment.catalogue_version_id is not None


def is_pinned(assessment) -> bool:
    """Whether the assessment shows a recorded catalogue version (never edited)
    rather than the live catalogue."""
    return _pinned(assessment)
