"""Disclosure control: which counts of a report may be published, and how.

Pure functions, no database. Two steps, in this order:

1. Cell-key perturbation (the method of the ABS TableBuilder and of the ONS for
   Census 2021 flexible tables): every client carries a permanent random record
   key (0-255); a cell's key is the sum of its clients' record keys (and of the
   report's, see ``perturb``) modulo 256, and the perturbation table gives the
   small amount added to the cell for that key. The same clients always get the
   same noise, so asking twice reveals nothing; reports that differ by one
   person get unrelated noise, so subtracting them no longer gives her figures.
2. Small-cell suppression of the perturbed counts: a count below the threshold
   is withheld ("<N"), and further cells are withheld until none of them can be
   worked out from a published total and the cells still shown.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

# --- Perturbation -------------------------------------------------------------

# As the ONS's cell-key-perturbation package: cell key = sum of the record keys
# mod 256, perturbation looked up by (count, cell key). Record keys are 1..255
# (models.new_record_key): never 0, which would leave every cell key unchanged.
KEY_RANGE = 256
# Our perturbation table, by cell key: of the 256 keys, 32 give -2, 64 give -1,
# 64 give 0, 64 give +1 and 32 give +2 (mean 0, mean absolute change 1), in a
# fixed shuffled order, so that two nearby cell keys get unrelated changes (in
# key order, a person with a small record key would change few cells' noise).
# A count never goes below 0, and an empty cell (no client) stays 0. The ONS
# package ships the "10-5 rule" table instead (counts below 10 become 0, the rest
# are rounded to a multiple of 5, whatever the key): with no noise tied to the
# key, two reports that differ by one person still differ where a count crosses
# a rounding boundary, which is the attack this control must stop.
NOISE = ((32, -2), (96, -1), (160, 0), (224, 1), (KEY_RANGE, 2))
MAX_CHANGE = max(abs(change) for _, change in NOISE)


def _ptable() -> tuple[int, ...]:
    changes = [next(c for limit, c in NOISE if key < limit) for key in range(KEY_RANGE)]
    random.Random("ExitSupport perturbation table 1").shuffle(changes)  # fixed: same every run
    return tuple(changes)


PTABLE = _ptable()


def pvalue(count: int, cell_key: int) -> int:
    """The perturbation of a cell of ``count`` clients whose cell key is ``cell_key``."""
    if count <= 0:
        return 0
    return max(PTABLE[cell_key], -count)


def perturb(count: int, key_sum: int, table_key: int) -> int:
    """The published value of a cell: its count plus the perturbation table's value
    for its cell key, the sum of its clients' record keys and of the record keys of
    every client the report counts (``table_key``), modulo 256.

    The plain method uses the cell's clients alone; then a cell that a person is
    not in keeps its value when she joins the report, and every cell that changes
    gives her away (a period shifted by a day found about 26 of her 31 factors).
    Adding the report's own key gives every cell fresh noise as soon as the report
    counts anyone else, while the same clients in the same report always get the
    same noise.
    """
    return count + pvalue(count, (key_sum + table_key) % KEY_RANGE)


def published_total(count: int, key_sum: int) -> int:
    """The published number of clients a report counts (its own table key)."""
    return perturb(count, key_sum, key_sum)


def balance(total: int, parts: Sequence[int]) -> list[int]:
    """Parts of a published total that add up to it exactly: the largest (perturbed)
    part becomes the total minus the other perturbed parts. Computed from perturbed
    values only, so it reveals nothing the perturbed cells do not."""
    parts = list(parts)
    if parts:
        largest = max(range(len(parts)), key=lambda i: (parts[i], -i))
        parts[largest] = max(0, total - sum(parts) + parts[largest])
    return parts


# --- Suppression ---------------------------------------------------------------

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
        if self.reason == SMALL:
            return _("<%(threshold)s") % {"threshold": self.threshold}
        return _("suppressed")


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
        if self.value is None:
            return _("suppressed")
        return _("%(percent)s%%") % {"percent": self.percent}


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
