"""Enrolment codes: who may issue one for whom, issuing, and redeeming.

Enrolling an authenticator app needs the password and a one-time code that a
supervisor (for the members of their teams) or the security officer (a
superuser) issued, so a stolen password alone cannot enrol a device.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from assessments.security.models import EnrolmentCode

ISSUE_PERMISSION = "assessments.issue_enrolmentcode"
# No 0/O, 1/I/L: read aloud or copied from a screen without mistakes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4  # 12 characters, about 59 bits


def can_issue(user) -> bool:
    return user.is_active and user.has_perm(ISSUE_PERMISSION)


def recipients_for(issuer):
    """The people ``issuer`` may issue a code for: everyone active for a
    superuser; for a supervisor, the other members of their teams except
    superusers (never themselves, so a stolen supervisor password cannot enrol
    its own device)."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    if issuer.is_superuser:
        return users.exclude(pk=issuer.pk)
    if not can_issue(issuer):
        return users.none()
    return users.filter(teams__members=issuer, is_superuser=False).exclude(pk=issuer.pk).distinct()


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def issue(*, issuer, user) -> str:
    """Issue a new code for ``user`` and return it in clear (shown once).
    Earlier open codes for the same person stop working."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at=None, expires_at__gt=now).update(
            expires_at=now
        )
        EnrolmentCode.objects.create(
            user=user,
            issued_by=issuer,
            code_hash=make_password(raw),
            issued_at=now,
            expires_at=now + dt.timedelta(hours=settings.ENROLMENT_CODE_HOURS),
        )
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def redeem(*, user, code: str) -> bool:
    """Use ``code`` for ``user``: true once for a valid, open code, then never again."""
    candidate = normalise(code)
    now = timezone.now()
    for entry in EnrolmentCode.objects.filter(user=user, used_at=None, expires_at__gt=now):
        if check_password(candidate, entry.code_hash):
            # Conditional update: of two simultaneous uses only one succeeds.
            return bool(EnrolmentCode.objects.filter(pk=entry.pk, used_at=None).update(used_at=now))
    return False
