"""What the security tests share: the URL conf walked as data, the records
each id-taking URL is built from, and small parsers for rendered pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver

from assessments.models import Assessment, Client
from tests.plans.factories import PLAN_KWARGS


@dataclass(frozen=True)
class Route:
    route: str
    name: str  # namespaced, e.g. "assessments:client"
    params: tuple[str, ...]


def walk(patterns=None, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    """Every URL pattern of the project, with its full route and namespaced name."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            params = tuple(getattr(pattern.pattern, "converters", {}) or ())
            params += tuple(pattern.pattern.regex.groupindex)
            yield Route(prefix + str(pattern.pattern), name, tuple(dict.fromkeys(params)))


def app_routes() -> list[Route]:
    """The project's own pages: everything except the Django admin, which has
    its own gate (CatalogueAdminSite) and is covered in test_admin."""
    return [r for r in walk() if not r.name.startswith("admin:")]


@dataclass
class Records:
    """One North client with a completed assessment (by its caseworker) and a
    draft, and one South client, as the fixture ``records`` builds them."""

    client: Client
    completed: Assessment
    draft: Assessment
    south_client: Client


# How to fill in each URL that takes the id of a client record. A URL that
# takes any parameter and is in neither table fails test_url_scoping loudly.
RECORD_KWARGS: dict[str, Callable[[Records], dict]] = {
    "assessments:client": lambda r: {"pk": r.client.pk},
    "assessments:client_edit": lambda r: {"pk": r.client.pk},
    "assessments:client_consent_withdraw": lambda r: {"pk": r.client.pk, "kind": "data"},
    "assessments:client_reassign": lambda r: {"pk": r.client.pk},
    "assessments:client_export": lambda r: {"pk": r.client.pk},
    "assessments:client_erase": lambda r: {"pk": r.client.pk},
    "assessments:start": lambda r: {"client_pk": r.client.pk},
    "assessments:results": lambda r: {"pk": r.completed.pk},
    "assessments:edit": lambda r: {"pk": r.draft.pk},
    "assessments:reopen": lambda r: {"pk": r.completed.pk},
    "assessments:delete": lambda r: {"pk": r.draft.pk},
    **PLAN_KWARGS,
    "assessments:autosave": lambda r: {"pk": r.draft.pk},
    "assessments:timeline": lambda r: {"pk": r.client.pk},
}

# Parameters that are not client records: the catalogue is the same for every
# signed-in user.
CATALOGUE_KWARGS: dict[str, Callable[[], dict]] = {
    "factors:factor": lambda: {"slug": _first_factor_slug()},
    "factors:study": lambda: {"key": _first_study_key()},
}


def every_url(records) -> list[str]:
    """One concrete URL for every route of the app, ids taken from ``records``."""
    from django.urls import reverse

    urls = []
    for route in app_routes():
        if route.name in RECORD_KWARGS:
            kwargs = RECORD_KWARGS[route.name](records)
        elif route.name in CATALOGUE_KWARGS:
            kwargs = CATALOGUE_KWARGS[route.name]()
        else:
            kwargs = {}
        urls.append(reverse(route.name, kwargs=kwargs))
    return urls


def _first_factor_slug() -> str:
    from factors.models import Factor

    return Factor.objects.values_list("slug", flat=True).first()


def _first_study_key() -> str:
    from factors.models import Study

    return Study.objects.values_list("key", flat=True).first()


def missing_kwargs(name: str, kwargs: dict) -> dict:
    """The same URL for a record that does not exist."""
    return {k: (10**9 + 7 if isinstance(v, int) else v) for k, v in kwargs.items()}


class ScriptFinder(HTMLParser):
    """Collects <script> tags that carry code inline (no src, not a JSON data block)."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self._open: dict | None = None
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
        if tag == "script":
            self._open = attributes

    def handle_data(self, data):
        if self._open is not None:
            kind = (self._open.get("type") or "").lower()
            if "src" not in self._open and kind != "application/json" and data.strip():
                self.inline.append(data.strip()[:80])

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def inline_scripts(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    return finder.inline + finder.handlers


def factor_change_data(factor, **changes) -> dict[str, str]:
    """The POST body of the admin change form of ``factor``, with its evidence
    inline as it stands (review rows' locked fields are disabled and not sent)."""
    data = {
        "label": factor.label,
        "slug": factor.slug,
        "level": factor.level,
        "role": factor.role,
        "action": factor.action,
        "description": factor.description,
        "discussion_quote": factor.discussion_quote,
        "guidance": factor.guidance,
        "position": str(factor.position),
        "change_reason": "A test edit",
    }
    if factor.retired:
        data["retired"] = "on"
    rows = list(factor.evidence.order_by("position", "id"))
    data.update({
        "evidence-TOTAL_FORMS": str(len(rows)),
        "evidence-INITIAL_FORMS": str(len(rows)),
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    for i, row in enumerate(rows):
        data.update({
            f"evidence-{i}-id": str(row.pk),
            f"evidence-{i}-factor": str(factor.pk),
            f"evidence-{i}-position": str(row.position),
        })  # fmt: skip
        if row.source != "review":
            data.update({
                f"evidence-{i}-study": str(row.study_id),
                f"evidence-{i}-direction": row.direction,
                f"evidence-{i}-quote": row.quote,
            })  # fmt: skip
    data.update({k: str(v) for k, v in changes.items()})
    return data
