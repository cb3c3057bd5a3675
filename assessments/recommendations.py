"""From an assessment's findings to what to sustain, build, limit and watch.

The rules are the review's operational message (Ferrari, 2021), read with
each factor's way of acting on it:
- Actionable factors: facilitating ones present to sustain, absent to build;
  hindering ones present to limit; ambivalent ones present to watch.
- Context factors (part of a person's history or situation) are never a
  target: answered present or absent, they go to their own section, which
  says how the review's evidence reads for this person.
- Caution factors are noted when present and never advised: absent, they are
  not listed at all.

Roles and levels are read from the finding's snapshot and the way of acting
from the catalogue version the assessment shows, so a completed assessment
keeps the meaning it had when it was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from assessments.models import Client, Finding
from assessments.rendering.results_rows import ItemWords, render_item
from factors.models import LEVEL_ORDER, Action, Role
from factors.versions import EvidenceShown, FactorShown, StudyShown

SUSTAIN, BUILD, LIMIT, WATCH, CONTEXT, CAUTION = (
    "sustain",
    "build",
    "limit",
    "watch",
    "context",
    "caution",
)

SECTIONS = (
    (
        SUSTAIN,
        pgettext_lazy("results section", "Sustain"),
        _("Facilitating factors that are present: keep them going."),
    ),
    (
        BUILD,
        pgettext_lazy("results section", "Build"),
        _("Facilitating factors that are absent and can be worked on."),
    ),
    (
        LIMIT,
        pgettext_lazy("results section", "Limit"),
        _("Hindering factors that are present: reduce their weight."),
    ),
    (
        WATCH,
        pgettext_lazy("results section", "Watch"),
        _("Ambivalent factors that are present: they can help or hinder."),
    ),
    (
        CONTEXT,
        pgettext_lazy("results section", "Context"),
        _(
            "Part of this person's history or situation, never a target. They say how closely "
            "the review's evidence fits this person: read the studies with them in mind."
        ),
    ),
    (
        CAUTION,
        pgettext_lazy("results section", "Noted with caution"),
        _("Present for this person and recorded as they are. Never advise building them."),
    ),
)

# What a context factor means for reading the evidence, by its role and status.
CONTEXT_READING = {
    (Role.FACILITATING, Finding.Status.PRESENT): _(
        "Present: the review links this to an easier exit, so evidence about it may fit this "
        "person's situation."
    ),
    (Role.FACILITATING, Finding.Status.ABSENT): _(
        "Absent: the review links this to an easier exit; this person does not have it, so "
        "evidence from samples that did may fit less well. Not something to change."
    ),
    (Role.HINDERING, Finding.Status.PRESENT): _(
        "Present: the review links this to a harder exit; read the evidence knowing this is "
        "part of this person's situation."
    ),
    (Role.HINDERING, Finding.Status.ABSENT): _(
        "Absent: the review links this to a harder exit; it is not part of this person's situation."
    ),
    (Role.AMBIVALENT, Finding.Status.PRESENT): _(
        "Present: the review finds it can help or hinder; read both kinds of evidence."
    ),
    (Role.AMBIVALENT, Finding.Status.ABSENT): _(
        "Absent: the review finds it can help or hinder; it is not part of this person's situation."
    ),
}


def section_of(finding: Finding, action: str) -> str | None:
    """The results section of a finding, or None when it calls for none.

    ``action`` is the factor's way of acting on it, from the catalogue the
    assessment shows."""
    present = finding.status == Finding.Status.PRESENT
    absent = finding.status == Finding.Status.ABSENT
    if action == Action.CONTEXT:
        return CONTEXT if present or absent else None
    if action == Action.CAUTION:
        if finding.factor_role == Role.HINDERING and present:
            return LIMIT
        return CAUTION if present else None
    if finding.factor_role == Role.FACILITATING and present:
        return SUSTAIN
    if finding.factor_role == Role.FACILITATING and absent:
        return BUILD
    if finding.factor_role == Role.HINDERING and present:
        return LIMIT
    if finding.factor_role == Role.AMBIVALENT and present:
        return WATCH
    return None


# --- evidence from similar contexts -----------------------------------------------

_AGE = {"minor": {"minor", "both"}, "young_adult": {"adult", "both"}, "adult": {"adult", "both"}}
_ROUTE = {"national": {"national", "both"}, "transnational": {"transnational", "both"}}
_SETTING = {"indoor": {"indoor", "both"}, "outdoor": {"outdoor", "both"}, "both": {"both"}}


def _words(text: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if w}


def context_matches(study: StudyShown, client: Client) -> list[str]:
    """Which parts of the client's context the study's sample shares.

    A detail the review does not state (empty on the study) never matches,
    and nor does a detail the caseworker has not recorded.
    """
    matches = []
    if study.age_group and study.age_group in _AGE.get(client.age_group, ()):
        matches.append(pgettext("context a study shares with the client", "age group"))
    if study.route and study.route in _ROUTE.get(client.route, ()):
        matches.append(pgettext("context a study shares with the client", "route"))
    if study.setting and study.setting in _SETTING.get(client.setting, ()):
        matches.append(pgettext("context a study shares with the client", "setting"))
    if study.nationality and _words(study.nationality) & _words(client.nationality):
        matches.append(pgettext("context a study shares with the client", "nationality"))
    return matches


@dataclass
class Reference:
    evidence: EvidenceShown
    matches: list[str]


@dataclass
class Recommendation:
    """One finding on the results page, with the factor as the page shows it."""

    finding: Finding
    factor: FactorShown | None
    section: str | None
    words: ItemWords
    references: list[Reference] = field(default_factory=list)
    # The catalogue's part, from a cached fragment (assessments/rendering/fragments.py), or "".
    more_html: str = ""

    # As the finding's get_FOO_display() gives them (a value without a label as it is).
    @property
    def status_label(self) -> str:
        return self.words.statuses.get(self.finding.status, self.finding.status)

    @property
    def level_label(self) -> str:
        return self.words.levels.get(self.finding.factor_level, self.finding.factor_level)

    @property
    def role_label(self) -> str:
        return self.words.roles.get(self.finding.factor_role, self.finding.factor_role)

    @cached_property
    def html(self) -> SafeString:
        """The finding's article on the page (``assessments/rendering/results_rows.py``)."""
        return render_item(self, self.words)

    @property
    def reading(self) -> str:
        """For a context factor: what it means for reading the evidence."""
        if self.section != CONTEXT:
            return ""
        return str(CONTEXT_READING.get((self.finding.factor_role, self.finding.status), ""))


