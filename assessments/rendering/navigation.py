"""The navigation bar of every signed-in page, rendered once per kind of page.

The bar depends on little: the links the person's role gives, the section of
the current page (marked ``aria-current``), the language of the page and the
language chosen in its picker. Its HTML (``templates/includes/navigation.html``)
is rendered once per combination of these in each process and kept. What is
the person's own or the page's, their username, the CSRF token and the page's
path (where the language picker returns), is a marker in the kept HTML, filled
in, escaped, on each request: no name, token, path or anything about a client
is kept.

Everything else in the bar is fixed while the process runs (the URL conf, the
translation catalogues, the templates), except in tests, which may change
settings (the kept bars are then dropped), and in development, where a
template may be edited (likewise).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.autoreload import file_changed
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from assessments.preferences import SESSION_LANGUAGE_KEY
from assessments.security.enrolment import can_issue as can_issue_enrolment_codes

TEMPLATE = "includes/navigation.html"

# The section each page belongs to, by view name: its link is marked as current.
SECTIONS = {
    "assessments:client": "clients",
    "assessments:results": "clients",
    "assessments:edit": "clients",
    "factors:catalogue": "catalogue",
    "factors:factor": "catalogue",
    "factors:study": "catalogue",
    "assessments:report": "reports",
    "plans:team": "team_plans",
    "assessments:audit": "audit",
    "factors:about": "about",
    "security:enrolment_codes": "enrolment_codes",
    "security:trace": "refusals",
}

# HTML comments: every text in the bar is escaped or our own, so none holds one.
_USERNAME = mark_safe("<!--nav:username-->")  # noqa: S308 (our own constants)
_CSRF_TOKEN = mark_safe("<!--nav:csrf-token-->")  # noqa: S308
_PATH = mark_safe("<!--nav:path-->")  # noqa: S308


@dataclass(frozen=True)
class Links:
    """The links a role gives, beyond those everyone signed in has."""

    clients: bool
    reports: bool  # and the team plans
    audit: bool
    admin: bool
    enrolment_codes: bool
    refusals: bool

    @classmethod
    def for_user(cls, user) -> Links:
        return cls(
            clients=user.has_perm("assessments.view_client"),
            reports=user.has_perm("assessments.view_team_report"),
            audit=user.has_perm("assessments.view_team_audit"),
            admin=user.is_staff,
            enrolment_codes=can_issue_enrolment_codes(user),
            refusals=user.is_superuser,
        )


class _Person:
    """The signed-in user as the bar's template reads it: a marker for the name."""

    is_authenticated = True

    def get_username(self) -> str:
        return _USERNAME


class _Page:
    """The request as the bar's template reads it: a marker for the path."""

    def get_full_path(self) -> str:
        return _PATH


@lru_cache(maxsize=512)
def _bar(links: Links, section: str, language: str, chosen: str, script_prefix: str) -> str:
    """The bar's HTML with markers. ``script_prefix`` is in the key because
    the links start with it; the active language and prefix are ``language``
    and ``script_prefix`` when this runs."""
    return render_to_string(
        TEMPLATE,
        {
            "links": links,
            "section": section,
            "user": _Person(),
            "request": _Page(),
            "csrf_token": _CSRF_TOKEN,
            "LANGUAGE_CODE": language,
            "language_choices": settings.LANGUAGES,
            "language_chosen": chosen,
        },
    )


def bar(request, csrf_token: str) -> SafeString:
    """The navigation bar for this request's signed-in user. ``csrf_token``:
    the page's (its other forms carry the same)."""
    match = request.resolver_match
    section = SECTIONS.get(match.view_name, "") if match is not None else ""
    chosen = request.session.get(SESSION_LANGUAGE_KEY, "")
    html = _bar(Links.for_user(request.user), section, get_language(), chosen, get_script_prefix())
    return mark_safe(  # noqa: S308 (our own template; the filled-in values are escaped)
        html.replace(_CSRF_TOKEN, escape(csrf_token))
        .replace(_USERNAME, escape(request.user.get_username()))
        .replace(_PATH, escape(request.get_full_path()))
    )


def _forget(**kwargs) -> None:
    _bar.cache_clear()


setting_changed.connect(_forget, dispatch_uid="navigation-bars")
# An edited template, under the development server (which reloads templates, not code).
file_changed.connect(_forget, dispatch_uid="navigation-bars")
