from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop, pgettext
from django.utils.translation import gettext_lazy as _

from assessments.identifiers import describe, identifying_details, reference_pattern
from assessments.models import Assessment, Client, Finding, Stage, Team
from assessments.rendering.form_rows import RowWords, render_row
from assessments.roles import CASEWORKERS
from factors.models import Factor, Level

# Shown in several forms (plans too), so translated when it is shown.
FREE_TEXT_WARNING = _(
    "Do not enter names, addresses, phone numbers or other details that could identify the "
    "person or anyone close to them."
)
# Messages raised per request: marked here, translated where they are used
# (``gettext(COMPLETE_MISSING)``), so that the constants stay plain strings.
COMPLETE_MISSING = gettext_noop(
    "Answer this factor before completing the assessment (choose “Not assessed” if it was not "
    "discussed)."
)
CARRIED_UNCONFIRMED = gettext_noop(
    "Carried over from the last assessment: tick “Still right: confirmed”, or change the answer."
)
DATE_IN_FUTURE = gettext_noop("The date cannot be in the future.")
DATE_BEFORE_CONSENT = gettext_noop(
    "The date cannot be before the person agreed to have their data recorded (%(consent)s)."
)
CONSENT_IN_FUTURE = gettext_noop("Consent cannot be dated in the future.")
IDENTIFYING_FOUND = gettext_noop(
    "This seems to hold %(kinds)s. Remove it, or tick “I have checked these notes” below the "
    "form to save it as it is."
)
REFERENCE_REFUSED = gettext_noop(
    "Use a code like %(example)s: a short prefix of capital letters, a dash and a number. "
    "Never a name, initials, a phone number or an e-mail address."
)


def format_date(day) -> str:
    """A date in the words of the active language (en-gb: 3 Mar 2025)."""
    return date_format(day, "DATE_FORMAT")


