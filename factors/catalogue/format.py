"""The catalogue's file format: its constants, parsing and whole-file validation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "exitsupport-catalogue/1"
REVIEW_FILE = Path(__file__).with_name("review.json")

LEVELS = ("individual", "relational", "structural")
ROLES = ("facilitating", "hindering", "ambivalent")
ACTIONS = ("actionable", "context", "caution")
SOURCES = ("review", "local")
DIRECTIONS = ("supports", "qualifies", "counter")
STUDY_CHOICES = {
    "design": ("qualitative", "quantitative", "mixed"),
    "setting": ("indoor", "outdoor", "both"),
    "route": ("national", "transnational", "both"),
    "age_group": ("minor", "adult", "both"),
}
STUDY_TEXT = {
    "authors": 500,
    "title": 500,
    "venue": 300,
    "reference": 5000,
    "population": 300,
    "nationality": 200,
    "details_quote": 5000,
    "note": 5000,
}
FACTOR_TEXT = {"label": 120, "description": 5000, "discussion_quote": 5000, "guidance": 5000}
REVIEW_FIELDS = (
    "citation",
    "url",
    "summary",
    "limitations",
    "limitations_quote",
    "caveats",
    "counts_decision",
    "citation_decisions",
    "published_counts",
)


class CatalogueError(Exception):
    """The file cannot be imported; ``problems`` names each with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            [
                _("line %(line)s, column %(column)s: not valid JSON (%(error)s)")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ]
        ) from None
    if not isinstance(data, dict):
        raise CatalogueError([_("top level: expected an object with 'factors' and 'studies'")])
    return data


