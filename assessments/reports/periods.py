"""The report's filters, and how its period is cut: whole calendar months for the
period, and quarters, half-years or years for the trend, chosen by a stated rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.models import Client

# The trend's grain: (label, months, label of one period).
QUARTER, HALF, YEAR = "quarter", "half", "year"
AUTO = "auto"
GRAINS = {QUARTER: ("quarters", 3), HALF: ("half-years", 6), YEAR: ("years", 12)}


def grain_names(grain: str) -> tuple[str, str]:
    """The grain's name, (one period, several), in the language in use."""
    names = {
        QUARTER: (pgettext("period of a trend", "quarter"), pgettext("periods", "quarters")),
        HALF: (pgettext("period of a trend", "half-year"), pgettext("periods", "half-years")),
        YEAR: (pgettext("period of a trend", "year"), pgettext("periods", "years")),
    }
    return names[grain]


# Automatic grain: the finest one with, on average, at least this many clients per period.
MIN_CLIENTS_PER_PERIOD = 20


def format_day(day: dt.date) -> str:
    """26 Nov 2026: the app's one date format, the locale's DATE_FORMAT ("j M Y" for
    en-gb), which templates get with ``|date``."""
    return date_format(day)


@dataclass(frozen=True)
class ReportFilters:
    team_ids: tuple[int, ...]
    team_id: int | None  # the one team chosen, or None for all the user's teams
    team_name: str
    start: dt.date
    end: dt.date
    age_group: str = ""
    route: str = ""
    setting: str = ""
    grain: str = QUARTER  # QUARTER, HALF, YEAR, or AUTO (compute_report applies the rule)

    def client_context(self) -> dict[str, str]:
        fields = {"age_group": self.age_group, "route": self.route, "setting": self.setting}
        return {name: value for name, value in fields.items() if value}

    def describe(self) -> list[tuple[str, str]]:
        """The filters as (label, value) pairs, for headings, the CSV and the audit."""
        any_ = pgettext("any value of a filter", "any")
        period = _("%(start)s to %(end)s") % {
            "start": format_day(self.start),
            "end": format_day(self.end),
        }
        return [
            (_("Team"), self.team_name if self.team_id else _("All my teams")),
            (_("Period"), period),
            (_("Age group"), Client.AgeGroup(self.age_group).label if self.age_group else any_),
            (_("Route"), Client.Route(self.route).label if self.route else any_),
            (_("Setting"), Client.Setting(self.setting).label if self.setting else any_),
        ]


# --- Whole months --------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_count(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


# --- Periods of the trend -------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One quarter, half-year or year of the trend, clipped to the report's period."""

    key: dt.date  # its first day, whole
    start: dt.date  # clipped to the report's period
    end: dt.date
    grain: str = QUARTER

    @property
    def label(self) -> str:
        if self.grain == YEAR:
            return date_format(self.key, "Y")
        if self.grain == HALF:
            return _("%(year)s H%(half)s") % {
                "year": date_format(self.key, "Y"),
                "half": 1 if self.key.month < 7 else 2,
            }
        return _("%(year)s Q%(quarter)s") % {
            "year": date_format(self.key, "Y"),
            "quarter": (self.key.month - 1) // 3 + 1,
        }

    @property
    def partial(self) -> bool:
        return self.start != self.key or self.end != _after(self.key, self.grain) - dt.timedelta(1)


def _after(key: dt.date, grain: str) -> dt.date:
    month = key.month + GRAINS[grain][1]
    return dt.date(key.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def period_key(day: dt.date, grain: str) -> dt.date:
    months = GRAINS[grain][1]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def periods_of(start: dt.date, end: dt.date, grain: str = QUARTER) -> tuple[Period, ...]:
    """The calendar periods of the grain that the report's period touches, clipped to it."""
    key = period_key(start, grain)
    found = []
    while key <= end:
        following = _after(key, grain)
        found.append(Period(key, max(key, start), min(following - dt.timedelta(1), end), grain))
        key = following
    return tuple(found)


def quarters_of(start: dt.date, end: dt.date) -> tuple[Period, ...]:
    return periods_of(start, end, QUARTER)


def choose_grain(clients: int, start: dt.date, end: dt.date) -> str:
    """The finest grain whose periods hold, on average, at least
    MIN_CLIENTS_PER_PERIOD of the clients counted; years when none does.

    ``clients`` is the published (perturbed) count, so that the choice reveals no
    more than the page already shows.
    """
    for grain in (QUARTER, HALF):
        if clients >= MIN_CLIENTS_PER_PERIOD * len(periods_of(start, end, grain)):
            return grain
    return YEAR


def grain_rule() -> str:
    return _(
        "quarters when the period has at least %(n)s clients per quarter on average, else "
        "half-years when it has %(n)s per half-year, else years"
    ) % {"n": MIN_CLIENTS_PER_PERIOD}
