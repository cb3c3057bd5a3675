"""Every page in the pseudo-locale, for every role: what visible English is
left outside the data.

The pseudo-locale ("en-xa", ``manage.py pseudo_locales``) accents every letter
of every translated string, so a run of plain ASCII letters on a page is
either data (what the database holds: factor labels, quotes, client
references, notes, usernames, team names...), an allowed name, or interface
text nobody marked for translation. ``leftovers`` returns the last kind, per
page; ``format_report`` is the per-page summary for the closing note.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

PSEUDO = "en-xa"

# Not English to translate, and why.
ALLOWLIST = [
    # The product's name is never translated.
    "ExitSupport",
    # The review, cited: its title and author stay as published.
    "The Factors Involved in the Exit from Sex Trafficking: A Review",
    "Ferrari",
    "Journal of International Women's Studies",
    # Each language is offered in its own name (the picker).
    "English",
    "Español",
    # Django's admin writes these as the alt text of its yes/no icons, in
    # English in every language (django/contrib/admin/templatetags/admin_list.py).
    "True",
    "False",
    "None",
    # Third-party models' names that their projects do not translate (no
    # msgid in their catalogues) and that we cannot rename without a
    # migration in their apps: django-otp's device, django-axes' expiry
    # record, and django-axes' name for one access record (its __str__).
    "TOTP devices",
    "TOTP device",
    "access attempt expiration",
    "Access Log for",
    # django-axes' list filter on its "locked out" flag (field name, not in
    # its catalogues).
    "Locked Out",
]

ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")


class VisibleText(HTMLParser):
    """Text nodes (outside script and style) and the attributes a person sees
    or hears: title, aria-label, placeholder, alt, and the value of buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name in ATTRIBUTES:
            if values.get(name):
                self.chunks.append(values[name])
        is_button = tag == "input" and values.get("type") in ("submit", "button", "reset")
        if is_button and values.get("value"):
            self.chunks.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(chunk.split()) for chunk in parser.chunks if chunk.strip()]


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _pieces(text: str) -> Iterable[str]:
    """A stored text as a page may show it: whole, line by line, sentence by
    sentence, wrapped as the report's charts wrap a factor's label, and cut
    short as the admin's breadcrumbs cut a record's name (truncatewords:18)."""
    from django.utils.text import Truncator

    from assessments.reports.charts import _label_lines

    yield text
    yield from text.splitlines()
    yield from re.split(r"(?<=[.!?])\s+", text)
    if len(text) < 200:
        yield from (line for _, line in _label_lines(" ".join(text.split()), 0))
    if len(text.split()) > 18:
        yield Truncator(text).words(18, truncate=" …")


def _row_strings(model, row: dict) -> Iterable[str]:
    """Values a page shows made from one row's fields: joined, or written out
    as the admin writes them."""
    from django.contrib.auth.hashers import identify_hasher

    from assessments.security.models import SecurityEvent

    if model is SecurityEvent and row.get("path"):
        # The security trace shows the request: "GET /admin/auth/user/".
        yield f"{row['method']} {row['path']}"
    for name, value in row.items():
        if isinstance(value, dict | list):
            # A JSON field: as its admin form writes it, and as the history
            # page writes a change (Python's str of the value, or of each item).
            yield json.dumps(value, ensure_ascii=False)
            yield str(value)
            if isinstance(value, list):
                yield f"[{', '.join(map(str, value))}]"
        elif name == "password" and value:
            # A password's summary in the user's admin page: the algorithm's
            # name and the masked salt and hash.
            with contextlib.suppress(ValueError):
                yield from map(str, identify_hasher(value).safe_summary(value).values())


def database_strings() -> set[str]:
    """Every text value in the database: each whole value, each line and each
    sentence of it (and each line of it as a chart wraps it), whitespace
    normalised, and what a page shows joined from one row's fields."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields or model._meta.db_table == "django_session":
            continue
        for row in model._default_manager.values(*fields):
            values = [*row.values(), *_row_strings(model, row)]
            for value in values:
                for text in _strings(value):
                    for piece in _pieces(text):
                        piece = " ".join(piece.split())
                        if len(piece) >= 2 and WORD.search(piece):
                            found.add(piece)
    return found


class Scrubber:
    def __init__(self, data: set[str]) -> None:
        self.data = data
        self.by_length = sorted(data | set(ALLOWLIST), key=len, reverse=True)

    def leftovers(self, html: str) -> list[str]:
        found = []
        for chunk in visible_text(html):
            if chunk in self.data:
                continue
            rest = chunk
            if WORD.search(rest):
                for text in self.by_length:
                    if len(text) <= len(rest) and text in rest:
                        rest = rest.replace(text, " ")
                        if not WORD.search(rest):
                            break
            if WORD.search(rest):
                found.append(chunk if len(chunk) <= 100 else chunk[:97] + "…")
        return list(dict.fromkeys(found))


def format_report(results: dict[tuple[str, str], list[str]], detail: int = 5) -> str:
    """Per page and role: how many English phrases are left, and the first few."""
    pages = len(results)
    clean = sum(1 for found in results.values() if not found)
    total = sum(len(found) for found in results.values())
    lines = [
        f"Pseudo-locale ({PSEUDO}) over every page: {pages} page views, {clean} without "
        f"English left, {total} English phrases left in all.",
        "",
        f"{'role':<16} {'left':>4}  page",
    ]
    for (role, url), found in sorted(results.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"{role:<16} {len(found):>4}  {url}")
        for phrase in found[:detail]:
            lines.append(f"{'':<16} {'':>4}    · {phrase}")
        if len(found) > detail:
            lines.append(f"{'':<16} {'':>4}    · … and {len(found) - detail} more")
    return "\n".join(lines) + "\n"
