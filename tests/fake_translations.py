"""Translations for tests, before any catalogue is compiled: ``fake_catalogue``
answers from a small dict for one language (and gives the real answer for
everything else, Django's own month names included); ``pseudo_translate``
brackets every marked string, in any language. Both stand in for the
translation functions every ``gettext``, ``{% translate %}`` and lazy string
goes through, so a string that shows up changed was marked."""

from __future__ import annotations

from django.utils import translation

NAMES = ("gettext", "pgettext", "ngettext", "npgettext")


def _patch(monkeypatch, change):
    for name in NAMES:
        real = getattr(translation._trans, name)  # loads the real one first

        def fake(*args, _real=real, _name=name):
            result = _real(*args)
            if _name.startswith("n"):  # (…, singular, plural, n): the English form chosen
                english = args[-3] if args[-1] == 1 else args[-2]
            else:
                english = args[-1]
            return change(english, result)

        monkeypatch.setattr(translation._trans, name, fake)


def fake_catalogue(monkeypatch, language: str, catalogue: dict[str, str]) -> None:
    def change(english, result):
        if translation.get_language() == language and english in catalogue:
            return catalogue[english]
        return result

    _patch(monkeypatch, change)


def pseudo_translate(monkeypatch) -> None:
    _patch(monkeypatch, lambda english, result: f"[{result}]")
