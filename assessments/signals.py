"""Disabling a user ends all their sessions at once; signing in starts the
session's absolute lifetime."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from assessments import sessions


def end_sessions_of(user_id: int) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            ended += 1
    return ended


@receiver(pre_save, sender=get_user_model())
def end_sessions_when_disabled(sender, instance, **kwargs) -> None:
    if instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        end_sessions_of(instance.pk)


@receiver(user_logged_in)
def start_session_lifetime(sender, request, user, **kwargs) -> None:
    """The absolute session lifetime counts from this sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[sessions.SIGNED_IN_KEY] = sessions.now()
