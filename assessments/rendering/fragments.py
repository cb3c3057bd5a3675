"""Catalogue fragments of the results page, rendered once per catalogue
version and language.

A completed assessment shows the catalogue version it was pinned to, which
never changes: the part of each recommendation that comes from the catalogue
alone (the "Evidence from the review" block: the review's sentences, their
studies and translations, ExitSupport's guidance) is the same HTML for every
client whose assessment shows that version, in the same language. It is
rendered once and cached, keyed by

- the catalogue version (its id, number and time of recording: a snapshot
  is never edited, and the time tells apart two versions that got the same
  id in two databases, such as a restored copy or a test's rolled-back one),
- the language of the page,
- the catalogue translations' generation (``factors.translations.services``:
  a new one whenever a translation, the catalogue text or a review status is
  saved or deleted, so an edit shows at once in this process),
- whether the block is the brief one (the page) or the appendix's,
- the script prefix (the study links in the fragment start with it).

**No client data goes into a fragment.** The one per-client part of the
block, the "similar context" flag beside a sentence (which parts of the
client's context a study's sample shares), is left out as a marker when the
fragment is rendered and filled in per request (``fill``). A finding's label,
status and note stay in the page's own template, around the fragment.

Drafts (and assessments completed before versions were kept) read the live
catalogue, which can change without a new version (a shell, a data
migration): they are never cached and render the template directly.
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from factors.translations import services as translations

TIMEOUT = translations.TIMEOUT  # as long as the translations themselves may be kept
TEMPLATE = "assessments/includes/recommendation_more.html"


def _marker(index: int) -> SafeString:
    # An HTML comment: text from the catalogue is escaped, so it can never contain one.
    return mark_safe(f"<!--similar-context:{index}-->")  # noqa: S308 (our own constant)


class _Ref:
    """A reference as the fragment sees it: the sentence, never the client's matches."""

    __slots__ = ("evidence", "match_badge", "matches")

    def __init__(self, evidence, index: int):
        self.evidence = evidence
        self.matches = ()
        self.match_badge = _marker(index)


class _Rec:
    __slots__ = ("factor", "references")

    def __init__(self, factor):
        self.factor = factor
        self.references = [_Ref(ev, i) for i, ev in enumerate(factor.evidence)]


def key(version, brief: bool = True) -> str:
    language = get_language() or ""
    generation = translations.current_generation()
    recorded = version.created_at.isoformat() if version.created_at else ""
    # The study links in a fragment start with the script prefix in force.
    return (
        f"results-fragments:{version.pk}:{version.number}:{recorded}:"
        f"{language}:{generation}:{int(brief)}:{get_script_prefix()}"
    )


def render_block(factor, *, brief: bool = True) -> str:
    """The catalogue part of one recommendation, with a marker where each
    sentence's "similar context" flag goes."""
    return render_to_string(
        TEMPLATE,
        {
            "rec": _Rec(factor),
            "brief": brief,
            "translation_status": translations.status(),
        },
    )


def match_badge(matches: list[str]) -> str:
    """The "similar context" flag beside a sentence, as the template writes it."""
    if not matches:
        return ""
    text = gettext("similar context: %(matches)s") % {"matches": escape(", ".join(matches))}
    return f'<span class="badge match-badge">{text}</span>'


def fill(fragment: str, references) -> SafeString:
    """The cached fragment with this client's flags in place of the markers."""
    for index, ref in enumerate(references):
        fragment = fragment.replace(_marker(index), match_badge(ref.matches), 1)
    return mark_safe(fragment)  # noqa: S308 (rendered by the template, flags escaped)


def attach(recommendations, version, *, brief: bool = True) -> None:
    """Set ``more_html`` on each recommendation that shows a factor of the
    catalogue ``version`` (None: the live catalogue, nothing cached or set)."""
    if version is None:
        return
    recs = [rec for rec in recommendations if rec.factor is not None]
    if not recs:
        return
    cache_key = key(version, brief)
    fragments = cache.get(cache_key) or {}
    missing = {rec.factor.id: rec.factor for rec in recs if rec.factor.id not in fragments}
    if missing:
        fragments = {
            **fragments,
            **{pk: render_block(factor, brief=brief) for pk, factor in missing.items()},
        }
        cache.set(cache_key, fragments, TIMEOUT)
    for rec in recs:
        rec.more_html = fill(fragments[rec.factor.id], rec.references)
