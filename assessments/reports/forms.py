"""The filters of the supervisor report. They hold no client data, so they travel
in the query string and a report can be bookmarked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from assessments.models import Client, Team
from assessments.reports.periods import (
    AUTO,
    HALF,
    QUARTER,
    YEAR,
    ReportFilters,
    month_end,
    month_start,
    months_back,
)

MAX_YEARS = 3  # at most 13 calendar quarters: the trend query stays small
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
ANY = [("", pgettext_lazy("any value of a filter", "Any"))]
GRAIN_CHOICES = [
    (AUTO, gettext_lazy("Automatic")),
    (QUARTER, gettext_lazy("Quarters")),
    (HALF, gettext_lazy("Half-years")),
    (YEAR, gettext_lazy("Years")),
]


def default_period(today: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    """The last ``months`` whole calendar months, the current one included."""
    return months_back(today, months - 1), month_end(today)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class ReportFilterForm(forms.Form):
    team = forms.TypedChoiceField(
        label=gettext_lazy("Team"), coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(
        label=pgettext_lazy("start of a period", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("end of a period", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    age_group = forms.ChoiceField(
        label=gettext_lazy("Age group"), choices=ANY + Client.AgeGroup.choices
    )
    route = forms.ChoiceField(label=gettext_lazy("Route"), choices=ANY + Client.Route.choices)
    setting = forms.ChoiceField(label=gettext_lazy("Setting"), choices=ANY + Client.Setting.choices)
    grain = forms.ChoiceField(label=gettext_lazy("Trend by"), choices=GRAIN_CHOICES, required=False)

    def __init__(self, data, *, teams: Sequence[Team], today: dt.date):
        start, end = default_period(today)
        # An empty or missing date means the default period, so that clearing a
        # field or opening /reports/ bare both show the last twelve months.
        data = data.copy()
        self.default_period = not data.get("start") and not data.get("end")
        for name, default in (("start", start), ("end", end)):
            if not data.get(name):
                data[name] = default.isoformat()
        super().__init__(data)
        self.teams = {team.pk: team for team in teams}
        self.fields["team"].choices = [("", _("All my teams"))] + [(t.pk, t.name) for t in teams]
        for name in ("age_group", "route", "setting"):
            self.fields[name].required = False
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_id = "report-filters"
        self.helper.layout = Layout(
            Div(
                *(
                    Div(name, css_class="col-sm-6 col-lg-2")
                    for name in ("team", "start", "end", "age_group", "route", "setting", "grain")
                ),
                css_class="row",
            ),
            Submit("show", _("Show report")),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {"first": EARLIEST.year, "last": LATEST.year},
                )
                return cleaned
        if start and end:
            # Whole calendar months: fewer distinct periods to compare, and a period
            # shifted by a day gives the same report.
            self.snapped = (start, end) != (month_start(start), month_end(end))
            start, end = cleaned["start"], cleaned["end"] = month_start(start), month_end(end)
            if start > end:
                self.add_error("end", _("The period must end on or after its first day."))
            elif start <= years_before(end, MAX_YEARS):
                self.add_error(
                    "start",
                    ngettext(
                        "Choose a period of at most %(n)s year.",
                        "Choose a period of at most %(n)s years.",
                        MAX_YEARS,
                    )
                    % {"n": MAX_YEARS},
                )
        return cleaned

    snapped = False

    def filters(self) -> ReportFilters:
        """The valid filters, for ``assessments.reports.compute``."""
        data = self.cleaned_data
        team = self.teams.get(data["team"]) if data["team"] is not None else None
        return ReportFilters(
            team_ids=(team.pk,) if team else tuple(self.teams),
            team_id=team.pk if team else None,
            team_name=team.name if team else _("All my teams"),
            start=data["start"],
            end=data["end"],
            age_group=data["age_group"],
            route=data["route"],
            setting=data["setting"],
            grain=data["grain"] or AUTO,
        )
