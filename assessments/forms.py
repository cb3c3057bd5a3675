from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, LayoutObject, Submit
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils.html import format_html

from assessments.models import Assessment, Client, Finding, Stage, Team
from assessments.roles import CASEWORKERS
from factors.models import Factor, Level

FREE_TEXT_WARNING = (
    "Do not enter names, addresses, phone numbers or other details that could identify the "
    "person or anyone close to them."
)
COMPLETE_MISSING = (
    "Answer this factor before completing the assessment (choose “Not assessed” if it was not "
    "discussed)."
)


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
        ]
        widgets = {
            "data_consent_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "stats_consent_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        help_texts = {
            "nationality": "A country or region, if it helps to match evidence. "
            + FREE_TEXT_WARNING,
            "stats_consent_on": "Leave empty if the person has not agreed to be counted in "
            "anonymised statistics.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
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
                "Record",
                *(name for name in ("reference", "team", "caseworker") if name in self.fields),
            ),
            Fieldset(
                "Context (optional, used to match evidence)",
                Div(
                    Div("age_group", css_class="col-md-6"),
                    Div("route", css_class="col-md-6"),
                    Div("setting", css_class="col-md-6"),
                    Div("nationality", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "Consent",
                Div(
                    Div("data_consent_on", css_class="col-md-6"),
                    Div("data_consent_method", css_class="col-md-6"),
                    Div("stats_consent_on", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Submit("save", "Save client"),
        )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip()

    def clean(self):
        cleaned = super().clean()
        team = cleaned.get("team") or (self.instance.team if self.instance.pk else None)
        caseworker = cleaned.get("caseworker")
        if team and caseworker and not team.members.filter(pk=caseworker.pk).exists():
            self.add_error("caseworker", "Choose a member of the client's team.")
        reference = cleaned.get("reference")
        if self.instance.pk and reference:
            # The team is not a field here, so Django cannot check the constraint.
            taken = Client.objects.filter(team=team, reference=reference).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("reference", "A client of this team already has this reference.")
        return cleaned


class ReassignForm(forms.Form):
    caseworker = forms.ModelChoiceField(queryset=get_user_model().objects.none())

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = (
            client.team.members.filter(is_active=True)
            .filter(groups__name=CASEWORKERS)
            .order_by("username")
        )
        self.fields["caseworker"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Reassign"))


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label="Type the client's reference to confirm",
        max_length=40,
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.helper = FormHelper()
        self.helper.add_input(Submit("erase", "Erase this record", css_class="btn-danger"))

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.client.reference:
            raise forms.ValidationError("The reference does not match; nothing was erased.")
        return value


class SearchForm(forms.Form):
    q = forms.CharField(label="Reference", max_length=40, required=False)


class FactorRow(LayoutObject):
    """One factor of the assessment form: its three answers and a note.

    A purpose-made template that writes the inputs itself, instead of crispy's
    field templates and Django's per-input widget templates: the form has a
    row per factor, and rendering ~125 inputs through those made it the
    slowest page of the app (109 ms against 32 ms now, in process).
    """

    template = "assessments/includes/factor_row.html"

    def __init__(self, factor: Factor, finding_name: str, note_name: str):
        self.factor, self.finding_name, self.note_name = factor, finding_name, note_name
        self.fields = [finding_name, note_name]

    def render(self, form, context, template_pack=None, **kwargs) -> str:
        return render_to_string(
            self.template,
            {
                "factor": self.factor,
                "choice": form[self.finding_name],
                "choices": Finding.Status.choices,
                "note": form[self.note_name],
                "max_note": settings.MAX_NOTE_LENGTH,
            },
        )


class AssessmentForm(forms.Form):
    """One form for the whole assessment: a finding and a note per factor,
    grouped by level. A draft may leave factors unanswered; completing needs
    every factor answered."""

    date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    stage = forms.ChoiceField(
        label="Stage of change",
        choices=[("", "Not recorded"), *Stage.choices],
        required=False,
        help_text="Stages of Change model (Prochaska, DiClemente & Norcross, 1992).",
    )
    notes = note_field("Overall notes", rows=4)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, factors: list[Factor], completing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = factors
        self.completing = completing
        self.fields["notes"].help_text = FREE_TEXT_WARNING
        by_level: dict[str, list] = {level: [] for level in Level.values}
        for factor in factors:
            name = self.finding_name(factor)
            self.fields[name] = forms.ChoiceField(
                label=factor.label,
                choices=Finding.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=factor.description,
            )
            self.fields[self.note_name(factor)] = note_field(f"Note on “{factor.label}”", rows=1)
            by_level[factor.level].append(FactorRow(factor, name, self.note_name(factor)))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("date", css_class="col-md-4"),
                Div("stage", css_class="col-md-8"),
                css_class="row",
            ),
            *(
                Fieldset(f"{Level(level).label} level", *rows, css_class="level-group")
                for level, rows in by_level.items()
                if rows
            ),
            "notes",
            "version",
            Div(
                Submit("draft", "Save draft", css_class="btn-outline-primary me-2"),
                Submit("complete", "Complete assessment"),
                css_class="mt-3",
            ),
        )

    @staticmethod
    def finding_name(factor: Factor) -> str:
        return f"finding_{factor.pk}"

    @staticmethod
    def note_name(factor: Factor) -> str:
        return f"note_{factor.pk}"

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

    def clean(self):
        cleaned = super().clean()
        if self.completing:
            for factor in self.factors:
                name = self.finding_name(factor)
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, COMPLETE_MISSING)
        return cleaned

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            factor.pk: (
                self.cleaned_data.get(self.finding_name(factor)) or "",
                self.cleaned_data.get(self.note_name(factor)) or "",
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
