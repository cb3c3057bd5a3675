"""The recommendation rules on hand-made findings: each section's membership exactly,
read with each factor's way of acting on it (actionable, context, caution)."""

import pytest

from assessments.models import Client, Finding
from assessments.recommendations import (
    BUILD,
    CAUTION,
    CONTEXT,
    LIMIT,
    SUSTAIN,
    WATCH,
    context_matches,
    results_for,
    section_of,
)
from factors.models import Action
from factors.versions import EvidenceShown, FactorShown, StudyShown

ROLES = ("facilitating", "hindering", "ambivalent")
STATUSES = ("present", "absent", "not_assessed", "")


def finding(label, role, status, level="individual", factor_id=None, note=""):
    return Finding(
        factor_label=label,
        factor_role=role,
        factor_level=level,
        status=status,
        factor_id=factor_id,
        note=note,
    )


def shown(pk, action=Action.ACTIONABLE, evidence=()):
    return FactorShown(
        id=pk,
        slug=f"f{pk}",
        label=f"F{pk}",
        level="individual",
        role="facilitating",
        action=action,
        action_label="",
        description="d",
        guidance="",
        guidance_by="",
        guidance_at=None,
        position=pk,
        evidence=tuple(evidence),
    )


FINDINGS = [
    finding("fac-present", "facilitating", "present"),
    finding("fac-absent", "facilitating", "absent"),
    finding("fac-not-assessed", "facilitating", "not_assessed"),
    finding("fac-unanswered", "facilitating", ""),
    finding("hin-present", "hindering", "present"),
    finding("hin-absent", "hindering", "absent"),
    finding("hin-not-assessed", "hindering", "not_assessed"),
    finding("amb-present", "ambivalent", "present"),
    finding("amb-absent", "ambivalent", "absent"),
    finding("amb-not-assessed", "ambivalent", "not_assessed"),
]


def labels(group):
    return [f.factor_label for f in group]


def group_findings(findings, actions):
    """Findings by section, each factor's way of acting from ``actions`` (default actionable)."""
    groups = {}
    for f in findings:
        groups.setdefault(section_of(f, actions.get(f.factor_id, Action.ACTIONABLE)), []).append(f)
    return groups


def sections(results):
    return {key: items for key, _, _, items in results.sections}


def test_actionable_facilitating_factors_are_sustained_when_present_and_built_when_absent():
    groups = group_findings(FINDINGS, {})
    assert labels(groups[SUSTAIN]) == ["fac-present"]
    assert labels(groups[BUILD]) == ["fac-absent"]


def test_limit_holds_exactly_the_hindering_factors_that_are_present():
    assert labels(group_findings(FINDINGS, {})[LIMIT]) == ["hin-present"]


def test_watch_holds_exactly_the_ambivalent_factors_that_are_present():
    assert labels(group_findings(FINDINGS, {})[WATCH]) == ["amb-present"]


