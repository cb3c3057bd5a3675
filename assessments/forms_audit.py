"""The audit page's filters, read from the query string."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import AuditEvent


class AuditFilterForm(forms.Form):
    user = forms.CharField(
        label=_("User name"),
        required=False,
        max_length=150,
        validators=[
            RegexValidator(r"^[\w.@+-]+$", _("A user name has letters, digits and @.+-_ only."))
        ],
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditEvent.Action.choices],
    )
    date_from = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("The end date must be on or after the start date."))
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day and not dt.date(2000, 1, 1) <= day <= dt.date(9998, 12, 31):
                self.add_error(name, gettext("Enter a date between 2000 and 9998."))
        return cleaned

    def filter(self, events):
        """``events`` narrowed by the valid filters."""
        data = self.cleaned_data
        if data.get("user"):
            events = events.filter(username=data["user"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("date_from"):
            events = events.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(at__date__lte=data["date_to"])
        return events
