"""Details that could identify a person, looked for in free text.

A caseworker is warned, and asked to confirm, before a note that seems to
hold a phone number, an e-mail address or a street address is saved. The
patterns lean towards warning: a false alarm costs one tick, a missed address
can cost a person's safety.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_noop, pgettext

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Nine or more digits, possibly grouped by spaces, dots, dashes, slashes or
# brackets, with an optional leading + (07700 900123, +44 7700 900 123).
PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s./()-]{0,2}\d){8,}(?![\w])")
# Words that name a street whatever their case, and words that do only when
# capitalised ("12 Mill Close", not "2 close friends").
STREET_WORDS = "(?i:street|road|avenue|lane|boulevard|strasse|straße|gasse|crescent|terrace)"
STREET_WORDS_CAPITALISED = (
    "(?:St|Rd|Ave|Ln|Blvd|Close|Court|Drive|Place|Square|Way|Gardens|Grove|Hill|Park|Row|"
    "Walk|Mews|Green)"
)
FOREIGN_STREET_FIRST = "(?i:calle|avenida|plaza|rue|via|ulica|strada|viale|piazza)"
# A house number before a street ("12 High Street", "5 Mill Lane"), a street
# word before the number ("Calle Mayor 5"), a compound ("Hauptstraße 12"),
# or a flat number.
STREET = re.compile(
    rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Za-z][\w'-]*\s+){{0,2}}{STREET_WORDS}\b"
    rf"|\b\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Z][\w'-]*\s+){{0,3}}{STREET_WORDS_CAPITALISED}\b"
    rf"|\b{FOREIGN_STREET_FIRST}\s+(?:(?:de|del|la|le|di|des|du)\s+){{0,2}}(?:[A-Z][\w'-]*\s+){{0,3}}"
    r"\d{1,4}\b"
    r"|\b[A-Z][\w'-]*(?i:strasse|straße|gasse|weg|platz)\s+\d{1,4}\b"
    r"|\b(?i:flat|apartment|apt)\.?\s+\d+"
)
# UK postcodes (SW1A 1AA, M1 1AE).
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")

# The kinds are English keys, translated when a message names them (describe).
KINDS = (
    (gettext_noop("an e-mail address"), EMAIL),
    (gettext_noop("a phone number"), PHONE),
    (gettext_noop("a street address"), STREET),
    (gettext_noop("a postcode"), POSTCODE),
)


def identifying_details(text: str) -> list[str]:
    """What kinds of identifying detail ``text`` seems to hold, in a fixed order."""
    found = []
    for kind, pattern in KINDS:
        if pattern.search(text):
            found.append(kind)
    return found


def describe(kinds: list[str]) -> str:
    """The kinds found, as a list in the active language ("a, b and c")."""
    return get_text_list(
        [gettext(kind) for kind in kinds], pgettext("the last item of a list", "and")
    )


def reference_pattern() -> re.Pattern:
    return re.compile(settings.CLIENT_REFERENCE_PATTERN)
