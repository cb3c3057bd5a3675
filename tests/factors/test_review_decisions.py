"""Issue 9 §1 and §3: each decision taken from the review's sentences holds in
the data file and in the database, and says no more and no less than the paper."""

import json
import re

import pytest

from assessments.models import Client
from assessments.recommendations import context_matches
from factors.catalogue import REVIEW_FILE
from factors.models import Evidence, Factor, Study
from tests.factors.paper import normalised

NOTES = (REVIEW_FILE.parent / "NOTES.md").read_text(encoding="utf-8")

# The way of acting on each factor that is not simply one to act on (NOTES.md §9).
NOT_TARGETS = {
    "spirituality": "context",
    "desire-to-help-others": "context",
    "indoor-exploitation-experience": "context",
    "children-reunification": "context",
    "police-security-system": "context",
    "collectivist-cultural-orientation": "context",
    "individualist-cultural-orientation": "context",
    "substance-use": "caution",
    "help-from-companions": "caution",
    "help-from-customers": "caution",
}


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(REVIEW_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def factors(data) -> dict:
    return {f["slug"]: f for f in data["factors"]}


def test_every_review_factor_states_its_way_of_acting_on_it(data):
    assert all(f["action"] in ("actionable", "context", "caution") for f in data["factors"])
    decided = {f["slug"]: f["action"] for f in data["factors"] if f["action"] != "actionable"}
    assert decided == NOT_TARGETS


def test_every_factors_way_of_acting_is_argued_in_the_notes(data):
    table = NOTES[NOTES.index("## 9.") :]
    for factor in data["factors"]:
        row = re.search(rf"^\| `{re.escape(factor['slug'])}` \| (\w+) \|", table, re.MULTILINE)
        assert row is not None, factor["slug"]
        assert row.group(1) == factor["action"], factor["slug"]


def test_the_database_holds_the_decided_ways_of_acting(db):
    stored = dict(Factor.objects.exclude(action="actionable").values_list("slug", "action"))
    assert stored == NOT_TARGETS


def test_ngo_support_is_ambivalent_with_both_sides_as_support_of_that_role(factors):
    ngo = factors["ngo-support"]
    assert ngo["role"] == "ambivalent"
    assert {ev["direction"] for ev in ngo["evidence"]} == {"supports"}
    assert "do not limit their work to emergency interventions" in ngo["discussion_quote"]


def test_cultural_orientation_is_two_factors_and_the_individualist_keeps_its_indian_scope(
    factors,
):
    assert "cultural-orientation" not in factors
    collectivist = factors["collectivist-cultural-orientation"]
    individualist = factors["individualist-cultural-orientation"]
    assert "Indian and its American sample" in collectivist["description"]
    assert "(Indian sample)" in individualist["label"]
    assert "Indian sample only" in individualist["description"] or (
        "Indian sample" in individualist["description"]
        and "American" not in individualist["description"]
    )
    for factor in (collectivist, individualist):
        assert factor["evidence"][0]["study"] == "wilson-2016"
        assert "did not find great differences" in factor["discussion_quote"]


def test_rarely_qualifies_the_police_factor_and_is_not_evidence_against_it(factors):
    raids = [ev for ev in factors["police-security-system"]["evidence"] if "rarely" in ev["quote"]]
    assert [ev["direction"] for ev in raids] == ["qualifies"]


def test_every_counter_sentence_says_the_factor_worked_the_other_way(data):
    counter = [
        (f["slug"], ev["quote"])
        for f in data["factors"]
        for ev in f["evidence"]
        if ev["direction"] == "counter"
    ]
    assert [slug for slug, _ in counter] == ["stigma-and-labelling"]
    assert "accelerating factor" in counter[0][1]


def test_studies_that_support_a_factor_count_supporting_evidence_only(db):
    police = Factor.objects.get(slug="police-security-system")
    supporting = police.evidence.filter(direction=Evidence.Direction.SUPPORTS)
    assert set(supporting.values_list("study__key", flat=True)) == {"dahal-2015"}
    assert police.evidence.filter(direction=Evidence.Direction.QUALIFIES).count() == 1


def test_the_juju_caveat_is_carried_by_religious_organisations_and_spirituality(factors, paper):
    for slug in ("religious-organisations", "spirituality"):
        factor = factors[slug]
        assert "juju" in factor["discussion_quote"], slug
        assert normalised(factor["discussion_quote"]) in paper, slug
        assert "juju" in factor["guidance"], slug


def test_the_family_is_often_implicated_not_sometimes(factors):
    family = factors["family"]
    assert "often implicated" in family["description"]
    assert "often implicated" in family["discussion_quote"]
    assert "sometimes" not in family["description"]


def test_paraphrases_keep_what_the_sentences_say(factors):
    assert "“The boys perceive themselves as" in factors["helpless-victim-framing"]["description"]
    assert "“kidnappers”" in factors["help-from-customers"]["description"]
    assert (
        "“due to age, financial debt, or health conditions”"
        in (factors["help-from-customers"]["description"])
    )
    empowerment = factors["empowerment-rehabilitation-programmes"]["description"]
    assert "“especially involving addiction and/or use of substances”" in empowerment
    assert "especially true" not in empowerment


def test_quoted_words_in_our_descriptions_occur_in_the_paper(data, paper):
    for factor in data["factors"]:
        for quoted in re.findall(r"“([^”]+)”", factor["description"]):
            assert normalised(quoted) in paper, (factor["slug"], quoted)


def test_discussion_and_caveat_sentences_are_verbatim(data, paper):
    quotes = [f["discussion_quote"] for f in data["factors"] if f["discussion_quote"]]
    quotes += [q for caveat in data["review"]["caveats"] for q in caveat["quotes"]]
    assert [q[:60] for q in quotes if normalised(q) not in paper] == []


@pytest.mark.parametrize(
    "words",
    [
        "lack of attention to the obstacles",
        "the Asian region (the India-Nepal area)",
        "4 research studies have participants from United States",
        "non-peer-reviewed publications",
        "None of the studies employed doubtful methodologies",
        "until July 2019",
        "few provide follow-up assessments",
    ],
)
def test_the_about_caveats_quote_each_point(data, words):
    quotes = " ".join(q for caveat in data["review"]["caveats"] for q in caveat["quotes"])
    assert words in quotes


def test_dalla_and_kreimer_is_cited_as_the_reviews_sentences_do(db):
    study = Study.objects.get(key="rochelle-2017")
    assert study.short_citation == "Dalla & Kreimer (2017)"
    assert study.reference.startswith("Rochelle, L., & DallaLee, M., K. (2017)")
    assert "reference list" in study.note and "Mumbai" in study.note


def test_obrien_is_spelt_without_the_stray_space(db):
    assert Study.objects.get(key="obrien-2018").short_citation == "O'Brien (2018)"


def test_no_study_claims_an_age_group_the_review_does_not_state(data):
    assert [s["key"] for s in data["studies"] if s["age_group"] == "minor"] == []
    assert Study.objects.none().model.AgeGroup.MINOR  # the choice stays for local studies


def test_a_contested_sample_detail_never_gives_a_similar_context_match(db):
    study = Study.objects.get(key="rochelle-2017")
    for nationality in ("Nepal", "Nepalese", "India", "Indian"):
        client = Client(nationality=nationality, setting="", route="", age_group="")
        assert "nationality" not in context_matches(study, client), nationality
