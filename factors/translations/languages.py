"""The languages the catalogue can be translated into: the project's
``settings.LANGUAGES`` without English (the source language).

While the project has not set ``LANGUAGES`` (Django's default lists about a
hundred), the catalogue offers the languages it ships translations for.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_info

SOURCE = "en"
SHIPPED = (("es", "Spanish"), ("ne", "Nepali"))


def _base(code: str) -> str:
    return code.lower().split("-")[0].split("_")[0]


def catalogue_languages() -> list[tuple[str, str]]:
    """(code, English name) of each language a translation may be written in."""
    if not settings.is_overridden("LANGUAGES"):
        return list(SHIPPED)
    seen: dict[str, str] = {}
    test_locales = dict(getattr(settings, "TEST_LANGUAGES", ()))
    for code, name in settings.LANGUAGES:
        if code in test_locales:
            continue  # the pseudo-locales test the interface; they have no catalogue
        base = _base(code)
        if base != SOURCE and base not in seen and base.isalpha():
            seen[base] = str(name)
    return list(seen.items())


def language_choices() -> list[tuple[str, str]]:
    """Model field choices (a callable, so migrations do not follow settings)."""
    return catalogue_languages()


def catalogue_language(code: str | None) -> str | None:
    """The catalogue language that serves the active language ``code``
    ("es-mx" is served by "es"), or None for English and unknown languages."""
    if not code:
        return None
    base = _base(code)
    return base if base in dict(catalogue_languages()) else None


def local_name(code: str) -> str:
    """The language's name in itself ("Español", "नेपाली")."""
    try:
        name = get_language_info(code)["name_local"]
    except KeyError:
        return dict(catalogue_languages()).get(code, code)
    return name[:1].upper() + name[1:]