def parse_moment(value: Any) -> dt.datetime | None:
    """An ISO 8601 moment with its offset, as export writes it; None if not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def load_review_data() -> dict[str, Any]:
    return parse(REVIEW_FILE.read_text(encoding="utf-8"))


# --- validation ---------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    def text(self, row: dict, field: str, place: str, max_length: int, required: bool) -> None:
        value = row.get(field, "")
        if not isinstance(value, str):
            self.add(f"{place}.{field}", _("expected text"))
        elif required and not value.strip():
            self.add(f"{place}.{field}", _("is required"))
        elif len(value) > max_length:
            self.add(
                f"{place}.{field}", _("is longer than %(max)s characters") % {"max": max_length}
            )

    def choice(self, row: dict, field: str, place: str, allowed, blank: bool) -> None:
        value = row.get(field, "")
        if blank and value in ("", None):
            return
        if value not in allowed:
            self.add(
                f"{place}.{field}",
                _("%(value)r is not one of %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)},
            )


def _slug_ok(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 80
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    )


def _identified(check: _Checker, row: dict, field: str, place: str, seen: set[str]) -> str:
    """Check a row's identifier (a slug, unique in the file) and return the row's
    place in the file named with it, for the messages that follow."""
    value = row.get(field)
    if isinstance(value, str):
        place = f"{place} ({value!r})"
    if not _slug_ok(value):
        check.add(f"{place}.{field}", _("expected letters, digits and hyphens (at most 80)"))
    elif value in seen:
        check.add(f"{place}.{field}", _("appears twice"))
    else:
        seen.add(value)
    return place


def validate(data: dict[str, Any]) -> list[str]:
    """Return every problem in ``data``, each prefixed with its place."""
    check = _Checker()
    if data.get("format", FORMAT) != FORMAT:
        check.add("format", _("expected %(format)r") % {"format": FORMAT})
    studies = data.get("studies")
    factors = data.get("factors")
    if not isinstance(studies, list):
        check.add("studies", _("expected a list"))
        studies = []
    if not isinstance(factors, list):
        check.add("factors", _("expected a list"))
        factors = []

    review = data.get("review", {})
    if not isinstance(review, dict):
        check.add("review", _("expected an object"))
    elif review:
        check.text(review, "citation", "review", 2000, required=True)
        url = review.get("url", "")
        if url and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            check.add("review.url", _("expected an http(s) address"))
        caveats = review.get("caveats", [])
        if not isinstance(caveats, list):
            check.add("review.caveats", _("expected a list"))
            caveats = []
        for i, caveat in enumerate(caveats):
            place = f"review.caveats[{i}]"
            if not isinstance(caveat, dict):
                check.add(place, _("expected an object with 'text' and 'quotes'"))
                continue
            check.text(caveat, "text", place, 5000, required=True)
            quotes = caveat.get("quotes", [])
            if not (isinstance(quotes, list) and all(isinstance(q, str) for q in quotes)):
                check.add(f"{place}.quotes", _("expected a list of text"))
    models = data.get("models", [])
    if not isinstance(models, list):
        check.add("models", _("expected a list"))
        models = []
    for i, item in enumerate(models):
        if not isinstance(item, dict):
            check.add(f"models[{i}]", _("expected an object"))
            continue
        check.text(item, "name", f"models[{i}]", 200, required=True)
        for field in ("authors_year", "summary", "quote"):
            check.text(item, field, f"models[{i}]", 5000, required=False)

    keys: set[str] = set()
    for i, study in enumerate(studies):
        place = f"studies[{i}]"
        if not isinstance(study, dict):
            check.add(place, _("expected an object"))
            continue
        place = _identified(check, study, "key", place, keys)
        check.choice(study, "source", place, SOURCES, blank=False)
        for field, max_length in STUDY_TEXT.items():
            check.text(study, field, place, max_length, required=field in ("authors", "title"))
        for field, allowed in STUDY_CHOICES.items():
            check.choice(study, field, place, allowed, blank=True)
        year = study.get("year")
        if year is not None and not (isinstance(year, int) and 1800 <= year <= 2100):
            check.add(f"{place}.year", _("expected a year such as 2019, or null"))
        size = study.get("sample_size")
        if size is not None and not (isinstance(size, int) and 0 <= size <= 10_000_000):
            check.add(f"{place}.sample_size", _("expected a whole number, or null"))
        cited = study.get("cited_as", [])
        if not (isinstance(cited, list) and all(isinstance(c, str) for c in cited)):
            check.add(f"{place}.cited_as", _("expected a list of text"))

    slugs: set[str] = set()
    for i, factor in enumerate(factors):
        place = f"factors[{i}]"
        if not isinstance(factor, dict):
            check.add(place, _("expected an object"))
            continue
        place = _identified(check, factor, "slug", place, slugs)
        check.choice(factor, "source", place, SOURCES, blank=False)
        check.choice(factor, "level", place, LEVELS, blank=False)
        check.choice(factor, "role", place, ROLES, blank=False)
        if "action" in factor:
            check.choice(factor, "action", place, ACTIONS, blank=False)
        for field, max_length in FACTOR_TEXT.items():
            check.text(factor, field, place, max_length, required=field in ("label", "description"))
        moment = factor.get("guidance_updated_at")
        if moment is not None and parse_moment(moment) is None:
            check.add(
                f"{place}.guidance_updated_at",
                _("expected a date and time with its offset (2026-01-31T09:30:00+00:00), or null"),
            )
        if not isinstance(factor.get("retired", False), bool):
            check.add(f"{place}.retired", _("expected true or false"))
        position = factor.get("position", 0)
        if not (isinstance(position, int) and position >= 0):
            check.add(f"{place}.position", _("expected a whole number"))
        listed = factor.get("studies", [])
        if not (isinstance(listed, list) and all(isinstance(k, str) for k in listed)):
            check.add(f"{place}.studies", _("expected a list of study keys"))
            listed = []
        for key in listed:
            if key not in keys:
                check.add(f"{place}.studies", _("unknown study %(key)r") % {"key": key})
        evidence = factor.get("evidence")
        if not isinstance(evidence, list) or not evidence:
            check.add(f"{place}.evidence", _("expected at least one item"))
            evidence = []
        cited = set()
        for j, item in enumerate(evidence):
            where = f"{place}.evidence[{j}]"
            if not isinstance(item, dict):
                check.add(where, _("expected an object"))
                continue
            study = item.get("study")
            if study not in keys:
                check.add(f"{where}.study", _("unknown study %(key)r") % {"key": study})
            cited.add(study)
            check.choice(item, "direction", where, DIRECTIONS, blank=False)
            check.choice(item, "source", where, SOURCES, blank=True)
            check.text(item, "quote", where, 5000, required=True)
        missing = set(listed) - cited
        if missing:
            check.add(
                f"{place}.studies",
                _("no evidence given for %(keys)s") % {"keys": ", ".join(sorted(missing))},
            )
    return check.problems
