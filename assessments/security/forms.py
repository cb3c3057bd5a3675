from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessments.security.enrolment import ALPHABET, recipients_for


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolmentCodeForm(forms.Form):
    """The code a supervisor or the security officer gave the person."""

    code = forms.RegexField(
        label=_("Enrolment code from your supervisor"),
        regex=rf"^[{ALPHABET}{ALPHABET.lower()}\s-]{{12,20}}$",
        error_messages={"invalid": _("Enter the 12-character code, e.g. ABCD-EFGH-JKMN.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class IssueCodeForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=get_user_model().objects.none(), empty_label=_("Choose…")
    )

    def __init__(self, *args, issuer, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = recipients_for(issuer)
        field.label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.username})" if u.get_full_name() else u.username
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("issue", _("Issue a code")))
