"""Clients, assessments, their findings, teams and the audit trail.

Every record here is about a survivor of serious crime. Access is always
scoped through ``for_user`` querysets, and views fetch single records through
``assessments.access`` so that a record outside the user's teams is a 404.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.languages import LANGUAGE_HELP, LANGUAGE_LABEL, client_language_choices
from factors.models import CatalogueVersion, Factor, Level, Role

SYNTHETIC_PREFIXES = ("DEMO-", "SYN-")
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")


RECORD_KEY_RANGE = 256  # as disclosure.KEY_RANGE: record keys are 1..255


def new_record_key() -> int:
    """A client's permanent random record key, for the reports' cell-key perturbation.
    Never 0: a client with key 0 would change no cell's key, so two reports that
    differ by her alone would differ by her exact figures."""
    return 1 + secrets.randbelow(RECORD_KEY_RANGE - 1)


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def team_ids_of(user) -> list[int]:
    """The ids of ``user``'s teams, read once per user object (so once per
    request), like Django's permission cache."""
    cached = getattr(user, "_team_ids_cache", None)
    if cached is None:
        cached = sorted(Team.objects.filter(members=user).values_list("pk", flat=True))
        user._team_ids_cache = cached
    return cached


class ClientQuerySet(models.QuerySet):
    def for_user(self, user, *, listing: bool = False) -> ClientQuerySet:
        """Clients of the teams ``user`` belongs to (all of them for a superuser).

        ``listing``: the team ids are read first (one small query) instead of
        in a subquery, so that PostgreSQL reads a team's clients in reference
        order from ``client_team_ref_idx`` and stops after a page, instead of
        sorting all of them on every page of a list.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if listing:
            return self.filter(team_id__in=team_ids_of(user))
        return self.filter(team__in=Team.objects.filter(members=user).values("pk"))


class Client(models.Model):
    """A person the service supports, known only by a pseudonymous reference."""

    class AgeGroup(models.TextChoices):
        MINOR = "minor", _("Minor (under 18)")
        YOUNG_ADULT = "young_adult", _("Young adult (18–24)")
        ADULT = "adult", _("Adult (25 or over)")

    class Route(models.TextChoices):
        NATIONAL = "national", _("National (within one country)")
        TRANSNATIONAL = "transnational", _("Transnational (across borders)")

    class Setting(models.TextChoices):
        INDOOR = "indoor", _("Indoor")
        OUTDOOR = "outdoor", _("Outdoor")
        BOTH = "both", _("Indoor and outdoor")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("Written, signed")
        VERBAL = "verbal", _("Verbal, recorded by the caseworker")
        INTERPRETER = "interpreter", _("Verbal, through an interpreter")
        GUARDIAN = "guardian", _("By a guardian or legal representative")

    reference = models.CharField(
        max_length=40,
        validators=[
            RegexValidator(
                REFERENCE_PATTERN,
                _(
                    "Use 2–40 letters, digits, dots, dashes or underscores, starting with a "
                    "letter or digit. Never use a name."
                ),
            )
        ],
        help_text=_("A pseudonymous code, unique in the team. Never a name or initials."),
        verbose_name=_("reference"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="clients", verbose_name=_("team")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_clients",
        verbose_name=_("caseworker"),
    )
    age_group = models.CharField(
        max_length=12, choices=AgeGroup, blank=True, verbose_name=_("age group")
    )
    route = models.CharField(max_length=15, choices=Route, blank=True, verbose_name=_("route"))
    setting = models.CharField(
        _("setting of exploitation"), max_length=10, choices=Setting, blank=True
    )
    nationality = models.CharField(_("nationality or region"), max_length=100, blank=True)

    data_consent_on = models.DateField(_("consent to record data given on"))
    data_consent_method = models.CharField(
        _("how consent was given"), max_length=12, choices=ConsentMethod
    )
    data_consent_withdrawn_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("data consent withdrawn at")
    )
    stats_consent_on = models.DateField(
        _("consent to anonymised statistics given on"), null=True, blank=True
    )
    stats_consent_withdrawn_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("stats consent withdrawn at")
    )
    # Never shown: reports read each cell's perturbation from the sum of its
    # clients' keys, so the same set of clients always gets the same noise.
    record_key = models.PositiveSmallIntegerField(
        default=new_record_key, editable=False, verbose_name=_("record key")
    )

    # The language the client's copy of the plan prints in; blank: the caseworker's.
    language = models.CharField(
        LANGUAGE_LABEL,
        max_length=15,
        choices=client_language_choices,
        blank=True,
        help_text=LANGUAGE_HELP,
    )

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["reference"]
        permissions = [
            ("reassign_client", "Can reassign a client to another caseworker of the team"),
            ("export_client", "Can export and erase a client's complete record"),
            ("view_team_report", "Can see aggregated reports for their teams"),
        ]
        indexes = [models.Index(fields=["team", "reference"], name="client_team_ref_idx")]
        constraints = [
            # Unique per team, not across the organisation: a refusal of another
            # team's reference would tell a caseworker that it exists.
            models.UniqueConstraint(
                fields=["team", "reference"],
                name="client_reference_unique_in_team",
                violation_error_message=_("A client of this team already has this reference."),
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("assessments:client", args=[self.pk])

    @property
    def is_synthetic(self) -> bool:
        """Demo and benchmark records made by seed_demo describe no real person."""
        return self.reference.startswith(SYNTHETIC_PREFIXES)

    @property
    def has_data_consent(self) -> bool:
        return self.data_consent_withdrawn_at is None

    @property
    def counts_in_statistics(self) -> bool:
        return self.stats_consent_on is not None and self.stats_consent_withdrawn_at is None

    def reference_used_elsewhere(self) -> bool:
        """Whether another team has a client with this reference (for the
        security trace; never shown to the user)."""
        return Client.objects.filter(reference=self.reference).exclude(team=self.team_id).exists()

    def context_summary(self) -> list[tuple[str, str]]:
        return [
            (label, display)
            for label, display in (
                (gettext("Age group"), self.get_age_group_display()),
                (gettext("Route"), self.get_route_display()),
                (gettext("Setting"), self.get_setting_display()),
                (gettext("Nationality or region"), self.nationality),
            )
            if display
        ]


class Stage(models.TextChoices):
    """The Stages of Change model (Prochaska, DiClemente & Norcross, 1992)."""

    PRECONTEMPLATION = "precontemplation", pgettext_lazy("stage of change", "Precontemplation")
    CONTEMPLATION = "contemplation", pgettext_lazy("stage of change", "Contemplation")
    PREPARATION = "preparation", pgettext_lazy("stage of change", "Preparation")
    ACTION = "action", pgettext_lazy("stage of change", "Action")
    MAINTENANCE = "maintenance", pgettext_lazy("stage of change", "Maintenance")


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the calendar quarter of ``day``."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user) -> AssessmentQuerySet:
        return self.filter(client__in=Client.objects.for_user(user).values("pk"))

    def completed(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.COMPLETED)


class StaleAssessment(Exception):
    """Someone else saved the assessment since this copy was loaded."""


class DraftExists(Exception):
    """The client already has a draft: one draft per client at a time."""


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("assessment status", "Draft")
        COMPLETED = "completed", pgettext_lazy("assessment status", "Completed")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("client")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="assessments",
        verbose_name=_("caseworker"),
    )
    date = models.DateField(default=timezone.localdate, verbose_name=_("date"))
    # First day of the date's calendar quarter, kept in step by save() and
    # save_checked(): reports group by it (DISTINCT ON needs a column).
    quarter = models.DateField(editable=False, verbose_name=_("quarter"))
    stage = models.CharField(_("stage of change"), max_length=20, choices=Stage, blank=True)
    notes = models.TextField(_("overall notes"), blank=True)
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, verbose_name=_("status")
    )
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    # The catalogue version a completed assessment shows (drafts read the live catalogue).
    catalogue_version = models.ForeignKey(
        CatalogueVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catalogue version"),
    )
    # Why a supervisor last reopened it (kept here, not in the audit trail,
    # which holds no client data).
    reopen_reason = models.TextField(blank=True, verbose_name=_("reopen reason"))
    # The completed assessment this one started from (its answers carried over).
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried from"),
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-date", "-id"]
        permissions = [("reopen_assessment", "Can reopen a completed assessment")]
        indexes = [
            # latest completed assessment per client, and reports by period
            models.Index(
                fields=["client", "status", "date", "id"], name="assess_client_latest_idx"
            ),
            models.Index(fields=["status", "date"], name="assess_status_date_idx"),
            # latest completed assessment per client and quarter (report trends)
            models.Index(
                fields=["client", "status", "quarter", "date", "id"],
                name="assess_client_quarter_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False),
                name="assessment_completed_has_timestamp",
            ),
            # Two drafts for one person would split the answers between them.
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status="draft"),
                name="assessment_one_draft_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} — {formats.date_format(self.date, 'DATE_FORMAT')}"

    def save(self, *args, **kwargs) -> None:
        self.quarter = quarter_start(self.date)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "date" in update_fields:
            kwargs["update_fields"] = {*update_fields, "quarter"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.is_completed:
            return reverse("assessments:results", args=[self.pk])
        return reverse("assessments:edit", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    def save_checked(self, expected_version: int, update_fields: list[str]) -> None:
        """Save only if nobody saved since ``expected_version`` was read.

        Optimistic locking: the version is compared and bumped in one UPDATE,
        so of two people editing the same assessment the later save is
        refused (StaleAssessment) instead of silently overwriting the first.
        """
        self.quarter = quarter_start(self.date)
        values = {name: getattr(self, name) for name in [*update_fields, "quarter"]}
        values["updated_at"] = timezone.now()
        updated = Assessment.objects.filter(pk=self.pk, version=expected_version).update(
            version=F("version") + 1, **values
        )
        if not updated:
            raise StaleAssessment
        self.version = expected_version + 1

    @transaction.atomic
    def reopen(self, reason: str) -> None:
        """Return a completed assessment to draft so it can be corrected.

        The only way back to draft (saving a completed assessment keeps it
        completed): a reopened assessment leaves reports and "what changed"
        until it is completed again, so it takes a supervisor and a reason.
        """
        if not reason.strip():
            raise ValueError("A reason is needed to reopen an assessment.")
        drafts = Assessment.objects.filter(client_id=self.client_id, status=self.Status.DRAFT)
        if drafts.exclude(pk=self.pk).exists():
            raise DraftExists
        self.status = self.Status.DRAFT
        self.completed_at = None
        self.catalogue_version = None
        self.reopen_reason = reason.strip()
        self.save_checked(
            self.version, ["status", "completed_at", "catalogue_version", "reopen_reason"]
        )


class Finding(models.Model):
    """Whether one factor is present for the client at one assessment.

    The factor's label, level and role are copied here when the finding is
    saved, so a completed assessment keeps meaning what it meant when it was
    made even if an admin later edits or retires the factor.
    """

    class Status(models.TextChoices):
        PRESENT = "present", pgettext_lazy("finding status", "Present")
        ABSENT = "absent", pgettext_lazy("finding status", "Absent")
        NOT_ASSESSED = "not_assessed", pgettext_lazy("finding status", "Not assessed")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("assessment")
    )
    factor = models.ForeignKey(
        Factor, on_delete=models.PROTECT, related_name="findings", verbose_name=_("factor")
    )
    status = models.CharField(max_length=12, choices=Status, blank=True, verbose_name=_("status"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    factor_label = models.CharField(max_length=120, verbose_name=_("factor label"))
    factor_level = models.CharField(max_length=12, choices=Level, verbose_name=_("factor level"))
    factor_role = models.CharField(max_length=12, choices=Role, verbose_name=_("factor role"))
    # Copied from the previous completed assessment and not yet confirmed or
    # changed by the caseworker.
    carried_over = models.BooleanField(default=False, verbose_name=_("carried over"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "factor"], name="finding_unique_factor")
        ]
        indexes = [
            models.Index(fields=["factor", "status"], name="finding_factor_status_idx"),
            # reports: the present findings of a set of assessments, by factor (index-only)
            models.Index(
                fields=["assessment", "status", "factor"], name="finding_assess_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factor_label}: {self.get_status_display() or 'unanswered'}"


class HeldSubmission(models.Model):
    """A form that arrived after its author's session had ended.

    Kept server side (never in a cookie), for that user only, until they sign
    in again and it is shown back to them in the form, or until
    HELD_SUBMISSION_SECONDS have passed. It holds a client's data, so it goes
    with the assessment when that is deleted or erased.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    data = models.JSONField(verbose_name=_("data"))
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("held submission")
        verbose_name_plural = _("held submissions")
        constraints = [
            models.UniqueConstraint(fields=["user", "assessment"], name="held_one_per_form")
        ]

    def __str__(self) -> str:
        return f"held form of assessment {self.assessment_id} for user {self.user_id}"


