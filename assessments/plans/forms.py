"""Forms of the support plan. Each form that changes a plan carries the plan's
version, so a change made meanwhile by someone else is refused, not lost."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from assessments.forms import FREE_TEXT_WARNING
from assessments.plans.models import Case, FocusFactor, Plan, PlanAction, Referral, Service
from assessments.plans.services import CARRY, DONE, DROP, Candidate

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def too_many(n: int) -> str:
    return ngettext(
        "Choose at most %(n)s focus factor: a few at a time, not everything at once.",
        "Choose at most %(n)s focus factors: a few at a time, not everything at once.",
        n,
    ) % {"n": n}


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=settings.MAX_NOTE_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def offered(current_id: int | None):
    """Active services, and the one already chosen even if it has closed since."""
    return Service.objects.filter(Q(active=True) | Q(pk=current_id))


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NextReviewMixin:
    """The next review comes after the assessment the plan starts from."""

    assessment_date = None

    def clean_next_review_on(self):
        day = self.cleaned_data["next_review_on"]
        if day and self.assessment_date and day <= self.assessment_date:
            raise forms.ValidationError(
                _("The next review comes after the assessment (%(date)s).")
                % {"date": date_format(self.assessment_date)}
            )
        return day


class StartPlanForm(NextReviewMixin, forms.Form):
    """Start the plan of an assessment: review each open action of the last plan."""

    OUTCOMES = [
        (CARRY, _("Carry it forward")),
        (DONE, _("Done")),
        (DROP, _("Dropped")),
    ]

    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)

    def __init__(self, *args, open_actions=(), assessment_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment_date = assessment_date
        self.open_actions = list(open_actions)
        for action in self.open_actions:
            self.fields[f"outcome_{action.pk}"] = forms.ChoiceField(
                label=_("What happened"),
                choices=self.OUTCOMES,
                initial=CARRY,
                widget=forms.RadioSelect,
            )
            self.fields[f"helped_{action.pk}"] = forms.ChoiceField(
                label=_("Did it help?"),
                choices=[("", "—"), *PlanAction.Helped.choices],
                required=False,
            )
            self.fields[f"reason_{action.pk}"] = forms.CharField(
                label=_("If dropped, why"), max_length=300, required=False
            )

    def rows(self):
        """Each open action with its three answers, for the template."""
        for a in self.open_actions:
            yield a, self[f"outcome_{a.pk}"], self[f"helped_{a.pk}"], self[f"reason_{a.pk}"]

    def clean(self):
        data = super().clean()
        for action in self.open_actions:
            if data.get(f"outcome_{action.pk}") == DROP and not data.get(f"reason_{action.pk}"):
                self.add_error(f"reason_{action.pk}", _("Say why the action was dropped."))
        return data

    def reviews(self) -> dict[int, tuple[str, str, str]]:
        d = self.cleaned_data
        return {
            a.pk: (d[f"outcome_{a.pk}"], d[f"helped_{a.pk}"], d[f"reason_{a.pk}"].strip())
            for a in self.open_actions
        }


class FocusForm(NextReviewMixin, VersionedForm):
    """Choose the focus factors among the candidates, with the client's view of each."""

    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)

    def __init__(self, *args, candidates: list[Candidate], assessment_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment_date = assessment_date
        self.candidates = candidates
        self.limit = settings.PLAN_MAX_FOCUS_FACTORS
        for c in candidates:
            key = c.factor_id
            self.fields[f"chosen_{key}"] = forms.BooleanField(
                label=_("Focus on this now (%(factor)s)") % {"factor": c.finding.factor_label},
                required=False,
            )
            self.fields[f"words_{key}"] = forms.CharField(
                label=_("In everyday words"), max_length=200, required=False
            )
            self.fields[f"view_{key}"] = forms.ChoiceField(
                label=_("The client's view"),
                choices=FocusFactor.View.choices,
                initial=FocusFactor.View.NOT_DISCUSSED,
                required=False,
            )
            self.fields[f"client_words_{key}"] = _text(
                _("In the client's own words"), help_text=FREE_TEXT_WARNING
            )

    def rows(self):
        """The candidates with their bound fields, for the template."""
        for c in self.candidates:
            k = c.factor_id
            yield (
                c,
                self[f"chosen_{k}"],
                self[f"words_{k}"],
                self[f"view_{k}"],
                self[f"client_words_{k}"],
            )

    def clean(self):
        data = super().clean()
        chosen = [c for c in self.candidates if data.get(f"chosen_{c.factor_id}")]
        if len(chosen) > self.limit:
            raise forms.ValidationError(too_many(self.limit))
        for c in chosen:
            if not (data.get(f"words_{c.factor_id}") or "").strip():
                self.add_error(
                    f"words_{c.factor_id}", _("Name it in everyday words for the client's copy.")
                )
        return data

    def chosen(self) -> dict[int, dict]:
        d = self.cleaned_data
        return {
            c.factor_id: {
                "everyday_words": d[f"words_{c.factor_id}"].strip(),
                "client_view": d[f"view_{c.factor_id}"] or FocusFactor.View.NOT_DISCUSSED,
                "client_words": d[f"client_words_{c.factor_id}"].strip(),
            }
            for c in self.candidates
            if d.get(f"chosen_{c.factor_id}")
        }

    @staticmethod
    def initial_for(plan: Plan, candidates: list[Candidate]) -> dict:
        initial = {"version": plan.version, "next_review_on": plan.next_review_on}
        existing = {f.factor_id: f for f in plan.focus_factors.all()}
        for c in candidates:
            focus = existing.get(c.factor_id)
            k = c.factor_id
            if focus is None:
                initial[f"words_{k}"] = c.finding.factor_label
                continue
            initial.update({
                f"chosen_{k}": True,
                f"words_{k}": focus.everyday_words,
                f"view_{k}": focus.client_view,
                f"client_words_{k}": focus.client_words,
            })  # fmt: skip
        return initial


class ActionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = PlanAction
        fields = ["focus", "what", "who", "service", "due_on", "status", "dropped_reason"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].queryset = plan.focus_factors.all()
        self.fields["focus"].label = _("Focus factor")
        self.fields["focus"].empty_label = None
        self.fields["service"].queryset = offered(self.instance.service_id)
        self.fields["service"].required = False
        self.helper = _helper(_("Save the action"))

    def clean(self):
        data = super().clean()
        if data.get("status") == PlanAction.Status.DROPPED and not data.get("dropped_reason"):
            self.add_error("dropped_reason", _("Say why the action was dropped."))
        if data.get("who") == PlanAction.Who.SERVICE and not data.get("service"):
            self.add_error("service", _("Choose the partner service."))
        return data


class ReferralForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Referral
        fields = ["service", "focus", "sent_on", "status", "outcome"]
        widgets = {"sent_on": DATE, "outcome": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"outcome": FREE_TEXT_WARNING}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = offered(self.instance.service_id)
        self.fields["focus"].queryset = plan.focus_factors.all()
        self.fields["focus"].label = _("For the focus factor")
        self.fields["focus"].required = False
        self.fields["outcome"].max_length = settings.MAX_NOTE_LENGTH
        if not self.initial.get("sent_on"):
            self.initial["sent_on"] = timezone.localdate()
        self.helper = _helper(_("Save the referral"))


class AgreementForm(VersionedForm):
    agreed_on = forms.DateField(label=_("The client agreed on"), widget=DATE)
    agreed_how = forms.CharField(
        label=_("How the client agreed"),
        max_length=200,
        help_text=_("For example: signed their copy; agreed verbally, with an interpreter."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the client's agreement"))

    def clean_agreed_on(self):
        day = self.cleaned_data["agreed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of agreement cannot be in the future."))
        return day


class CloseCaseForm(VersionedForm):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)
    reason = forms.ChoiceField(
        label=pgettext_lazy("why a case was closed", "Reason"), choices=Case.Reason.choices
    )
    reason_detail = forms.CharField(
        label=_("Anything to add"), max_length=300, required=False, help_text=FREE_TEXT_WARNING
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Close the case"))

    def clean_closed_on(self):
        day = self.cleaned_data["closed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A case cannot be closed in the future."))
        return day
