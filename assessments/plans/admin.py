"""The services directory is kept by catalogue admins, with its history."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessments.plans.models import Service
from exitsupport.history_admin import HistoryAdmin
from factors.models import Action


@admin.register(Service)
class ServiceAdmin(HistoryAdmin):
    list_display = ["name", "languages", "active"]
    list_filter = ["active", "factors"]
    search_fields = ["name", "offers", "eligibility"]
    fieldsets = [
        (None, {"fields": ["name", "offers", "active"]}),
        (_("Who it is for"), {"fields": ["eligibility", "languages", "contact"]}),
        (
            _("Factors it addresses"),
            {
                "fields": ["factors"],
                "description": _(
                    "Only factors to act on (build or limit) can be chosen; "
                    "context and caution factors are never targets."
                ),
            },
        ),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "factors":
            from factors.models import Factor

            kwargs["queryset"] = Factor.objects.active().filter(action=Action.ACTIONABLE)
            # Checkboxes rather than the admin's two-box filter: that widget's
            # script adds ARIA that axe refuses and a list that cannot reflow at 320 px.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)
