"""The person's own choices that follow them from device to device: for now,
the language of the interface.

The choice is read once, at sign-in, and copied into the session (a signed-in
request reads the session anyway), so no request pays a query for it; changing
it updates both (``assessments.language.set_language``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

# The session key that carries the account's language (absent: follow the
# browser, or the language cookie).
SESSION_LANGUAGE_KEY = "_account_language"


class UserPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("Blank: pages follow the browser's preferred language."),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"


def offered_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def remember_in_session(session, language: str) -> None:
    if language:
        session[SESSION_LANGUAGE_KEY] = language
    else:
        session.pop(SESSION_LANGUAGE_KEY, None)


def save_language(user, language: str) -> None:
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})


@receiver(user_logged_in)
def language_into_session(sender, request, user, **kwargs) -> None:
    """Sign-in copies the account's language into the session (one query, at
    sign-in only). A language no longer offered is ignored."""
    if request is None or not hasattr(request, "session"):
        return
    language = (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first() or ""
    )
    if language not in offered_languages():
        language = ""
    remember_in_session(request.session, language)
