"""Every catalogue change made in the admin asks why and records a version.

``VersionedAdmin`` goes first in a catalogue ModelAdmin's bases. It adds a
required "Why this change" field to the change form and to the actions bar,
gives simple-history the same reason, and records a ``CatalogueVersion``
once the object and its inlines are saved (inside the admin's transaction).
A deletion records a version whose reason names what was deleted.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from factors.models import CatalogueVersion
from factors.versions import SOURCE_LANGUAGE, record_version

REASON_FIELD = "change_reason"
REASON_HELP = _(
    "Say what you changed and why: it is kept with the new catalogue version, and caseworkers "
    "whose completed assessments used the previous version can read it."
)
REASON_MISSING = _("Say why in “Why this change” before running an action: nothing was changed.")


def reason_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Why this change"),
        required=required,
        max_length=1000,
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
    )


class ReasonActionForm(helpers.ActionForm):
    change_reason = reason_field(required=False)


class VersionedAdmin:
    action_form = ReasonActionForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", self.form)
        form = type(f"{base.__name__}WithReason", (base,), {REASON_FIELD: reason_field()})
        return super().get_form(request, obj, change, form=form, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("Why this change"), {"fields": [REASON_FIELD]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data[REASON_FIELD]  # read by simple-history
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_version(user=request.user, reason=form.cleaned_data[REASON_FIELD])

    def delete_model(self, request, obj):
        # A version's reason is a record: written in the source language, as the
        # version's other automatic reasons are.
        with translation.override(SOURCE_LANGUAGE):
            label = f"{obj._meta.verbose_name} “{obj}”"
        super().delete_model(request, obj)
        record_version(user=request.user, reason=f"Deleted {label}.")

    def delete_queryset(self, request, queryset):
        labels = "; ".join(str(obj) for obj in queryset)
        with translation.override(SOURCE_LANGUAGE):
            reason = f"Deleted {self.model._meta.verbose_name_plural}: {labels}."
        super().delete_queryset(request, queryset)
        record_version(user=request.user, reason=reason)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting to a past record saves through save_model only: record the version here.
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                record_version(user=request.user, reason=request.POST.get(REASON_FIELD, ""))
        return response

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            key: (func if key == "delete_selected" else _versioned(func), name, description)
            for key, (func, name, description) in actions.items()
        }


def _versioned(func):
    """An admin action that needs a reason and records a version afterwards."""

    @wraps(func)
    def action(modeladmin, request, queryset):
        reason = request.POST.get(REASON_FIELD, "").strip()
        if not reason:
            modeladmin.message_user(request, REASON_MISSING, messages.ERROR)
            return None
        with transaction.atomic():
            response = func(modeladmin, request, queryset)
            record_version(user=request.user, reason=reason)
        return response

    return action


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    """Versions are a record: read them here, never change them."""

    list_display = ["number", "created_at", "created_by", "reason"]
    list_select_related = ["created_by"]
    search_fields = ["reason"]
    fields = ["number", "created_at", "created_by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
