"""Small-cell suppression: no published cell below the threshold, and no withheld
cell that can be worked out from the published ones."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.reports.compute import STAGE_CHOICES, FactorInfo, RawReport
from assessments.reports.disclosure import COMPLEMENT, SMALL, Cell, suppress_group
from assessments.reports.periods import quarters_of
from assessments.reports.published import publish

T = 5


def possible_values(shown: list[int | None], labels: list[str], total: int) -> list[set[int]]:
    """What an attacker who knows the total, the shown cells, the labels and the
    rule can still believe about each withheld cell: every assignment consistent
    with all of it, found by brute force."""
    hidden = [i for i, value in enumerate(shown) if value is None]
    rest = total - sum(value for value in shown if value is not None)
    ranges = [range(0, T) if labels[i] == SMALL else range(T, rest + 1) for i in hidden]
    found: list[set[int]] = [set() for _ in shown]
    for values in itertools.product(*ranges):
        if sum(values) == rest:
            for i, value in zip(hidden, values, strict=True):
                found[i].add(value)
    return found


def assert_group_is_safe(values: list[int], reasons: list[str] | None) -> None:
    if reasons is None:
        return  # the caller withholds the total: nothing of the group is published
    shown = [None if reason else value for value, reason in zip(values, reasons, strict=True)]
    assert all(value >= T for value in shown if value is not None)
    for i, seen in enumerate(possible_values(shown, reasons, sum(values))):
        if shown[i] is None:
            assert values[i] in seen
            assert len(seen) > 1, f"cell {i} of {values} recoverable as {seen}"


def test_a_count_below_the_threshold_is_shown_as_less_than_the_threshold():
    assert str(Cell(None, SMALL, 5)) == "<5"
    assert str(Cell(None, COMPLEMENT, 5)) == "suppressed"
    assert str(Cell(7, "", 5)) == "7"


def test_a_lone_small_cell_takes_the_smallest_other_cell_with_it():
    assert suppress_group([3, 9, 7], T) == [SMALL, "", COMPLEMENT]
    assert suppress_group([3, 9], T) == [SMALL, COMPLEMENT]
    assert suppress_group([9, 2], T) == [COMPLEMENT, SMALL]


def test_cells_at_or_above_the_threshold_are_shown():
    assert suppress_group([5, 6, 20], T) == ["", "", ""]


def test_several_small_cells_summing_to_nothing_are_not_left_alone():
    # 0 + 0 is the total minus the shown cells: both zeros would be known.
    assert suppress_group([0, 0, 12, 8], T) == [SMALL, SMALL, "", COMPLEMENT]
    assert suppress_group([4, 4, 12], T) == [SMALL, SMALL, COMPLEMENT]  # 8 = 4 + 4 only


def test_a_group_that_cannot_be_made_safe_gives_up_its_total():
    assert suppress_group([0, 5], T) is None  # 5 clients, all with the factor


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=2, max_size=5))
def test_no_withheld_cell_can_be_recovered_from_a_group(values):
    assert_group_is_safe(values, suppress_group(values, T))


def raw_report(
    clients, present, stages, quarter_clients=(), quarter_present=None, absent=None
) -> RawReport:
    factors = tuple(
        FactorInfo(i + 1, f"f{i + 1}", f"Factor {i + 1}", "individual", role)
        for i, role in enumerate(["facilitating", "hindering", "ambivalent"][: len(present)])
    )
    quarters = quarters_of(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    absent = absent or [clients - n for n in present]
    return RawReport(
        filters=None,
        grain="quarter",
        clients=clients,
        excluded=3,
        assessments=clients * 2,
        factors=factors,
        present={f.id: n for f, n in zip(factors, present, strict=True)},
        absent={f.id: n for f, n in zip(factors, absent, strict=True)},
        stages=stages,
        periods=quarters,
        period_clients=dict(zip((q.key for q in quarters), quarter_clients, strict=False)),
        period_present=quarter_present or {},
        keys={},
    )


def test_fewer_clients_than_the_threshold_withholds_everything(no_noise):
    report = publish(raw_report(4, [2, 1, 0], {"action": 4}), T)
    assert report.withheld
    assert str(report.clients) == "<5"
    assert (report.rows, report.stages, report.series) == ((), (), ())
    assert str(report.excluded) == str(report.assessments) == "suppressed"


def test_a_report_whose_figures_cannot_be_made_safe_is_withheld(no_noise):
    report = publish(raw_report(5, [5, 2, 1], {"action": 5}), T)  # everyone has factor 1
    assert report.withheld
    assert str(report.clients) == "suppressed"


def test_a_small_excluded_count_is_shown_as_less_than_the_threshold(no_noise):
    report = publish(raw_report(20, [10, 10, 10], {"action": 20}), T)
    assert str(report.excluded) == "<5"
    assert str(report.assessments) == "40"


def test_no_published_figure_reveals_a_withheld_count(no_noise):
    """The attack: for each group published with its total, try to work out each
    withheld cell from the others, the labels and the rule; it must stay ambiguous."""
    stages = {"precontemplation": 2, "contemplation": 0, "preparation": 9, "action": 6}
    raw = raw_report(
        20,
        [17, 3, 0],
        {**stages, "maintenance": 3},
        quarter_clients=(12, 10),
        quarter_present={(dt.date(2025, 1, 1), 1): 9, (dt.date(2025, 4, 1), 2): 5},
        absent=[3, 15, 18],
    )
    report = publish(raw, T)
    assert not report.withheld
    total = report.clients.value
    for row in report.rows:
        assert (row.share.shown, row.absent_share.shown) == (row.present.shown, row.absent.shown)
        for cell in (row.present, row.absent):  # each with its complement, not published
            assert cell.shown or len(possible_values([None, None], [cell.reason, ""], total)[0]) > 1
    cells = [row.clients for row in report.stages]
    assert len(cells) == len(STAGE_CHOICES)
    found = possible_values([c.value for c in cells], [c.reason for c in cells], total)
    for cell, seen in zip(cells, found, strict=True):
        assert cell.shown or len(seen) > 1
        assert not cell.shown or cell.value >= T
    # Quarter 1: 9 of 12 have factor 1, so 3 do not: the share must go.
    assert [str(s) for s in report.series[0].shares] == ["suppressed", "suppressed"]
    assert [str(s) for s in report.series[1].shares] == ["suppressed", "50%"]
