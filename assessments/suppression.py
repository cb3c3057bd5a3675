"""Small-cell suppression: which counts of a report may be published.

Pure functions, no database: a count below the threshold is withheld ("<N"),
and further cells are withheld until none of them can be worked out from a
published total and the cells still shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Why a cell is withheld.
SMALL = "small"  # below the threshold
COMPLEMENT = "complement"  # would reveal a small cell through a published total
WITHHELD = "withheld"  # the whole report is withheld: too few clients


@dataclass(frozen=True)
class Cell:
    """A count as it may be published: its value, or why it is withheld."""

    value: int | None
    reason: str = ""
    threshold: int = 5

    @property
    def shown(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        return f"<{self.threshold}" if self.reason == SMALL else "suppressed"


@dataclass(frozen=True)
class Share:
    """A count as a share of a total; withheld whenever either is."""

    value: float | None

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(self.value * 100)

    def __str__(self) -> str:
        return "suppressed" if self.value is None else f"{self.percent}%"


def share_of(cell: Cell, total: Cell) -> Share:
    if not (cell.shown and total.shown) or not total.value:
        return Share(None)
    return Share(cell.value / total.value)


def suppress_group(values: Sequence[int], threshold: int) -> list[str] | None:
    """Why each cell of a group whose total is published must be withheld ("" = shown),
    or None when no choice of cells keeps the group safe (its total must go too).

    Cells below the threshold are withheld ("<N"). Then, while someone who knows
    the total, the shown cells and this rule could still pin down a withheld cell
    (one withheld cell alone is the total minus the others), the smallest shown
    cell is withheld as well ("suppressed").
    """
    reasons = [SMALL if value < threshold else "" for value in values]
    while _pinned(values, reasons, threshold):
        shown = [i for i, reason in enumerate(reasons) if not reason]
        if not shown:
            return None
        reasons[min(shown, key=lambda i: (values[i], i))] = COMPLEMENT
    return reasons


def _pinned(values: Sequence[int], reasons: Sequence[str], threshold: int) -> bool:
    """Whether an attacker could work out the exact value of a withheld cell.

    They know the sum of the withheld cells (the total minus the shown ones), that
    a "<N" cell is between 0 and N-1, and that a "suppressed" cell is at least N:
    each withheld cell then lies in an interval, and a one-value interval gives it away.
    """
    hidden = [i for i, reason in enumerate(reasons) if reason]
    total = sum(values[i] for i in hidden)

    def bounds(i: int) -> tuple[int, int]:
        return (0, threshold - 1) if reasons[i] == SMALL else (threshold, total)

    for i in hidden:
        others = [bounds(j) for j in hidden if j != i]
        low = max(bounds(i)[0], total - sum(high for _, high in others))
        high = min(bounds(i)[1], total - sum(low for low, _ in others))
        if low >= high:
            return True
    return False
