"""The stylesheets, icon and scripts in every page's head, rendered once per
language.

They depend on the language alone (its direction picks the stylesheet; the
print stylesheet and the JavaScript catalogue carry it in their address), on
the script prefix their addresses start with and on the static files' manifest:
all fixed while the process runs, except in tests, which may change settings,
and in development, where a template may be edited (the kept heads are then
dropped). Nothing about the person or the page is in them.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi

TEMPLATE = "includes/head_links.html"


@lru_cache(maxsize=64)
def _links(language: str, bidi: bool, script_prefix: str) -> str:
    """The active language and script prefix are ``language`` and
    ``script_prefix`` when this runs; they are the key."""
    html = render_to_string(TEMPLATE, {"LANGUAGE_CODE": language, "LANGUAGE_BIDI": bidi})
    return html.strip()  # base.html places and indents it


def links() -> SafeString:
    return mark_safe(_links(get_language(), get_language_bidi(), get_script_prefix()))  # noqa: S308 (our own template)


def _forget(**kwargs) -> None:
    _links.cache_clear()


setting_changed.connect(_forget, dispatch_uid="page-head-links")
# An edited template, under the development server (which reloads templates, not code).
file_changed.connect(_forget, dispatch_uid="page-head-links")
