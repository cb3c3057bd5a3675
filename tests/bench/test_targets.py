"""The benchmark judges each page as issue 14 states its targets: caseworker pages
against the signed-in floor driven by the same load generator, never a wrk floor
against a locust page."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def run():
    sys.path.insert(0, str(BENCH))
    try:
        import run as bench_run

        yield bench_run
    finally:
        sys.path.remove(str(BENCH))


def figures(rps, tool="wrk", errors=0):
    return {"rps": rps, "tool": tool, "errors": errors, "ratio_to_floor": rps / 1000}


def test_the_floors_a_page_needs_are_added(run):
    assert run.with_bases(["results"], locust=False) == [
        "results",
        "floor",
        "floor_signed_in",
    ]
    # saving a draft is driven by locust: its base is the signed-in floor driven by locust
    assert set(run.with_bases(["assessment_save"], locust=False)) == {
        "assessment_save",
        "floor",
        "floor_signed_in_locust",
    }
    # with --locust everything, the ordinary signed-in floor is locust's
    assert set(run.with_bases(["assessment_save"], locust=True)) == {
        "assessment_save",
        "floor",
        "floor_signed_in",
    }
    assert run.with_bases(["report"], locust=False) == ["report", "floor"]


def test_pages_are_judged_against_the_signed_in_floor_of_their_own_tool(run):
    measured = {
        "floor_signed_in": figures(1000),
        "floor_signed_in_locust": figures(500, tool="locust"),
        "client": figures(410),
        "assessment_form": figures(240),
        "assessment_save": figures(110, tool="locust"),
    }
    pages = {}
    for name, page in measured.items():
        pages[name] = {**page, **run.signed_in_ratio(name, page, measured)}
    results = {"pages": pages}

    note, missed = run.judge("client", pages["client"], results)
    assert missed is None and "0.40 x signed-in floor: ok" in note
    note, missed = run.judge("assessment_form", pages["assessment_form"], results)
    assert missed == "assessment_form: 0.24 x signed-in floor (target 0.25)"
    # 110 / 500 (locust's floor), not 110 / 1000 (wrk's)
    assert pages["assessment_save"]["ratio_to_signed_in"] == pytest.approx(0.22)
    note, missed = run.judge("assessment_save", pages["assessment_save"], results)
    assert missed is None and "(locust)" in note


def test_errors_fail_a_target_and_a_missing_base_is_said(run):
    measured = {"floor_signed_in": figures(1000), "results": figures(900, errors=3)}
    page = {**measured["results"], **run.signed_in_ratio("results", measured["results"], measured)}
    assert run.judge("results", page, {})[1] is not None
    lonely = figures(100, tool="locust")
    assert run.signed_in_ratio("assessment_save", lonely, {"floor_signed_in": figures(1000)}) == {}
    note, missed = run.judge("assessment_save", lonely, {})
    assert missed is None and "not judged" in note


def test_the_signed_in_floor_is_judged_against_the_anonymous_floor(run):
    note, missed = run.judge("floor_signed_in", figures(650), {})
    assert missed == "floor_signed_in: 0.65 x floor (target 0.70)"
    assert run.judge("floor_signed_in", figures(700), {})[1] is None
