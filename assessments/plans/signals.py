"""Erasing a client erases their plans' change history too."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from assessments.models import Client
from assessments.plans.services import forget_history


@receiver(post_delete, sender=Client)
def erase_plan_history(sender, instance, **kwargs) -> None:
    # After the cascade: simple_history has recorded each deleted row on its way
    # out, and those records must go as well.
    forget_history(instance.pk)
