"""The results page's recommendations, written as HTML in Python.

Each of the 30-odd findings shown is an article: the factor's label and the
finding's status, level and role (the finding's own record), the catalogue's
short description, a context factor's reading, the caseworker's note, then
the catalogue's part (the review's evidence and the practice guidance). Through
an include per finding and one per role badge, they were about a quarter of
the page's time; here each is one ``str.format`` of the same markup, its text
escaped as the template escaped it (``assessments.rendering.form_rows.text``). The words
all articles share are translated once per page (``ItemWords``).

The catalogue's part comes from the cached fragment of the assessment's pinned
version (``assessments/rendering/fragments.py``); a draft, which reads the live
catalogue, renders it from its template for each finding, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from assessments.models import Finding
from assessments.rendering.form_rows import interface_text, text
from factors.models import Level, Role
from factors.translations import services as translations

ITEM = (
    '<article class="rec-item" id="f-{factor_id}" data-factor="{slug}">\n'
    '  <h3 class="h6 mb-1">{label}\n'
    '    <span class="badge text-bg-light border">{status}</span>\n'
    "  </h3>\n"
    '  <p class="small mb-1"><span class="badge text-bg-light border">{level}</span>'
    ' <span class="badge role-badge-{role}">{role_label}</span>\n{description}</p>\n'
    "  {reading}\n"
    "  {note}\n"
    "  {more}\n"
    "</article>\n"
)
DESCRIPTION = ' <span class="text-muted">{in_short} {description}</span>'
READING = '<p class="mb-1 rec-reading">{}</p>'
NOTE = '<p class="mb-1 rec-note"><strong>{label}</strong> {note}</p>'
MORE_TEMPLATE = "assessments/includes/recommendation_more.html"


@dataclass(frozen=True)
class ItemWords:
    """The words the articles of one page share, translated once: the labels
    of a finding's status, level and role (Django's ``get_status_display()``
    hashes every choice's lazy label on each call, and a page shows three
    labels for each of 30-odd findings) and the articles' own words."""

    statuses: dict[str, str]
    levels: dict[str, str]
    roles: dict[str, str]
    level: str  # "%(level)s level"
    in_short: str
    note: str

    @classmethod
    def translated(cls) -> ItemWords:
        def labels(choices) -> dict[str, str]:
            return {value: str(label) for value, label in choices}

        return cls(
            statuses=labels(Finding.Status.choices),
            levels=labels(Level.choices),
            roles=labels(Role.choices),
            level=interface_text(gettext("%(level)s level")),
            in_short=interface_text(gettext("In short (ExitSupport's words):")),
            note=interface_text(gettext("Note:")),
        )


def render_item(rec, words: ItemWords) -> SafeString:
    """One finding's article (``rec`` is an ``assessments.recommendations.Recommendation``)."""
    finding, factor = rec.finding, rec.factor
    reading = rec.reading
    return mark_safe(  # noqa: S308 (every text escaped here)
        ITEM.format(
            factor_id=finding.factor_id,
            slug=text((factor.slug if factor else "") or finding.factor_id),
            label=text(finding.factor_label),
            status=text(rec.status_label.lower()),
            # As {% blocktranslate %} does: the value escaped, the sentence as it is.
            level=words.level % {"level": text(rec.level_label)},
            role=text(finding.factor_role),
            role_label=text(rec.role_label),
            description=DESCRIPTION.format(
                in_short=words.in_short, description=text(factor.description)
            )
            if factor
            else "",
            reading=READING.format(text(reading)) if reading else "",
            note=NOTE.format(label=words.note, note=text(finding.note)) if finding.note else "",
            more=_more(rec),
        )
    )


def _more(rec) -> str:
    if rec.more_html:
        return rec.more_html
    if rec.factor is None:
        return ""
    return render_to_string(
        MORE_TEMPLATE,
        {"rec": rec, "brief": True, "translation_status": translations.status()},
    )
