"""The catalogue is faithful to Ferrari (2021): the published decision on
counts, every factor backed by a study, every quote verbatim in the paper."""

import json
import re
from collections import Counter

import pytest

from factors.catalogue import REVIEW_FILE, validate
from factors.models import Evidence, Factor, Review, Study
from tests.factors.paper import normalised

# The published decision (see factors/catalogue/NOTES.md and the About page).
DECIDED_COUNTS = {
    ("individual", "facilitating"): 7,
    ("individual", "hindering"): 1,
    ("individual", "ambivalent"): 1,
    ("relational", "facilitating"): 7,
    ("relational", "hindering"): 3,
    ("relational", "ambivalent"): 2,
    ("structural", "facilitating"): 7,
    ("structural", "hindering"): 3,
    ("structural", "ambivalent"): 1,
}
# Labels the review names as stigma; never used in our own words.
STIGMA = re.compile(r"\b(prostitutes?|whores?|hookers?|sex workers?)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(REVIEW_FILE.read_text(encoding="utf-8"))


def test_the_data_file_is_valid(data):
    assert validate(data) == []


def test_counts_per_level_and_role_equal_the_published_decision(db):
    counts = Counter(Factor.objects.filter(source="review").values_list("level", "role"))
    assert dict(counts) == DECIDED_COUNTS
    assert sum(counts.values()) == 32


def test_the_about_page_decision_states_the_same_counts(db):
    decision = Review.objects.get().counts_decision
    assert "21 facilitating, 7 hindering and 4 ambivalent" in decision  # the abstract's
    assert "7 hindering and 3 ambiguous" in decision  # the Discussion's
    assert "32 factors, 21 facilitating (7 per level), 7 hindering and 4 ambivalent" in decision


def test_the_review_has_thirteen_studies(db):
    assert Study.objects.filter(source="review").count() == 13


def test_every_factor_has_at_least_one_study(db):
    without = Factor.objects.filter(evidence__isnull=True)
    assert list(without) == []


def test_every_study_supports_at_least_one_factor_or_is_explained(db, data):
    unused = set(Study.objects.filter(evidence__isnull=True).values_list("key", flat=True))
    notes = (REVIEW_FILE.parent / "NOTES.md").read_text(encoding="utf-8")
    for key in unused:
        assert key in notes, f"{key} supports no factor and NOTES.md does not say why"


def test_every_evidence_quote_occurs_verbatim_in_the_paper(paper, data):
    missing = [
        (factor["slug"], ev["quote"][:60])
        for factor in data["factors"]
        for ev in factor["evidence"]
        if normalised(ev["quote"]) not in paper
    ]
    assert missing == []


def test_study_details_models_and_limitations_quote_the_paper_verbatim(paper, data):
    quotes = [s["details_quote"] for s in data["studies"] if s["details_quote"]]
    quotes += [m["quote"] for m in data["models"] if m["quote"]]
    quotes.append(data["review"]["limitations_quote"])
    assert [q[:60] for q in quotes if normalised(q) not in paper] == []


def test_every_study_reference_comes_from_the_reference_list(paper, data):
    references = paper[paper.index("References") :]
    for study in data["studies"]:
        assert normalised(study["reference"]) in references, study["key"]


def test_every_in_text_spelling_kept_occurs_in_the_paper(paper, data):
    for study in data["studies"]:
        for variant in study["cited_as"]:
            assert normalised(variant) in paper, (study["key"], variant)


def test_the_database_holds_the_quotes_of_the_data_file(db, data):
    stored = set(Evidence.objects.values_list("factor__slug", "quote"))
    expected = {(f["slug"], ev["quote"]) for f in data["factors"] for ev in f["evidence"]}
    assert stored == expected


def test_our_own_words_use_no_stigmatising_label(data):
    own_text = [
        text
        for factor in data["factors"]
        for text in (factor["label"], factor["description"], factor["guidance"])
    ]
    assert [t for t in own_text if STIGMA.search(t)] == []


def test_unknown_study_details_stay_empty_rather_than_guessed(data):
    for study in data["studies"]:
        if not study["details_quote"]:
            # Nothing quoted about the sample: nothing about it may be filled in.
            assert study["sample_size"] is None, study["key"]
            assert not study["setting"] and not study["route"], study["key"]
