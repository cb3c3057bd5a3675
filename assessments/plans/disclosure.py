"""The disclosure rules the team view shares with the report: the one place
this package imports them from."""

from assessments.reports.disclosure import (  # noqa: F401
    MAX_CHANGE,
    SMALL,
    WITHHELD,
    Cell,
    balance,
    perturb,
    suppress_group,
)
