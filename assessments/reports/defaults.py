"""The default view, for a typical team: when the last twelve months hold too few
clients for the figures to survive disclosure control, look further back."""

from __future__ import annotations

import dataclasses
import datetime as dt

from assessments.reports.compute import count_clients
from assessments.reports.disclosure import published_total
from assessments.reports.periods import ReportFilters, month_end, months_back

DEFAULT_MONTHS = (12, 24, 36)
DEFAULT_MIN_CLIENTS = 30  # published clients wanted before a longer period is tried


def widened_default(filters: ReportFilters, today: dt.date) -> tuple[ReportFilters, int]:
    """The default period (last 12 whole months), widened to 24 or 36 months while
    it counts fewer than DEFAULT_MIN_CLIENTS clients; and the months used when it
    was widened (0 when not). One query per length tried, three at most."""
    for months in DEFAULT_MONTHS:
        candidate = dataclasses.replace(
            filters, start=months_back(today, months - 1), end=month_end(today)
        )
        if published_total(*count_clients(candidate)) >= DEFAULT_MIN_CLIENTS:
            break
    return candidate, 0 if months == DEFAULT_MONTHS[0] else months
