"""The default view, for a typical team: when the last twelve months hold too few
clients for the figures to survive disclosure control, look further back; and
start on a boundary of the trend's periods, so that the first is not a stub."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils.translation import gettext as _

from assessments.reports.compute import count_clients
from assessments.reports.disclosure import published_total
from assessments.reports.periods import (
    AUTO,
    HALF,
    QUARTER,
    ReportFilters,
    choose_grain,
    format_day,
    month_count,
    month_end,
    months_back,
    periods_of,
)

DEFAULT_MONTHS = (12, 24, 36)
DEFAULT_MIN_CLIENTS = 30  # published clients wanted before a longer period is tried
MAX_MONTHS = 36  # as the form's limit of three years


def widened_default(filters: ReportFilters, today: dt.date) -> tuple[ReportFilters, str]:
    """The default period, and what the page should say about it: the last 12 whole
    months, or 24 or 36 while it counts fewer than DEFAULT_MIN_CLIENTS clients (one
    query per length tried, three at most); then started on the first day of the
    trend's first quarter, half-year or year, so that the first period is whole
    (earlier where the period stays within MAX_MONTHS, else later)."""
    for months in DEFAULT_MONTHS:
        candidate = dataclasses.replace(
            filters, start=months_back(today, months - 1), end=month_end(today)
        )
        clients = published_total(*count_clients(candidate))
        if clients >= DEFAULT_MIN_CLIENTS:
            break
    notes = []
    if months != DEFAULT_MONTHS[0]:
        notes.append(
            _(
                "The last 12 months held fewer than %(n)s clients, so the default view covers "
                "%(months)s months."
            )
            % {"n": DEFAULT_MIN_CLIENTS, "months": months}
        )
    grain = filters.grain
    if grain == AUTO:
        grain = choose_grain(clients, candidate.start, candidate.end)
    periods = periods_of(candidate.start, candidate.end, grain)
    if periods[0].partial and len(periods) > 1:
        earlier = periods[0].key
        start = earlier if month_count(earlier, candidate.end) <= MAX_MONTHS else periods[1].key
        candidate = dataclasses.replace(candidate, start=start)
        whole = {
            QUARTER: _("It starts on %(date)s so that its first quarter is whole."),
            HALF: _("It starts on %(date)s so that its first half-year is whole."),
        }.get(grain, _("It starts on %(date)s so that its first year is whole."))
        notes.append(whole % {"date": format_day(start)})
    return candidate, " ".join(notes)
