"""The interface language: the account's choice over the browser's, the
language picker, and the stylesheet that carries the printed pages' words.

Order of precedence, per request: the account's choice (copied into the
session at sign-in, see ``assessments.preferences``), then the language cookie
the picker sets, then the browser's Accept-Language (the last two are
Django's LocaleMiddleware, which runs just before ``UserLanguageMiddleware``).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from assessments.preferences import (
    SESSION_LANGUAGE_KEY,
    offered_languages,
    remember_in_session,
    save_language,
)


class UserLanguageMiddleware:
    """Activate the signed-in person's chosen language, read from the session
    (no query). Place it right after django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = session.get(SESSION_LANGUAGE_KEY) if session is not None else None
        if language and language in offered_languages():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def language_picker(request) -> dict:
    """Template context for the picker (no query): the languages offered, each
    in its own name, and the account's choice ("" when it follows the browser)."""
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_LANGUAGE_KEY, "") if session is not None else ""
    return {
        "language_choices": settings.LANGUAGES,
        "language_chosen": chosen,
    }


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home") if request.user.is_authenticated else reverse("login")


@require_POST
def set_language(request):
    """Save the language chosen in the picker: on the account when signed in
    (and in the session, so the next requests need no query), and in the
    language cookie for the sign-in page. "" means "follow my browser"."""
    language = request.POST.get("language", "")
    if language and language not in offered_languages():
        return HttpResponseBadRequest(_("This language is not offered."))
    if request.user.is_authenticated:
        save_language(request.user, language)
        remember_in_session(request.session, language)
    response = HttpResponseRedirect(_safe_next(request))
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string: every character outside plain
    printable ASCII (and quotes, backslashes, angle brackets) as a CSS escape."""
    out = []
    for char in text:
        if char.isascii() and char.isprintable() and char not in '"\\<>&':
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


def page_counter_content(template: str) -> str:
    """A sentence with %(page)s and %(pages)s as CSS ``content``: strings and
    the page counters, in the translation's own order."""
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", template):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'


@require_GET
@cache_control(private=True, max_age=3600)
def print_css(request):
    """The words in a printed page's margins (CSS @page margin boxes), in the
    active language. The margin boxes belong to the named page "confidential",
    which the pages printed as confidential records use (static/css/results.css);
    the rest of the print layout is in the static stylesheets. Linked from
    base.html with the language in the URL, so a browser's cached copy never
    answers for another language."""
    confidential = css_string(_("Confidential"))
    counter = page_counter_content(_("Page %(page)s of %(pages)s"))
    # The margin boxes are physical: a right-to-left page has them on the left.
    side = "left" if translation.get_language_bidi() else "right"
    css = (
        "@page confidential {\n"
        f"  @top-{side} {{ content: {confidential}; font: 600 9pt system-ui, sans-serif; }}\n"
        f"  @bottom-{side} {{ content: {counter}; font: 9pt system-ui, sans-serif; }}\n"
        "}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")
