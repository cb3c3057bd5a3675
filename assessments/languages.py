"""The languages a client's copy of the plan can be printed in.

``Client.language`` takes its choices from here, through a callable, so that a
change to ``settings.LANGUAGES`` never needs a migration. Test locales (the
pseudo-locale and the right-to-left one, listed in ``settings.TEST_LANGUAGES``)
exist to test the interface and are never offered for a client.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

LANGUAGE_LABEL = _("language of the client's copy of the plan")
LANGUAGE_HELP = _(
    "The client's copy of the support plan prints in this language, whatever language you work in."
)


def test_language_codes() -> set[str]:
    """Codes of the test locales, from ``settings.TEST_LANGUAGES`` (codes, or
    (code, name) pairs as in ``LANGUAGES``)."""
    codes = set()
    for entry in getattr(settings, "TEST_LANGUAGES", ()):
        codes.add(entry if isinstance(entry, str) else entry[0])
    return codes


def client_languages() -> list[tuple[str, str]]:
    """``settings.LANGUAGES`` without the test locales."""
    hidden = test_language_codes()
    return [(code, name) for code, name in settings.LANGUAGES if code not in hidden]


def client_language_choices() -> list[tuple[str, str]]:
    """The choices of ``Client.language``: blank first, meaning "print the copy in
    the language the caseworker is using"."""
    return [("", _("Same as the caseworker's")), *client_languages()]
