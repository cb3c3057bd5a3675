"""The evidence catalogue: the review, its studies, the exit factors and the
sentences that link them.

Entries whose ``source`` is ``review`` come from Ferrari (2021) and are kept
verbatim; admins may add ``local`` entries for newer research.
"""

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exitsupport.history import HistoricalRecords


class Source(models.TextChoices):
    REVIEW = "review", _("Ferrari (2021) review")
    LOCAL = "local", _("Added locally")


class Level(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    RELATIONAL = "relational", _("Relational")
    STRUCTURAL = "structural", _("Structural")


class Role(models.TextChoices):
    FACILITATING = "facilitating", _("Facilitating")
    HINDERING = "hindering", _("Hindering")
    AMBIVALENT = "ambivalent", _("Ambivalent")


class Action(models.TextChoices):
    """How a caseworker may act on a factor: not every factor is something to build."""

    ACTIONABLE = "actionable", _("Act on it: sustain or build it, or limit it")
    CONTEXT = "context", _("Context: informs the reading of the evidence, never a target")
    CAUTION = "caution", _("Caution: note it when present, never advise building it")


# A surname followed by its initials, in a reference-list author string.
SURNAME = re.compile(r"([A-Z][\w'’\- ]*?),?\s+(?:[A-Z]\.,?\s*)+")

ACTION_BADGES = {
    Action.ACTIONABLE: _("act on it"),
    Action.CONTEXT: _("context, not a target"),
    Action.CAUTION: _("caution: never encourage"),
}

LEVEL_ORDER = {value: index for index, value in enumerate(Level.values)}
ROLE_ORDER = {value: index for index, value in enumerate(Role.values)}


class Review(models.Model):
    """The review the catalogue is built on (one row), with the decisions taken
    where the paper contradicts itself, shown on the "About the evidence" page."""

    citation = models.TextField(verbose_name=_("citation"))
    url = models.URLField(verbose_name=_("url"), blank=True)
    summary = models.TextField(verbose_name=_("summary"), blank=True)
    limitations = models.JSONField(verbose_name=_("limitations"), default=list, blank=True)
    limitations_quote = models.TextField(verbose_name=_("limitations quote"), blank=True)
    caveats = models.JSONField(
        verbose_name=_("caveats"),
        default=list,
        blank=True,
        help_text=_(
            "What the review says that limits its own evidence: a list of "
            "{'text': our summary, 'quote': the review's sentence, verbatim}."
        ),
    )
    counts_decision = models.TextField(verbose_name=_("counts decision"), blank=True)
    citation_decisions = models.TextField(verbose_name=_("citation decisions"), blank=True)
    published_counts = models.JSONField(
        verbose_name=_("published counts"), default=dict, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return self.citation


class TheoreticalModel(models.Model):
    """A model of exit that the review names in its theoretical background."""

    name = models.CharField(verbose_name=_("name"), max_length=200, unique=True)
    authors_year = models.CharField(verbose_name=_("authors year"), max_length=200, blank=True)
    summary = models.TextField(verbose_name=_("summary"), blank=True)
    quote = models.TextField(verbose_name=_("quote"), blank=True)
    position = models.PositiveIntegerField(verbose_name=_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theoretical model")
        verbose_name_plural = _("theoretical models")

    def __str__(self) -> str:
        return self.name


class Study(models.Model):
    """An empirical study, with what the review says of its sample.

    Details the review does not state stay empty: an empty detail never
    counts as a match with a client's context.
    """

    class Design(models.TextChoices):
        QUALITATIVE = "qualitative", _("Qualitative")
        QUANTITATIVE = "quantitative", _("Quantitative")
        MIXED = "mixed", _("Mixed methods")

    class Setting(models.TextChoices):
        INDOOR = "indoor", _("Indoor")
        OUTDOOR = "outdoor", _("Outdoor")
        BOTH = "both", _("Indoor and outdoor")

    class Route(models.TextChoices):
        NATIONAL = "national", _("National")
        TRANSNATIONAL = "transnational", _("Transnational")
        BOTH = "both", _("National and transnational")

    class AgeGroup(models.TextChoices):
        MINOR = "minor", _("Minors")
        ADULT = "adult", _("Adults")
        BOTH = "both", _("Minors and adults")

    key = models.SlugField(verbose_name=_("key"), max_length=80, unique=True)
    source = models.CharField(
        verbose_name=_("source"), max_length=10, choices=Source, default=Source.LOCAL
    )
    authors = models.CharField(verbose_name=_("authors"), max_length=500)
    year = models.PositiveSmallIntegerField(verbose_name=_("year"), null=True, blank=True)
    title = models.CharField(verbose_name=_("title"), max_length=500)
    venue = models.CharField(verbose_name=_("venue"), max_length=300, blank=True)
    reference = models.TextField(
        verbose_name=_("reference"), blank=True, help_text=_("The full reference, as published.")
    )
    cited_as = models.JSONField(
        verbose_name=_("cited as"),
        default=list,
        blank=True,
        help_text=_("Other spellings of this citation in the review's text."),
    )
    design = models.CharField(verbose_name=_("design"), max_length=20, choices=Design, blank=True)
    sample_size = models.PositiveIntegerField(verbose_name=_("sample size"), null=True, blank=True)
    population = models.CharField(verbose_name=_("population"), max_length=300, blank=True)
    nationality = models.CharField(verbose_name=_("nationality"), max_length=200, blank=True)
    setting = models.CharField(
        verbose_name=_("setting"), max_length=10, choices=Setting, blank=True
    )
    route = models.CharField(verbose_name=_("route"), max_length=15, choices=Route, blank=True)
    age_group = models.CharField(
        verbose_name=_("age group"), max_length=10, choices=AgeGroup, blank=True
    )
    details_quote = models.TextField(verbose_name=_("details quote"), blank=True)
    note = models.TextField(
        verbose_name=_("note"),
        blank=True,
        help_text=_(
            "Our note on how the review cites or describes this study "
            "(a mismatch, a contested detail); ExitSupport's words, not the review's."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["authors", "year"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return self.short_citation

    def get_absolute_url(self) -> str:
        return reverse("factors:study", args=[self.key])

    @property
    def short_citation(self) -> str:
        """APA-style in-text form: "Smith (2019)", "Smith & Doe (2019)", "Smith et al. (2019)"."""
        names = SURNAME.findall(self.authors) or [self.authors.split(",")[0].strip()]
        if len(names) == 2:
            who = f"{names[0]} & {names[1]}"
        elif len(names) > 2:
            who = f"{names[0]} et al."
        else:
            who = names[0]
        return f"{who} ({self.year or 'n.d.'})"


class FactorQuerySet(models.QuerySet):
    def active(self) -> "FactorQuerySet":
        return self.filter(retired=False)

    def in_catalogue_order(self) -> "FactorQuerySet":
        return self.order_by("level_order", "role_order", "position", "label")


class Factor(models.Model):
    """A factor in the exit process, at one level, with one role."""

    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    source = models.CharField(
        verbose_name=_("source"), max_length=10, choices=Source, default=Source.LOCAL
    )
    label = models.CharField(verbose_name=_("label"), max_length=120)
    level = models.CharField(verbose_name=_("level"), max_length=12, choices=Level)
    role = models.CharField(verbose_name=_("role"), max_length=12, choices=Role)
    description = models.TextField(
        verbose_name=_("description"),
        help_text=_("One or two sentences a practitioner can act on."),
    )
    action = models.CharField(
        _("way of acting on it"),
        max_length=12,
        choices=Action,
        default=Action.ACTIONABLE,
        help_text=_(
            "Whether the factor is a target for work, context for reading the evidence, "
            "or something never to encourage."
        ),
    )
    discussion_quote = models.TextField(
        verbose_name=_("discussion quote"),
        blank=True,
        help_text=_(
            "What the review's Discussion says of this factor, verbatim "
            "(not evidence from a study)."
        ),
    )
    guidance = models.TextField(
        verbose_name=_("guidance"),
        blank=True,
        help_text=_("Practice guidance written by this service (not the review's words)."),
    )
    guidance_updated_at = models.DateTimeField(
        verbose_name=_("guidance updated at"), null=True, blank=True, editable=False
    )
    guidance_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("guidance updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    position = models.PositiveIntegerField(
        verbose_name=_("position"), default=0, help_text=_("Order within its level and role.")
    )
    retired = models.BooleanField(
        verbose_name=_("retired"),
        default=False,
        help_text=_("Retired factors are no longer offered in new assessments."),
    )
    # Sort keys kept in step with level/role in save(), so ordering is a plain index scan.
    level_order = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("level order")
    )
    role_order = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("role order")
    )
    studies = models.ManyToManyField(
        Study, verbose_name=_("studies"), through="Evidence", related_name="factors"
    )

    objects = FactorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["level_order", "role_order"])

    class Meta:
        ordering = ["level_order", "role_order", "position", "label"]
        verbose_name = _("factor")
        verbose_name_plural = _("factors")

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        self.level_order = LEVEL_ORDER.get(self.level, 0)
        self.role_order = ROLE_ORDER.get(self.role, 0)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("factors:factor", args=[self.slug])

    @property
    def action_badge(self) -> str:
        """The way of acting on the factor, in a few words (never colour alone)."""
        return ACTION_BADGES.get(self.action, "")

    def record_guidance_change(self, user) -> None:
        """Mark the practice guidance as just rewritten by ``user`` (None for an
        import): the guidance is ours, so the page names who wrote it and when."""
        self.guidance_updated_at = timezone.now()
        self.guidance_updated_by = user


class Evidence(models.Model):
    """One sentence of the literature that links a study to a factor."""

    class Direction(models.TextChoices):
        """What a sentence does to the factor's role: a sentence that only
        narrows it ("rarely", "in one sample") is not evidence against it."""

        SUPPORTS = "supports", _("Supports the factor's role")
        QUALIFIES = (
            "qualifies",
            _("Qualifies or limits the factor's role (not evidence against it)"),
        )
        COUNTER = "counter", _("Evidence against the factor's role")

    factor = models.ForeignKey(
        Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="evidence"
    )
    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.PROTECT, related_name="evidence"
    )
    direction = models.CharField(
        verbose_name=_("direction"), max_length=10, choices=Direction, default=Direction.SUPPORTS
    )
    quote = models.TextField(verbose_name=_("quote"), help_text=_("The sentence, verbatim."))
    source = models.CharField(
        verbose_name=_("source"), max_length=10, choices=Source, default=Source.LOCAL
    )
    position = models.PositiveIntegerField(verbose_name=_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["factor", "position", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.factor} ← {self.study}"

    @property
    def direction_badge(self) -> str:
        """A few words for a badge beside the quote; empty for supporting evidence."""
        return DIRECTION_BADGES.get(self.direction, "")


DIRECTION_BADGES = {
    Evidence.Direction.QUALIFIES: _("qualifies or limits the factor"),
    Evidence.Direction.COUNTER: _("evidence against the factor's role"),
}


class CatalogueVersion(models.Model):
    """The whole catalogue as it stood after one admin change or import, with
    who made the change and why.

    ``snapshot`` holds the catalogue in the export format (see
    ``factors.versions.snapshot``), so a completed assessment pinned to a
    version keeps showing the factors, roles, evidence and guidance it was
    completed with.
    """

    number = models.PositiveIntegerField(verbose_name=_("number"), unique=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(
        _("why"), help_text=_("What changed and why, for the people reading it.")
    )
    snapshot = models.JSONField(verbose_name=_("snapshot"))

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self) -> str:
        return gettext("Catalogue version %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return f"{reverse('factors:versions')}#version-{self.number}"


# Translations of the catalogue live in their own sub-package but belong to this app.
from factors.translations.models import (  # noqa: E402, F401, I001
    EvidenceTranslation,
    FactorTranslation,
    LanguageReview,
    StudyTranslation,
    TheoreticalModelTranslation,
)
