"""Catalogue editing for non-technical admins.

The review's own entries keep their verbatim sentences: on a review evidence
row the quote, study and direction cannot be edited, nor can a review factor's
Discussion sentence. The practice guidance is ours: saving a changed guidance
records who changed it and when. Anything an admin adds is
recorded as added locally. A factor that any assessment uses can be retired
but not deleted.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, URLField
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exitsupport.history_admin import HistoryAdmin
from factors.admin_versions import VersionedAdmin
from factors.models import Evidence, Factor, Review, Source, Study, TheoreticalModel

LOCKED_REVIEW_FIELDS = ("study", "quote", "direction")


class EvidenceInlineForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["study", "direction", "quote", "position"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.source == Source.REVIEW:
            for name in LOCKED_REVIEW_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("From the review: kept verbatim.")


class EvidenceInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields and form.instance.pk and form.instance.source == Source.REVIEW:
            # Refused below, so not offered: no box, no label.
            delete = form.fields["DELETE"]
            delete.disabled, delete.widget, delete.label = True, forms.HiddenInput(), ""

    def clean(self):
        super().clean()
        if any(form.instance.source == Source.REVIEW for form in self.deleted_forms):
            raise forms.ValidationError(
                _("Evidence from the review cannot be deleted; retire the factor instead.")
            )


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceInlineForm
    formset = EvidenceInlineFormSet
    extra = 0
    autocomplete_fields = ["study"]
    readonly_fields = ["source"]
    fields = ["study", "direction", "quote", "position", "source"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "study":
            field.widget.can_delete_related = False  # a study with evidence cannot be deleted
        return field


@admin.register(Factor)
class FactorAdmin(VersionedAdmin, HistoryAdmin):
    list_display = [
        "label",
        "level",
        "role",
        "action",
        "source",
        "retired",
        "n_studies",
        "n_findings",
    ]
    list_filter = ["level", "role", "action", "source", "retired"]
    list_select_related = ["guidance_updated_by"]
    list_editable = []
    search_fields = ["label", "description", "guidance", "slug"]
    readonly_fields = ["source", "guidance_updated_at", "guidance_updated_by"]
    fieldsets = [
        (None, {"fields": ["label", "slug", "level", "role", "action", "source"]}),
        (_("From the review"), {"fields": ["description", "discussion_quote"]}),
        (
            _("Practice guidance (written by this service, not the review)"),
            {"fields": ["guidance", "guidance_updated_at", "guidance_updated_by"]},
        ),
        (_("Use"), {"fields": ["position", "retired"]}),
    ]
    prepopulated_fields = {"slug": ["label"]}
    inlines = [EvidenceInline]
    actions = ["retire", "reinstate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _n_studies=Count("evidence__study", distinct=True),
                _n_findings=Count("findings", distinct=True),
            )
        )

    @admin.display(description=_("studies"), ordering="_n_studies")
    def n_studies(self, obj):
        return obj._n_studies

    @admin.display(description=_("used in findings"), ordering="_n_findings")
    def n_findings(self, obj):
        return obj._n_findings

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # used factors are retired, never deleted
        return actions

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.source == Source.REVIEW:
            fields.append("discussion_quote")  # the review's words, kept verbatim
        return fields

    def save_model(self, request, obj, form, change):
        if "guidance" in form.changed_data:
            obj.record_guidance_change(request.user)
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.source == Source.REVIEW or obj.findings.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        for evidence in formset.save(commit=False):
            if evidence.pk is None:
                evidence.source = Source.LOCAL
            evidence.save()
        for evidence in formset.deleted_objects:
            evidence.delete()
        formset.save_m2m()

    @admin.action(description=_("Retire (no longer offered in new assessments)"))
    def retire(self, request, queryset):
        for factor in queryset:
            factor.retired = True
            factor.save(update_fields=["retired"])
        n = queryset.count()
        messages.success(
            request,
            ngettext("%(count)d factor retired.", "%(count)d factors retired.", n) % {"count": n},
        )

    @admin.action(description=_("Offer again in new assessments"))
    def reinstate(self, request, queryset):
        for factor in queryset:
            factor.retired = False
            factor.save(update_fields=["retired"])
        n = queryset.count()
        messages.success(
            request,
            ngettext("%(count)d factor offered again.", "%(count)d factors offered again.", n)
            % {"count": n},
        )


@admin.register(Study)
class StudyAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["__str__", "title", "design", "sample_size", "source"]
    list_filter = ["source", "design", "setting", "route", "age_group"]
    search_fields = ["authors", "title", "key", "venue"]
    readonly_fields = ["source"]
    prepopulated_fields = {"key": ["authors", "year"]}
    fieldsets = [
        (None, {"fields": ["key", "authors", "year", "title", "venue", "reference", "source"]}),
        (
            _("Sample (leave empty what the source does not state)"),
            {
                "fields": [
                    "design",
                    "sample_size",
                    "population",
                    "nationality",
                    "setting",
                    "route",
                    "age_group",
                    "details_quote",
                    "cited_as",
                ]
            },
        ),
    ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # studies with evidence cannot be deleted
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.source == Source.REVIEW or obj.evidence.exists()):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Review)
class ReviewAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["citation"]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}  # Django 6.0 default

    def has_add_permission(self, request):
        return not Review.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TheoreticalModel)
class TheoreticalModelAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["name", "authors_year", "position"]
    search_fields = ["name", "authors_year"]


# The catalogue's translations (factors/translations/admin.py).
from factors.translations import admin as translations_admin  # noqa: E402, F401
