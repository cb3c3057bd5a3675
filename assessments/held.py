"""Forms that arrive after the session ended are held for their author.

Pressing "Save draft" after the idle limit used to land on the sign-in page
with everything typed gone. Now the view that receives such a form keeps it
server side (``HeldSubmission``), keyed to the user whose session just ended,
and the form shows it again, with a message, once they have signed in.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import Assessment, HeldSubmission

# Marked here, translated where they are used.
HELD_MESSAGE = gettext_noop(
    "You were signed out before your answers reached us (for your security, sessions end after "
    "a time without activity). Nothing is lost: sign in again and your answers will be shown "
    "in the form, ready to save."
)
RESTORED_MESSAGE = gettext_noop(
    "These are the answers you sent after you had been signed out. They are not saved yet: "
    "check them and press “Save draft” or “Complete assessment”."
)
NOT_KEPT = {"csrfmiddlewaretoken"}


def former_user_id(request) -> int | None:
    """The user whose session this request's cookie belonged to, if it ended
    by expiry (an explicit sign-out deletes the session, so nothing is held)."""
    user_id = getattr(request, "expired_user_id", None)
    if user_id is None:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key or not _sessions_in_database():
            return None
        session = Session.objects.filter(session_key=key).first()
        if session is None:
            return None
        user_id = session.get_decoded().get("_auth_user_id")
    return int(user_id) if user_id else None


def _sessions_in_database() -> bool:
    """Django's database store or one built on it (exitsupport.session_store)."""
    engine = import_module(settings.SESSION_ENGINE)
    return issubclass(engine.SessionStore, DatabaseSessionStore)


def _expiry() -> dt.datetime:
    """Forms held before this have expired."""
    return timezone.now() - dt.timedelta(seconds=settings.HELD_SUBMISSION_SECONDS)


def purge_expired() -> int:
    expired = HeldSubmission.objects.filter(created_at__lt=_expiry())
    # Every assessment form asks: one read when nothing has expired (the usual
    # case) instead of a delete in a transaction of its own.
    if not expired.exists():
        return 0
    return expired.delete()[0]


def hold(request, assessment_pk: int) -> bool:
    """Keep this signed-out POST for the user it came from; True if kept."""
    user_id = former_user_id(request)
    if user_id is None or not Assessment.objects.filter(pk=assessment_pk).exists():
        return False
    purge_expired()
    data = {key: values for key, values in request.POST.lists() if key not in NOT_KEPT}
    HeldSubmission.objects.update_or_create(
        user_id=user_id,
        assessment_id=assessment_pk,
        defaults={"data": data, "created_at": timezone.now()},
    )
    return True


def take(user, assessment: Assessment) -> QueryDict | None:
    """The form held for ``user`` on ``assessment``, removed as it is returned.

    Every view of the assessment form asks, and purges the expired forms on
    the way: one read finds both (the usual answer: none), and one delete
    removes them."""
    limit = _expiry()
    found = list(
        HeldSubmission.objects.filter(
            Q(created_at__lt=limit) | Q(user=user, assessment=assessment)
        ).order_by("created_at")
    )
    if not found:
        return None
    HeldSubmission.objects.filter(pk__in=[row.pk for row in found]).delete()
    held = next((row for row in reversed(found) if row.created_at >= limit), None)
    if held is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in held.data.items():
        data.setlist(key, values)
    return data


def hold_when_signed_out(view):
    """Outside ``login_required``: a POST whose session has ended is held
    before the sign-in redirect (or the JSON answer of ``signed_out_json``)."""

    @wraps(view)
    def wrapper(request, *args, pk: int, **kwargs):
        signed_out = request.method == "POST" and not request.user.is_authenticated
        if signed_out and hold(request, pk):
            request.held_submission = True
            messages.info(request, _(HELD_MESSAGE))
        return view(request, *args, pk=pk, **kwargs)

    return wrapper
