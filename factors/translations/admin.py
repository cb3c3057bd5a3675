"""Catalogue translations in the admin, for catalogue admins.

Every save asks why and goes through ``VersionedAdmin`` like the rest of the
catalogue: the reason is kept in the history (who, when, why). Translations are
not part of a catalogue version's snapshot (see ``factors.versions.snapshot``),
so a translation-only change records no new version.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from exitsupport.history_admin import HistoryAdmin
from factors.admin_versions import VersionedAdmin
from factors.translations.models import (
    EvidenceTranslation,
    FactorTranslation,
    LanguageReview,
    StudyTranslation,
    TheoreticalModelTranslation,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 80})


class TranslationAdmin(VersionedAdmin, HistoryAdmin):
    list_filter = ["language"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and hasattr(field.widget, "can_delete_related"):
            field.widget.can_delete_related = False
            field.widget.can_add_related = False
            field.widget.can_change_related = False
        return field


@admin.register(FactorTranslation)
class FactorTranslationAdmin(TranslationAdmin):
    list_display = ["factor", "language", "label"]
    list_select_related = ["factor"]
    search_fields = ["label", "description", "guidance", "factor__label", "factor__slug"]
    readonly_fields = ["english_label", "english_description", "english_guidance", "english_quote"]
    fieldsets = [
        (None, {"fields": ["factor", "language"]}),
        (_("Label"), {"fields": ["english_label", "label"]}),
        (_("In short, in ExitSupport's words"), {"fields": ["english_description", "description"]}),
        (
            _("Practice guidance (written by ExitSupport, not the review)"),
            {"fields": ["english_guidance", "guidance"]},
        ),
        (
            _("The review's Discussion sentence (shown in English, the translation beside it)"),
            {"fields": ["english_quote", "discussion_quote"]},
        ),
    ]

    @admin.display(description=_("English"))
    def english_label(self, obj):
        return obj.factor.label if obj.pk else "—"

    @admin.display(description=_("English"))
    def english_description(self, obj):
        return obj.factor.description if obj.pk else "—"

    @admin.display(description=_("English"))
    def english_guidance(self, obj):
        return obj.factor.guidance if obj.pk else "—"

    @admin.display(description=_("English, verbatim"))
    def english_quote(self, obj):
        return obj.factor.discussion_quote if obj.pk else "—"


@admin.register(StudyTranslation)
class StudyTranslationAdmin(TranslationAdmin):
    list_display = ["study", "language", "population", "nationality"]
    list_select_related = ["study"]
    search_fields = ["population", "nationality", "note", "study__key", "study__authors"]
    readonly_fields = ["english"]
    fields = ["study", "language", "english", "population", "nationality", "note"]

    @admin.display(description=_("English"))
    def english(self, obj):
        if not obj.pk:
            return "—"
        s = obj.study
        return " · ".join(v for v in (s.population, s.nationality, s.note) if v) or "—"


class Orphaned(admin.SimpleListFilter):
    title = _("matches the catalogue")
    parameter_name = "orphaned"

    def lookups(self, request, model_admin):
        return [("no", _("Matches its English sentence")), ("yes", _("Orphaned: sentence changed"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        from django.db.models import Exists, OuterRef

        from factors.models import Evidence

        match = Exists(
            Evidence.objects.filter(
                factor=OuterRef("factor"), study=OuterRef("study"), quote=OuterRef("quote")
            )
        )
        return queryset.filter(~match if self.value() == "yes" else match)


class EvidenceTranslationForm(forms.ModelForm):
    class Meta:
        model = EvidenceTranslation
        fields = ["factor", "study", "language", "quote", "text"]
        widgets = {"quote": TEXTAREA, "text": TEXTAREA}

    def clean(self):
        from factors.models import Evidence

        data = super().clean()
        factor, study, quote = data.get("factor"), data.get("study"), data.get("quote")
        found = Evidence.objects.filter(factor=factor, study=study, quote=quote)
        if factor and study and quote is not None and not found.exists():
            self.add_error(
                "quote",
                _(
                    "The catalogue has no such sentence for this factor and study: paste "
                    "the review's English sentence exactly as the factor shows it."
                ),
            )
        return data


@admin.register(EvidenceTranslation)
class EvidenceTranslationAdmin(TranslationAdmin):
    list_display = ["factor", "study", "language", "text"]
    list_select_related = ["factor", "study"]
    list_filter = ["language", Orphaned]
    search_fields = ["text", "quote", "factor__label", "study__key"]
    fields = ["factor", "study", "language", "quote", "text"]

    form = EvidenceTranslationForm


@admin.register(TheoreticalModelTranslation)
class TheoreticalModelTranslationAdmin(TranslationAdmin):
    list_display = ["model", "language", "summary"]
    list_select_related = ["model"]
    search_fields = ["summary", "model__name"]
    readonly_fields = ["english"]
    fields = ["model", "language", "english", "summary"]

    @admin.display(description=_("English"))
    def english(self, obj):
        return obj.model.summary if obj.pk else "—"


@admin.register(LanguageReview)
class LanguageReviewAdmin(HistoryAdmin):
    """Whether a fluent speaker has checked each language: pages in a language
    still a draft say so."""

    list_display = ["__str__", "language", "interface_status", "catalogue_status", "reviewed_by",
                    "reviewed_at"]  # fmt: skip
    list_filter = ["interface_status", "catalogue_status"]
    fields = ["language", "interface_status", "catalogue_status", "reviewed_by", "reviewed_at",
              "note"]  # fmt: skip
    search_fields = ["language", "reviewed_by", "note"]

    def get_readonly_fields(self, request, obj=None):
        return ["language"] if obj is not None else []
