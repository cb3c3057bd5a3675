"""Translations of the catalogue's text, one row per object and language.

These models belong to the ``factors`` app (the last lines of
``factors/models.py`` import them). What is translated is ExitSupport's own
wording (labels, summaries, guidance, study context) and, beside the review's
verbatim sentences, a translation of each: the English sentence is always
shown, the translation never replaces it. An evidence translation stores the
English sentence it translates, so a changed sentence leaves it unmatched
(orphaned) rather than showing it beside words it does not translate.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from exitsupport.history import HistoricalRecords
from factors.translations.languages import language_choices, local_name


def _language_field():
    return models.CharField(_("language"), max_length=10, choices=language_choices)


class FactorTranslation(models.Model):
    factor = models.ForeignKey(
        "factors.Factor",
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("factor"),
    )
    language = _language_field()
    label = models.CharField(_("label"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    guidance = models.TextField(
        _("practice guidance"),
        blank=True,
        help_text=_(
            "A translation of ExitSupport's guidance (still ExitSupport's, not the review's)."
        ),
    )
    discussion_quote = models.TextField(
        _("translation of the Discussion sentence"),
        blank=True,
        help_text=_("Shown beside the review's English sentence, never instead of it."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "factor__level_order", "factor__role_order", "factor__position"]
        verbose_name = _("factor translation")
        verbose_name_plural = _("factor translations")
        constraints = [
            models.UniqueConstraint(
                fields=["factor", "language"], name="factor_translation_unique_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.factor} [{self.language}]"


class StudyTranslation(models.Model):
    study = models.ForeignKey(
        "factors.Study",
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("study"),
    )
    language = _language_field()
    population = models.CharField(_("population"), max_length=300, blank=True)
    nationality = models.CharField(_("nationality"), max_length=200, blank=True)
    note = models.TextField(_("our note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "study__key"]
        verbose_name = _("study translation")
        verbose_name_plural = _("study translations")
        constraints = [
            models.UniqueConstraint(
                fields=["study", "language"], name="study_translation_unique_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.study} [{self.language}]"


def quote_digest(quote: str) -> str:
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()


class EvidenceTranslation(models.Model):
    """A translation of one of the review's sentences, shown beside it.

    The evidence is identified as the catalogue file identifies it, by factor,
    study and the English sentence (an import replaces a factor's evidence
    rows, so their ids do not last); ``quote`` is that English sentence."""

    factor = models.ForeignKey(
        "factors.Factor",
        on_delete=models.CASCADE,
        related_name="evidence_translations",
        verbose_name=_("factor"),
    )
    study = models.ForeignKey(
        "factors.Study",
        on_delete=models.CASCADE,
        related_name="evidence_translations",
        verbose_name=_("study"),
    )
    language = _language_field()
    quote = models.TextField(
        _("English sentence translated"),
        help_text=_(
            "The review's sentence, verbatim, as it stood when translated. If the sentence "
            "changes, this translation is no longer shown."
        ),
    )
    quote_digest = models.CharField(max_length=64, editable=False, verbose_name=_("quote digest"))
    text = models.TextField(_("translation"))

    history = HistoricalRecords(excluded_fields=["quote_digest"])

    class Meta:
        ordering = ["language", "factor__level_order", "factor__role_order", "factor__position"]
        verbose_name = _("evidence translation")
        verbose_name_plural = _("evidence translations")
        constraints = [
            models.UniqueConstraint(
                fields=["factor", "study", "language", "quote_digest"],
                name="evidence_translation_unique_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.factor} ← {self.study} [{self.language}]"

    def save(self, *args, **kwargs) -> None:
        self.quote_digest = quote_digest(self.quote)
        super().save(*args, **kwargs)


class TheoreticalModelTranslation(models.Model):
    model = models.ForeignKey(
        "factors.TheoreticalModel",
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("theoretical model"),
    )
    language = _language_field()
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "model__position"]
        verbose_name = _("theoretical model translation")
        verbose_name_plural = _("theoretical model translations")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "language"], name="model_translation_unique_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} [{self.language}]"


class LanguageReview(models.Model):
    """Whether a fluent speaker has checked a language's translations: the
    interface (the .po files) and the catalogue, separately."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: not checked by a fluent speaker")
        REVIEWED = "reviewed", _("Reviewed by a fluent speaker")

    language = models.CharField(_("language"), max_length=10, choices=language_choices, unique=True)
    interface_status = models.CharField(
        _("interface"), max_length=10, choices=Status, default=Status.DRAFT
    )
    catalogue_status = models.CharField(
        _("catalogue"), max_length=10, choices=Status, default=Status.DRAFT
    )
    reviewed_by = models.CharField(
        _("reviewed by"),
        max_length=200,
        blank=True,
        help_text=_("The fluent speaker who checked it (name, role)."),
    )
    reviewed_at = models.DateField(_("reviewed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["language"]
        verbose_name = _("language review")
        verbose_name_plural = _("language reviews")

    def __str__(self) -> str:
        return local_name(self.language)

    @property
    def is_draft(self) -> bool:
        return self.Status.DRAFT in (self.interface_status, self.catalogue_status)
