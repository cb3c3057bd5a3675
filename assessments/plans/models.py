"""Support plans, the local services directory, referrals and case status.

These models belong to the ``assessments`` app: Django gives a model the label
of the app whose package contains its module, and ``assessments/models.py``
imports them on its last line so the app registry (and makemigrations) sees
them. Everything about a client is scoped through ``for_user`` querysets, as
in ``assessments.models``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Assessment, Client
from exitsupport.history import HistoricalRecords
from factors.models import Action as FactorAction
from factors.models import Factor


class StalePlan(Exception):
    """Someone else changed the plan since this copy was loaded."""


class Service(models.Model):
    """A local service a client can be referred to, kept by catalogue admins."""

    name = models.CharField(max_length=150, unique=True, verbose_name=_("name"))
    offers = models.TextField(_("what it offers"))
    factors = models.ManyToManyField(
        Factor,
        related_name="services",
        blank=True,
        limit_choices_to={"action": FactorAction.ACTIONABLE},
        help_text=_("The factors it helps to build or to limit (actionable factors only)."),
        verbose_name=_("factors"),
    )
    contact = models.CharField(
        max_length=300, help_text=_("How caseworkers reach it."), verbose_name=_("contact")
    )
    languages = models.CharField(max_length=200, blank=True, verbose_name=_("languages"))
    eligibility = models.TextField(_("who can use it"), blank=True)
    active = models.BooleanField(default=True, verbose_name=_("active"))

    history = HistoricalRecords(m2m_fields=[factors])

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlanQuerySet(models.QuerySet):
    def for_user(self, user) -> PlanQuerySet:
        return self.filter(client__in=Client.objects.for_user(user).values("pk"))


class Plan(models.Model):
    """What the client and caseworker agreed after one completed assessment.

    A later plan reviews the open actions of the one before and carries the
    rest forward; earlier plans stay as they were, so the plan's history is
    the list of plans (and each row's own history).
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="plans", verbose_name=_("client")
    )
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="plan", verbose_name=_("assessment")
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_plan",
        verbose_name=_("previous plan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    agreed_on = models.DateField(_("client agreed on"), null=True, blank=True)
    agreed_how = models.CharField(_("how the client agreed"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-assessment__date", "-id"]

    def __str__(self) -> str:
        return _("Plan for %(client)s (%(date)s)") % {
            "client": self.client,
            "date": date_format(self.assessment.date),
        }

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])

    def bump(self, expected_version: int) -> None:
        """Claim the plan for one change: the version is compared and bumped in
        one UPDATE, so of two people changing the same plan the later change is
        refused (StalePlan) instead of silently overwriting the first."""
        updated = Plan.objects.filter(pk=self.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise StalePlan
        self.version = expected_version + 1


class FocusFactor(models.Model):
    """A factor the client chose to work on, with their own view of it."""

    class Kind(models.TextChoices):
        BUILD = "build", pgettext_lazy("kind of focus factor", "Build")
        SUSTAIN = "sustain", pgettext_lazy("kind of focus factor", "Sustain")
        LIMIT = "limit", pgettext_lazy("kind of focus factor", "Limit")

    class View(models.TextChoices):
        AGREES = "agrees", _("Agrees")
        DISAGREES = "disagrees", _("Disagrees")
        NOT_DISCUSSED = "not_discussed", _("Not discussed")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="focus_factors", verbose_name=_("plan")
    )
    factor = models.ForeignKey(
        Factor, on_delete=models.PROTECT, related_name="+", verbose_name=_("factor")
    )
    factor_label = models.CharField(max_length=120, verbose_name=_("factor label"))
    kind = models.CharField(max_length=8, choices=Kind, verbose_name=_("kind"))
    everyday_words = models.CharField(
        _("in everyday words"),
        max_length=200,
        help_text=_("How the client's copy names it: the client's words, no jargon."),
    )
    client_view = models.CharField(
        _("the client's view"), max_length=14, choices=View, default=View.NOT_DISCUSSED
    )
    client_words = models.TextField(_("in the client's own words"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus factor")
        verbose_name_plural = _("focus factors")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "factor"], name="focus_unique_factor")
        ]

    def __str__(self) -> str:
        return self.factor_label


class PlanAction(models.Model):
    """One agreed step: what, who, by when, and how it went."""

    class Who(models.TextChoices):
        CLIENT = "client", _("The client")
        CASEWORKER = "caseworker", _("The caseworker")
        SERVICE = "service", _("A partner service")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Helped(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Not known yet")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    focus = models.ForeignKey(
        FocusFactor, on_delete=models.CASCADE, related_name="actions", verbose_name=_("focus")
    )
    what = models.CharField(max_length=300, verbose_name=_("what"))
    who = models.CharField(max_length=10, choices=Who, verbose_name=_("who"))
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(
        max_length=12, choices=Status, default=Status.PLANNED, verbose_name=_("status")
    )
    dropped_reason = models.CharField(_("why it was dropped"), max_length=300, blank=True)
    helped = models.CharField(_("did it help?"), max_length=8, choices=Helped, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried from"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="planaction_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="planaction_dropped_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class Referral(models.Model):
    """A referral of the client to a service, and what came of it."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("plan")
    )
    focus = models.ForeignKey(
        FocusFactor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("focus"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    sent_on = models.DateField(_("date"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.SENT, verbose_name=_("status")
    )
    outcome = models.TextField(blank=True, verbose_name=_("outcome"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"


class CaseQuerySet(models.QuerySet):
    def closed(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.CLOSED)

    def erasable_on(self, day: dt.date, retention_days: int) -> CaseQuerySet:
        """Closed cases whose retention period has passed on ``day``."""
        return self.closed().filter(closed_on__lte=day - dt.timedelta(days=retention_days))


class Case(models.Model):
    """Whether the client's case is open. A client without a row is open."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("case status", "Open")
        CLOSED = "closed", pgettext_lazy("case status", "Closed")

    class Reason(models.TextChoices):
        EXITED = "exited", _("Exited: no further support needed")
        MOVED = "moved", _("Moved away")
        LOST_CONTACT = "lost_contact", _("Lost contact")
        DECLINED = "declined", _("Declined support")
        OTHER = "other", _("Other")

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="case", verbose_name=_("client")
    )
    status = models.CharField(
        max_length=6, choices=Status, default=Status.OPEN, verbose_name=_("status")
    )
    closed_on = models.DateField(null=True, blank=True, verbose_name=_("closed on"))
    reason = models.CharField(max_length=14, choices=Reason, blank=True, verbose_name=_("reason"))
    reason_detail = models.CharField(max_length=300, blank=True, verbose_name=_("reason detail"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_on__isnull=False) & ~Q(reason="")),
                name="case_closed_has_date_and_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.get_status_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def erase_after(self) -> dt.date | None:
        if not self.is_closed:
            return None
        return self.closed_on + dt.timedelta(days=settings.CASE_RETENTION_DAYS)
