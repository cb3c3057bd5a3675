"""The security officer's records: refused requests and account events, and
the one-time codes that let a person enrol an authenticator app.

Neither keeps client data: a refused request keeps the path (ids only) and
who asked; an enrolment code is kept as a hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import AppendOnlyModel, AppendOnlyQuerySet


class SecurityEventQuerySet(AppendOnlyQuerySet):
    pass


class SecurityEvent(AppendOnlyModel):
    """An append-only record of a refused request or an account event, like
    AuditEvent but about people's accounts and attempts, not client records."""

    class Kind(models.TextChoices):
        FORBIDDEN = "forbidden", _("Refused (403)")
        NOT_FOUND = "not_found", _("Not found (404)")
        REFERENCE_ELSEWHERE = "reference", _("Client created with a reference another team uses")
        WRONG_CODE = "wrong_code", _("Wrong second-factor or enrolment code")
        CODE_ISSUED = "code_issued", _("Enrolment code issued")
        ENROLLED = "enrolled", _("Authenticator app enrolled")
        PASSWORD_CHANGED = "password", _("Password changed")

    REFUSALS = (Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.WRONG_CODE)

    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("when"))
    kind = models.CharField(max_length=12, choices=Kind, verbose_name=_("kind"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(max_length=150, blank=True, verbose_name=_("username"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    method = models.CharField(max_length=7, blank=True, verbose_name=_("method"))
    path = models.CharField(max_length=200, blank=True, verbose_name=_("path"))
    # For an account event: whose account (e.g. the person an enrolment code is for).
    subject = models.CharField(max_length=150, blank=True, verbose_name=_("subject"))

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "at"], name="security_kind_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.kind} {self.path}"


class EnrolmentCode(models.Model):
    """A one-time code that a supervisor or the security officer gives a person
    so that they can enrol an authenticator app: what a password thief lacks.

    Only a hash is stored; the code is shown once, expires, and is used once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_codes",
        verbose_name=_("user"),
    )
    code_hash = models.CharField(max_length=128, verbose_name=_("code hash"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(default=timezone.now, verbose_name=_("issued at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("used at"))

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")
        ordering = ["-issued_at", "-id"]
        permissions = [
            ("issue_enrolmentcode", "Can issue enrolment codes for members of their teams")
        ]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} ({self.issued_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