def note_field(label: str, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=settings.MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "reference",
            "team",
            "caseworker",
            "age_group",
            "route",
            "setting",
            "nationality",
            "data_consent_on",
            "data_consent_method",
            "stats_consent_on",
            "language",
        ]
        widgets = {
            "data_consent_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "stats_consent_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        # The fields whose model field has no verbose name of its own (so
        # that translating them needs no migration).
        labels = {
            "reference": _("Reference"),
            "team": _("Team"),
            "caseworker": _("Caseworker"),
            "age_group": _("Age group"),
            "route": _("Route"),
        }
        help_texts = {
            "nationality": format_lazy(
                "{} {}", _("A country or region, if it helps to match evidence."), FREE_TEXT_WARNING
            ),
            "stats_consent_on": _(
                "Leave empty if the person has not agreed to be counted in anonymised statistics."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = gettext(
            "A code like %(example)s, unique in the organisation: a short prefix of capital "
            "letters, a dash and a number. Never a name, initials, a phone number or an e-mail "
            "address."
        ) % {"example": settings.CLIENT_REFERENCE_EXAMPLE}
        teams = Team.objects.all() if user.is_superuser else Team.objects.filter(members=user)
        self.fields["team"].queryset = teams
        if self.instance.pk:
            # The team is fixed once the record exists; moving a record between
            # teams is not something a caseworker's form should do.
            del self.fields["team"]
            members = self.instance.team.members.all()
            if not user.has_perm("assessments.reassign_client"):
                # Reassigning is a supervisor's decision (client_reassign).
                del self.fields["caseworker"]
        else:
            members = get_user_model().objects.filter(teams__in=teams).distinct()
            if teams.count() == 1:
                self.fields["team"].initial = teams.first()
            self.fields["caseworker"].initial = user.pk
        if "caseworker" in self.fields:
            caseworker = self.fields["caseworker"]
            caseworker.queryset = members.filter(is_active=True).order_by("username")
            caseworker.label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML(
                format_html(
                    '<div class="alert alert-warning" role="note">{}</div>', FREE_TEXT_WARNING
                )
            ),
            Fieldset(
                pgettext("client form section: the client's record", "Record"),
                *(name for name in ("reference", "team", "caseworker") if name in self.fields),
            ),
            Fieldset(
                gettext("Context (optional, used to match evidence)"),
                Div(
                    Div("age_group", css_class="col-md-6"),
                    Div("route", css_class="col-md-6"),
                    Div("setting", css_class="col-md-6"),
                    Div("nationality", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                gettext("Consent"),
                Div(
                    Div("data_consent_on", css_class="col-md-6"),
                    Div("data_consent_method", css_class="col-md-6"),
                    Div("stats_consent_on", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Submit("save", gettext("Save client")),
        )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        unchanged = self.instance.pk and reference == self.instance.reference
        if not unchanged and not reference_pattern().fullmatch(reference):
            raise forms.ValidationError(
                gettext(REFERENCE_REFUSED) % {"example": settings.CLIENT_REFERENCE_EXAMPLE}
            )
        return reference

    def clean_data_consent_on(self):
        return self._not_in_future("data_consent_on")

    def clean_stats_consent_on(self):
        return self._not_in_future("stats_consent_on")

    def _not_in_future(self, name: str):
        day = self.cleaned_data[name]
        if day and day > timezone.localdate():
            raise forms.ValidationError(gettext(CONSENT_IN_FUTURE))
        return day

    def clean(self):
        cleaned = super().clean()
        team = cleaned.get("team") or (self.instance.team if self.instance.pk else None)
        caseworker = cleaned.get("caseworker")
        if team and caseworker and not team.members.filter(pk=caseworker.pk).exists():
            self.add_error("caseworker", gettext("Choose a member of the client's team."))
        consent = cleaned.get("data_consent_on")
        if consent and self.instance.pk:
            first = self.instance.assessments.order_by("date").values_list("date", flat=True)
            if first and first[0] < consent:
                self.add_error(
                    "data_consent_on",
                    gettext("An assessment is dated %(date)s: consent cannot be later than that.")
                    % {"date": format_date(first[0])},
                )
        reference = cleaned.get("reference")
        if self.instance.pk and reference:
            # The team is not a field here, so Django cannot check the constraint.
            taken = Client.objects.filter(team=team, reference=reference).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error(
                    "reference", gettext("A client of this team already has this reference.")
                )
        return cleaned


class ReassignForm(forms.Form):
    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = (
            client.team.members.filter(is_active=True)
            .filter(groups__name=CASEWORKERS)
            .order_by("username")
        )
        self.fields["caseworker"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", gettext("Reassign")))


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type the client's reference to confirm"),
        max_length=40,
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.helper = FormHelper()
        self.helper.add_input(Submit("erase", gettext("Erase this record"), css_class="btn-danger"))

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.client.reference:
            raise forms.ValidationError(
                gettext("The reference does not match; nothing was erased.")
            )
        return value


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Reference"), max_length=40, required=False)


@dataclass
class FactorRow:
    """One factor of the assessment form: its three answers, a note and, for
    an answer carried over from the last assessment, the box that confirms it."""

    factor: Factor
    choice: forms.BoundField
    note: forms.BoundField
    confirm: forms.BoundField | None
    carried: Finding | None
    words: RowWords

    @property
    def answered(self) -> bool:
        return bool(self.choice.value())

    @cached_property
    def error(self) -> str:
        errors = self.choice.errors
        return errors[0] if errors else ""

    @cached_property
    def note_error(self) -> str:
        errors = self.note.errors
        return errors[0] if errors else ""

    @cached_property
    def html(self) -> SafeString:
        """The row's markup (``assessments/rendering/form_rows.py``)."""
        return render_row(self, self.words)


def _copy_of(field: forms.Field, **attributes) -> forms.Field:
    """A copy of ``field`` with its own ``attributes`` (label, help text).

    The copies share the field's widget, choices and validators, which
    nothing changes per field (the rows are written by ``form_rows``; the
    translations set labels and help texts only). Building 32 choice fields
    a form (their choices normalised and their widget copied each time) cost
    1.2 ms of every view and save of the form; copying one costs 0.06 ms."""
    copied = copy.copy(field)
    copied.__dict__.update(attributes)
    return copied


class AssessmentForm(forms.Form):
    """One form for the whole assessment: a finding and a note per factor,
    grouped by level. A draft may leave factors unanswered; completing needs
    every factor answered and every answer carried over from the last
    assessment confirmed or changed. Notes that seem to hold a phone number,
    an e-mail or a street address need an explicit confirmation."""

    date = forms.DateField(
        label=_("Date of the assessment"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    stage = forms.ChoiceField(
        label=_("Stage of change"),
        choices=[("", _("Not recorded")), *Stage.choices],
        required=False,
        help_text=_("Stages of Change model (Prochaska, DiClemente & Norcross, 1992)."),
    )
    notes = note_field(_("Overall notes"), rows=4)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm_identifying = forms.BooleanField(
        label=_(
            "I have checked these notes: the details flagged are needed and do not identify "
            "the person or anyone close to them"
        ),
        required=False,
    )

    def __init__(
        self,
        *args,
        factors: list[Factor],
        client: Client,
        completing: bool = False,
        carried: dict[int, Finding] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.factors = factors
        self.client = client
        self.completing = completing
        self.carried = carried or {}
        self.identifying_found = False
        self.fields["notes"].help_text = FREE_TEXT_WARNING
        # Each factor's fields are copies of one field of each kind, with the
        # factor's own label and help text (see ``_copy_of``).
        finding = forms.ChoiceField(
            choices=Finding.Status.choices, widget=forms.RadioSelect, required=False
        )
        note = note_field("", rows=1)
        confirm = forms.BooleanField(label=gettext("Still right: confirmed"), required=False)
        for factor in factors:
            self.fields[self.finding_name(factor)] = _copy_of(
                finding, label=factor.label, help_text=factor.description
            )
            self.fields[self.note_name(factor)] = _copy_of(
                note, label=gettext("Note on “%(factor)s”") % {"factor": factor.label}
            )
            if factor.pk in self.carried:
                self.fields[self.confirm_name(factor)] = _copy_of(confirm)

    @staticmethod
    def finding_name(factor: Factor) -> str:
        return f"finding_{factor.pk}"

    @staticmethod
    def note_name(factor: Factor) -> str:
        return f"note_{factor.pk}"

    @staticmethod
    def confirm_name(factor: Factor) -> str:
        return f"confirm_{factor.pk}"

    @classmethod
    def initial_for(cls, assessment: Assessment, findings: dict[int, Finding]) -> dict:
        initial = {
            "date": assessment.date,
            "stage": assessment.stage,
            "notes": assessment.notes,
            "version": assessment.version,
        }
        for factor_id, finding in findings.items():
            initial[f"finding_{factor_id}"] = finding.status
            initial[f"note_{factor_id}"] = finding.note
        return initial

    # --- what the template shows ------------------------------------------
    def shown_date(self) -> str | None:
        """The date as its input shows it: the date, or what was typed (None: empty)."""
        field = self["date"]
        return field.field.widget.format_value(field.value())

    def rows(self) -> list[FactorRow]:
        """The rows, made once per form (the page asks for them three times)."""
        if getattr(self, "_rows", None) is None:
            self._rows = self._make_rows()
        return self._rows

    def _make_rows(self) -> list[FactorRow]:
        words = RowWords.translated()
        return [
            FactorRow(
                factor=factor,
                choice=self[self.finding_name(factor)],
                note=self[self.note_name(factor)],
                confirm=self[self.confirm_name(factor)] if factor.pk in self.carried else None,
                carried=self.carried.get(factor.pk),
                words=words,
            )
            for factor in self.factors
        ]

    def levels(self) -> list[tuple[str, str, list[FactorRow]]]:
        """(level, label, rows) for each level that has factors, in catalogue order."""
        by_level: dict[str, list[FactorRow]] = {level: [] for level in Level.values}
        for row in self.rows():
            by_level[row.factor.level].append(row)
        return [(level, Level(level).label, rows) for level, rows in by_level.items() if rows]

    def answered_count(self) -> int:
        return sum(row.answered for row in self.rows())

    def unanswered_count(self) -> int:
        return len(self.factors) - self.answered_count()

    def unconfirmed_count(self) -> int:
        """Carried-over answers that completing found neither confirmed nor changed."""
        message = gettext(CARRIED_UNCONFIRMED)
        return sum(
            message in self.errors.get(self.finding_name(factor), []) for factor in self.factors
        )

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for every problem, in the order of the page."""
        problems = [
            (
                "#id_" + name,
                gettext("%(field)s: %(error)s")
                % {"field": self.fields[name].label, "error": errors[0]},
            )
            for name, errors in self.errors.items()
            if name != "__all__" and name in self.fields
        ]
        order = {name: index for index, name in enumerate(self.fields)}
        problems.sort(key=lambda p: order.get(p[0][4:], 0))
        return [
            (anchor + ("_0" if anchor.startswith("#id_finding_") else ""), message)
            for anchor, message in problems
        ]

    # --- validation ---------------------------------------------------------
    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext(DATE_IN_FUTURE))
        if day < self.client.data_consent_on:
            raise forms.ValidationError(
                gettext(DATE_BEFORE_CONSENT) % {"consent": format_date(self.client.data_consent_on)}
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if self.completing:
            for factor in self.factors:
                name = self.finding_name(factor)
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, gettext(COMPLETE_MISSING))
                elif factor.pk in self.carried and self.is_still_carried(factor, cleaned):
                    self.add_error(name, gettext(CARRIED_UNCONFIRMED))
        self.check_identifying(cleaned)
        return cleaned

    def check_identifying(self, cleaned: dict) -> None:
        names = ["notes", *(self.note_name(f) for f in self.factors)]
        for name in names:
            kinds = identifying_details(cleaned.get(name) or "")
            if kinds:
                self.identifying_found = True
                if not cleaned.get("confirm_identifying"):
                    self.add_error(name, gettext(IDENTIFYING_FOUND) % {"kinds": describe(kinds)})

    def is_still_carried(self, factor: Factor, cleaned: dict) -> bool:
        """A carried-over answer stays marked until it is confirmed or changed."""
        carried = self.carried.get(factor.pk)
        if carried is None or cleaned.get(self.confirm_name(factor)):
            return False
        status = cleaned.get(self.finding_name(factor)) or ""
        note = cleaned.get(self.note_name(factor)) or ""
        return (status, note) == (carried.status, carried.note)

    def answers(self) -> dict[int, tuple[str, str, bool]]:
        return {
            factor.pk: (
                self.cleaned_data.get(self.finding_name(factor)) or "",
                self.cleaned_data.get(self.note_name(factor)) or "",
                self.is_still_carried(factor, self.cleaned_data),
            )
            for factor in self.factors
        }


class BoundedUsernameMixin:
    """Refuse an over-long username before anyone tries to authenticate it.

    Django's AuthenticationForm sets the username's max_length after building
    the field, so the length is never validated; an oversize name then reaches
    django-axes, whose attempt log column is 255 characters (a 500 on
    PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    pass


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this assessment need correcting?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text=format_lazy(
            "{} {}", _("Up to 500 characters, kept with the assessment."), FREE_TEXT_WARNING
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(gettext("Give a reason."))
        kinds = identifying_details(reason)
        if kinds:
            raise forms.ValidationError(
                gettext("This seems to hold %(kinds)s: a reason needs no identifying details.")
                % {"kinds": describe(kinds)}
            )
        return reason
