"""Disabling a user ends all their sessions at once; deleting an assessment keeps
the clients' latest completed assessments in step."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from assessments import latest
from assessments.models import Assessment


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


@receiver(post_delete, sender=Assessment)
def refresh_latest_after_delete(sender, instance, **kwargs) -> None:
    """In the deleting transaction: from a view, the admin, or the cascade when a
    client is erased (their rows go with them: recomputing finds nothing)."""
    if instance.is_completed:
        latest.refresh(instance.client_id)