class AppendOnlyQuerySet(models.QuerySet):
    """Trails of what happened: rows are added, never changed or deleted in bulk."""

    def update(self, **kwargs):
        raise ValidationError(cannot_be_changed(self.model))

    def delete(self):
        raise ValidationError(cannot_be_deleted(self.model))


def cannot_be_changed(model) -> str:
    return gettext("%(records)s cannot be changed.") % {
        "records": capfirst(model._meta.verbose_name_plural)
    }


def cannot_be_deleted(model) -> str:
    return gettext("%(records)s cannot be deleted.") % {
        "records": capfirst(model._meta.verbose_name_plural)
    }


class AppendOnlyModel(models.Model):
    """A trail record (audit, security): written once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(cannot_be_changed(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(cannot_be_deleted(self))


class AuditQuerySet(AppendOnlyQuerySet):
    def for_user(self, user) -> AuditQuerySet:
        if user.is_superuser:
            return self
        return self.filter(team__in=Team.objects.filter(members=user).values("pk"))


class AuditEvent(AppendOnlyModel):
    """An append-only record of who did what to which client record.

    It keeps ids only, never a client's reference or data, so that erasing a
    client leaves an audit trail that holds nothing about them.
    """

    class Action(models.TextChoices):
        VIEW = "view", pgettext_lazy("audit action", "Viewed")
        CREATE = "create", pgettext_lazy("audit action", "Created")
        CHANGE = "change", pgettext_lazy("audit action", "Changed")
        COMPLETE = "complete", pgettext_lazy("audit action", "Completed")
        REOPEN = "reopen", pgettext_lazy("audit action", "Reopened")
        REASSIGN = "reassign", pgettext_lazy("audit action", "Reassigned")
        EXPORT = "export", pgettext_lazy("audit action", "Exported")
        DELETE = "delete", pgettext_lazy("audit action", "Deleted")
        ERASE = "erase", pgettext_lazy("audit action", "Erased")

    class ObjectType(models.TextChoices):
        CLIENT = "client", pgettext_lazy("audit record type", "Client")
        ASSESSMENT = "assessment", pgettext_lazy("audit record type", "Assessment")
        REPORT = "report", pgettext_lazy("audit record type", "Report")

    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(max_length=150, verbose_name=_("username"))
    action = models.CharField(max_length=10, choices=Action, verbose_name=_("action"))
    object_type = models.CharField(max_length=12, choices=ObjectType, verbose_name=_("object type"))
    object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("object ID"))
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("team")
    )
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    detail = models.CharField(max_length=200, blank=True, verbose_name=_("detail"))

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        permissions = [("view_team_audit", "Can see the audit trail of their teams")]
        indexes = [models.Index(fields=["team", "at"], name="audit_team_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"


# The support plan's models live in their own sub-package but belong to this app.
from assessments.plans.models import Case, FocusFactor, Plan, PlanAction, Referral, Service  # noqa: E402, F401, I001

# The security officer's records live in their own module (assessments/security/).
from assessments.security.models import EnrolmentCode, SecurityEvent  # noqa: E402,F401

# The person's own choices (the interface language) live in their own module.
from assessments.preferences import UserPreference  # noqa: E402,F401

# What the report needs of each completed assessment, kept in step by PostgreSQL.
from assessments.figures import ReportFigures  # noqa: E402,F401