def _order(rec: Recommendation):
    return (
        LEVEL_ORDER.get(rec.finding.factor_level, 9),
        rec.factor.position if rec.factor else 0,
        rec.finding.factor_label,
    )


@dataclass
class Results:
    sections: list[tuple[str, str, str, list[Recommendation]]]
    other_notes: list[Recommendation]
    not_assessed: list[Recommendation]


def results_for(
    findings: list[Finding], factors: dict[int, FactorShown], client: Client
) -> Results:
    """The results page: the sections with their evidence, the answers with a
    note that call for no recommendation, and the factors not assessed.
    ``factors`` is the catalogue the assessment shows (live or pinned)."""
    actions = {pk: f.action for pk, f in factors.items()}
    words = ItemWords.translated()
    placed = {key: [] for key, _, _ in SECTIONS}
    other_notes, not_assessed = [], []
    for finding in findings:
        factor = factors.get(finding.factor_id)
        key = section_of(finding, actions.get(finding.factor_id, Action.ACTIONABLE))
        rec = Recommendation(
            finding=finding,
            factor=factor,
            section=key,
            words=words,
            references=[
                Reference(ev, context_matches(ev.study, client))
                for ev in (factor.evidence if factor else ())
            ],
        )
        if key is not None:
            placed[key].append(rec)
        elif finding.status in (Finding.Status.NOT_ASSESSED, ""):
            not_assessed.append(rec)
        elif finding.note:
            other_notes.append(rec)
    for items in (*placed.values(), other_notes, not_assessed):
        items.sort(key=_order)
    return Results(
        sections=[(key, title, intro, placed[key]) for key, title, intro in SECTIONS],
        other_notes=other_notes,
        not_assessed=not_assessed,
    )
