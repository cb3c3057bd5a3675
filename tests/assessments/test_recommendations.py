"""The recommendation rules on hand-made findings: each group's membership exactly."""

import pytest

from assessments.models import Client, Finding
from assessments.recommendations import (
    BUILD,
    LIMIT,
    STRENGTHEN,
    SUSTAIN,
    WATCH,
    context_matches,
    group_findings,
)
from factors.models import Study


def finding(label, role, status, level="individual"):
    return Finding(factor_label=label, factor_role=role, factor_level=level, status=status)


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
    return [(f.factor_label, kind) for f, kind in group]


def test_strengthen_holds_facilitating_factors_present_to_sustain_and_absent_to_build():
    groups = group_findings(FINDINGS)
    assert sorted(labels(groups[STRENGTHEN])) == [("fac-absent", BUILD), ("fac-present", SUSTAIN)]


def test_limit_holds_exactly_the_hindering_factors_that_are_present():
    assert labels(group_findings(FINDINGS)[LIMIT]) == [("hin-present", "")]


def test_watch_holds_exactly_the_ambivalent_factors_that_are_present():
    assert labels(group_findings(FINDINGS)[WATCH]) == [("amb-present", "")]


def test_not_assessed_and_unanswered_factors_are_in_no_group():
    placed = {f.factor_label for group in group_findings(FINDINGS).values() for f, _ in group}
    assert not any("not-assessed" in label or "unanswered" in label for label in placed)


def test_groups_are_ordered_by_level():
    findings = [
        finding("structural", "hindering", "present", level="structural"),
        finding("individual", "hindering", "present", level="individual"),
        finding("relational", "hindering", "present", level="relational"),
    ]
    assert [f.factor_label for f, _ in group_findings(findings)[LIMIT]] == [
        "individual",
        "relational",
        "structural",
    ]


def test_the_role_recorded_on_the_finding_decides_not_the_current_catalogue():
    # A factor that was hindering when assessed stays in Limit even if its
    # catalogue entry were later changed: the snapshot is what counts.
    f = finding("was-hindering", "hindering", "present")
    assert labels(group_findings([f])[LIMIT]) == [("was-hindering", "")]


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
    assert context_matches(Study(**study), Client(**client)) == expected