def test_not_assessed_and_unanswered_factors_are_in_no_section():
    groups = group_findings(FINDINGS, {})
    placed = {f.factor_label for key, group in groups.items() if key for f in group}
    assert not any("not-assessed" in label or "unanswered" in label for label in placed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", ["present", "absent"])
def test_a_context_factor_is_only_ever_context_never_a_target(role, status):
    assert section_of(finding("x", role, status, factor_id=1), Action.CONTEXT) == CONTEXT


@pytest.mark.parametrize("role", ROLES)
def test_an_unanswered_or_not_assessed_context_factor_is_in_no_section(role):
    for status in ("not_assessed", ""):
        assert section_of(finding("x", role, status), Action.CONTEXT) is None


@pytest.mark.parametrize("role", ["facilitating", "ambivalent"])
def test_a_caution_factor_is_noted_when_present_and_not_listed_when_absent(role):
    assert section_of(finding("x", role, "present"), Action.CAUTION) == CAUTION
    assert section_of(finding("x", role, "absent"), Action.CAUTION) is None


@pytest.mark.parametrize("action", [Action.CONTEXT, Action.CAUTION])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_context_and_caution_factors_are_never_to_build_or_sustain(action, role, status):
    assert section_of(finding("x", role, status), action) not in (BUILD, SUSTAIN, WATCH)


def test_a_completed_all_absent_assessment_lists_no_context_or_caution_factor_under_build():
    findings = [
        finding("actionable", "facilitating", "absent", factor_id=1),
        finding("context", "facilitating", "absent", factor_id=2),
        finding("caution", "facilitating", "absent", factor_id=3),
        finding("hindering", "hindering", "absent", factor_id=4),
    ]
    factors = {1: shown(1), 2: shown(2, Action.CONTEXT), 3: shown(3, Action.CAUTION), 4: shown(4)}
    results = results_for(findings, factors, Client())
    sections = {
        key: [r.finding.factor_label for r in items] for key, _, _, items in results.sections
    }
    assert sections[BUILD] == ["actionable"]
    assert sections[CONTEXT] == ["context"]
    assert sections[CAUTION] == [] and sections[SUSTAIN] == [] and sections[LIMIT] == []


def test_a_context_factor_says_what_it_means_for_reading_the_evidence():
    findings = [finding("indoor", "facilitating", "absent", factor_id=1)]
    results = results_for(findings, {1: shown(1, Action.CONTEXT)}, Client())
    (rec,) = sections(results)[CONTEXT]
    assert "Not something to change" in rec.reading


def test_a_note_on_a_finding_without_recommendation_is_kept_for_the_page():
    findings = [
        finding("hin-absent", "hindering", "absent", factor_id=1, note="talked about it"),
        finding("hin-absent-quiet", "hindering", "absent", factor_id=2),
        finding("skipped", "hindering", "not_assessed", factor_id=3, note="next time"),
    ]
    results = results_for(findings, {1: shown(1), 2: shown(2), 3: shown(3)}, Client())
    assert [r.finding.note for r in results.other_notes] == ["talked about it"]
    assert [r.finding.note for r in results.not_assessed] == ["next time"]


def test_a_finding_carries_its_factors_evidence_with_any_direction_label():
    study = StudyShown("s", "Smith (2019)", route="national")
    evidence = [EvidenceShown(study, "qualifies", "Qualifies the factor", "q")]
    results = results_for(
        [finding("x", "hindering", "present", factor_id=1)],
        {1: shown(1, evidence=evidence)},
        Client(route="national"),
    )
    (rec,) = sections(results)[LIMIT]
    assert [(r.evidence.direction_label, r.matches) for r in rec.references] == [
        ("Qualifies the factor", ["route"])
    ]


def test_sections_are_ordered_by_level():
    findings = [
        finding("structural", "hindering", "present", level="structural"),
        finding("individual", "hindering", "present", level="individual"),
        finding("relational", "hindering", "present", level="relational"),
    ]
    results = results_for(findings, {}, Client())
    limit = sections(results)[LIMIT]
    assert [r.finding.factor_label for r in limit] == ["individual", "relational", "structural"]


def test_the_role_recorded_on_the_finding_decides_not_the_current_catalogue():
    # A factor that was hindering when assessed stays in Limit even if its
    # catalogue entry were later changed: the snapshot is what counts.
    f = finding("was-hindering", "hindering", "present")
    assert labels(group_findings([f], {})[LIMIT]) == ["was-hindering"]


@pytest.mark.parametrize(
    ("study", "client", "expected"),
    [
        ({"route": "national"}, {"route": "national"}, ["route"]),
        ({"route": "both"}, {"route": "transnational"}, ["route"]),
        ({"route": ""}, {"route": "national"}, []),
        ({"setting": "indoor"}, {"setting": "outdoor"}, []),
        ({"setting": "both"}, {"setting": "indoor"}, ["setting"]),
        ({"age_group": "minor"}, {"age_group": "minor"}, ["age group"]),
        ({"age_group": "minor"}, {"age_group": "young_adult"}, []),
        ({"age_group": "adult"}, {"age_group": "young_adult"}, ["age group"]),
        ({"nationality": "Nepal"}, {"nationality": "nepal"}, ["nationality"]),
        ({"nationality": "India and United States"}, {"nationality": "India"}, ["nationality"]),
        ({"nationality": ""}, {"nationality": ""}, []),
        ({}, {"route": "national", "setting": "indoor", "age_group": "adult"}, []),
    ],
)
def test_context_matches_only_on_details_the_review_states(study, client, expected):
    assert context_matches(StudyShown("k", "k", **study), Client(**client)) == expected
