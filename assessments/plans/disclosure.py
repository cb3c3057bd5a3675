"""The disclosure rules the team view shares with the report: the one place
this package imports them from."""

from assessments.reports.disclosure import SMALL, WITHHELD, Cell, suppress_group  # noqa: F401
