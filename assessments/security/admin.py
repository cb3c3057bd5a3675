"""django-otp's admin for TOTP devices, in the reader's language: django-otp
ships no translation of its models' field names and help texts, nor of its
admin's section titles, so they are given here (the same words, marked).

The model's own name ("TOTP device") cannot be changed from here without a
migration in django-otp's app: the pseudo-locale test allows it."""

from __future__ import annotations

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

FIELDS = {
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("name"), _("The human-readable name of this device.")),
    "confirmed": (_("confirmed"), _("Is this device ready for use?")),
    "key": (_("key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("step"), _("The time step in seconds.")),
    "t0": (_("t0"), _("The Unix time at which to begin counting steps.")),
    "digits": (_("digits"), _("The number of digits to expect in a token.")),
    "tolerance": (
        _("tolerance"),
        _("The number of time steps in the past or future to allow."),
    ),
    "drift": (
        _("drift"),
        _("The number of time steps the prover is known to deviate from our clock."),
    ),
    "throttling_failure_timestamp": (
        _("throttling failure timestamp"),
        _("A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    ),
    "throttling_failure_count": (
        _("throttling failure count"),
        _("Number of successive failed attempts."),
    ),
}

SECTIONS = {
    "Identity": pgettext_lazy("two-factor device", "Identity"),
    "Timestamps": pgettext_lazy("two-factor device", "Timestamps"),
    "Configuration": pgettext_lazy("two-factor device", "Configuration"),
    "State": pgettext_lazy("two-factor device", "State"),
    "Throttling": pgettext_lazy("two-factor device", "Throttling"),
}


def _titled(title, base):
    class Titled(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class TranslatedTOTPDeviceAdmin(TOTPDeviceAdmin):
    list_display = ["device_user", "device_name", "created", "last_used", "is_confirmed"]
    list_filter = [
        ("created_at", _titled(_("created at"), admin.DateFieldListFilter)),
        ("last_used_at", _titled(_("last used at"), admin.DateFieldListFilter)),
        ("confirmed", _titled(_("confirmed"), admin.BooleanFieldListFilter)),
    ]
    search_help_text = _("Search by the user's username or email address")
    readonly_fields = ["created", "last_used", "qrcode_link"]

    @admin.display(description=_("user"), ordering="user")
    def device_user(self, device):
        return device.user

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed

    def get_fieldsets(self, request, obj=None):
        renamed = {"created_at": "created", "last_used_at": "last_used"}
        return [
            (
                SECTIONS.get(title, title),
                {**options, "fields": [renamed.get(f, f) for f in options["fields"]]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in FIELDS:
            label, formfield.help_text = FIELDS[db_field.name]
            formfield.label = capfirst(label)
        return formfield


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TranslatedTOTPDeviceAdmin)
