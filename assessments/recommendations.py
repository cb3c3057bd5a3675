"""From an assessment's findings to what to strengthen, limit and watch.

The rules are the review's operational message (Ferrari, 2021):
- Strengthen: facilitating factors; present ones to sustain, absent ones to build.
- Limit: hindering factors that are present.
- Watch: ambivalent factors that are present, with the evidence for both directions.

Roles and levels are read from the finding's snapshot, so a completed
assessment keeps the meaning it had when it was made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assessments.models import Client, Finding
from factors.models import LEVEL_ORDER, Evidence, Role, Study

STRENGTHEN, LIMIT, WATCH = "strengthen", "limit", "watch"
SUSTAIN, BUILD = "sustain", "build"

GROUPS = (
    (STRENGTHEN, "Strengthen", "Facilitating factors: sustain those present, build those absent."),
    (LIMIT, "Limit", "Hindering factors that are present: reduce their weight."),
    (WATCH, "Watch", "Ambivalent factors that are present: they can help or hinder."),
)


def group_of(finding: Finding) -> tuple[str, str] | None:
    """The recommendation group (and, for Strengthen, sustain/build) of a finding,
    or None when the finding calls for no recommendation."""
    present = finding.status == Finding.Status.PRESENT
    absent = finding.status == Finding.Status.ABSENT
    if finding.factor_role == Role.FACILITATING and (present or absent):
        return STRENGTHEN, SUSTAIN if present else BUILD
    if finding.factor_role == Role.HINDERING and present:
        return LIMIT, ""
    if finding.factor_role == Role.AMBIVALENT and present:
        return WATCH, ""
    return None


def group_findings(findings: Iterable[Finding]) -> dict[str, list[tuple[Finding, str]]]:
    """Findings sorted into the three groups, each ordered by level (then the
    catalogue's own order)."""
    groups: dict[str, list[tuple[Finding, str]]] = {STRENGTHEN: [], LIMIT: [], WATCH: []}
    for finding in findings:
        placed = group_of(finding)
        if placed is not None:
            groups[placed[0]].append((finding, placed[1]))
    for items in groups.values():
        items.sort(
            key=lambda pair: (
                LEVEL_ORDER.get(pair[0].factor_level, 9),
                pair[0].factor.position if pair[0].factor_id else 0,
                pair[0].factor_label,
            )
        )
    return groups


# --- evidence from similar contexts -----------------------------------------------

_AGE = {"minor": {"minor", "both"}, "young_adult": {"adult", "both"}, "adult": {"adult", "both"}}
_ROUTE = {"national": {"national", "both"}, "transnational": {"transnational", "both"}}
_SETTING = {"indoor": {"indoor", "both"}, "outdoor": {"outdoor", "both"}, "both": {"both"}}


def _words(text: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if w}


def context_matches(study: Study, client: Client) -> list[str]:
    """Which parts of the client's context the study's sample shares.

    A detail the review does not state (empty on the study) never matches,
    and nor does a detail the caseworker has not recorded.
    """
    matches = []
    if study.age_group and study.age_group in _AGE.get(client.age_group, ()):
        matches.append("age group")
    if study.route and study.route in _ROUTE.get(client.route, ()):
        matches.append("route")
    if study.setting and study.setting in _SETTING.get(client.setting, ()):
        matches.append("setting")
    if study.nationality and _words(study.nationality) & _words(client.nationality):
        matches.append("nationality")
    return matches


@dataclass
class Reference:
    evidence: Evidence
    matches: list[str]


@dataclass
class Recommendation:
    finding: Finding
    kind: str  # sustain / build for Strengthen, "" otherwise
    references: list[Reference] = field(default_factory=list)

    @property
    def supporting(self) -> list[Reference]:
        return [r for r in self.references if r.evidence.direction == Evidence.Direction.SUPPORTS]

    @property
    def counter(self) -> list[Reference]:
        return [r for r in self.references if r.evidence.direction == Evidence.Direction.COUNTER]


def recommendations_for(findings: list[Finding], client: Client) -> dict[str, list[Recommendation]]:
    """The results page: groups of recommendations with their evidence, in two
    queries whatever the number of factors (findings are passed in)."""
    evidence: dict[int, list[Evidence]] = {}
    factor_ids = {f.factor_id for f in findings}
    for ev in (
        Evidence.objects.filter(factor_id__in=factor_ids)
        .select_related("study")
        .order_by("factor_id", "position", "id")
    ):
        evidence.setdefault(ev.factor_id, []).append(ev)
    result = {}
    for name, items in group_findings(findings).items():
        result[name] = [
            Recommendation(
                finding=finding,
                kind=kind,
                references=[
                    Reference(ev, context_matches(ev.study, client))
                    for ev in evidence.get(finding.factor_id, [])
                ],
            )
            for finding, kind in items
        ]
    return result
