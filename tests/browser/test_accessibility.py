"""Every page, as each role sees it, passes axe-core with no violation of any
impact and reflows at 320 px without sideways scrolling (WCAG 1.4.10).

The pages are found by walking the URL conf (tests/security/helpers.every_url)
and keeping what answers a GET with HTML for that role, so a page added later
is checked without editing this file. The catalogue admin's pass includes the
Django admin's index, app and model pages.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib import admin
from django.test import Client as HttpClient
from django.urls import NoReverseMatch, reverse

from tests.conftest import make_assessment, make_client
from tests.security.helpers import Records, every_url

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ["anonymous", "caseworker", "supervisor", "catalogue_admin"]

# Pages each role must reach, so a broken sign-in cannot make the walk vacuous.
EXPECTED = {
    "anonymous": {"login", "accessibility"},
    "caseworker": {"assessments:clients", "assessments:client", "assessments:edit"},
    "supervisor": {"assessments:report", "assessments:audit", "assessments:results"},
    "catalogue_admin": {"factors:catalogue", "admin:index", "admin:factors_factor_changelist"},
}

NARROW = 320


@pytest.fixture
def records(north, south, caseworker, supervisor, outsider, catalogue):
    client = make_client(north, caseworker, reference="N-0001", nationality="Romania")
    completed = make_assessment(client, caseworker, date=dt.date(2025, 3, 1), present={})
    draft = make_assessment(client, caseworker, completed=False, date=dt.date(2025, 4, 1))
    south_client = make_client(south, outsider, reference="S-0001")
    return Records(client=client, completed=completed, draft=draft, south_client=south_client)


def admin_urls() -> list[str]:
    """The admin's index, each app's index, and each model's list, add form
    and the change form and history of its first object."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model_admin.get_queryset(_AnyRequest()).order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
            try:
                urls.append(reverse(f"{prefix}_history", args=[first.pk]))
            except NoReverseMatch:
                pass
    return list(dict.fromkeys(urls))


class _AnyRequest:
    """ModelAdmin.get_queryset reads nothing from the request but ordering."""

    user = None


def html_pages(http: HttpClient, urls: list[str]) -> list[str]:
    """The URLs that answer a GET with an HTML page (not a redirect, a 403/404
    for this role, a 405 for POST-only actions, or a download)."""
    pages = []
    for url in urls:
        response = http.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


@pytest.fixture
def pages_as(request, page, records):
    """Sign ``page`` in as the named role (by its session cookie, so the walk
    does not depend on the sign-in form) and return the pages it can GET."""

    def _pages_as(role: str) -> list[str]:
        http = HttpClient()
        if role != "anonymous":
            http.force_login(request.getfixturevalue(role))
            page.context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": http.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": request.getfixturevalue("live_server").url,
                    }
                ]
            )
        urls = every_url(records)
        if role == "catalogue_admin":
            urls += admin_urls()
        pages = html_pages(http, urls)
        expected = {reverse(name, kwargs=_kwargs(name, records)) for name in EXPECTED[role]}
        assert expected <= set(pages), f"{role} cannot reach {sorted(expected - set(pages))}"
        return pages

    return _pages_as


def _kwargs(name: str, records: Records) -> dict:
    from tests.security.helpers import RECORD_KWARGS

    return RECORD_KWARGS[name](records) if name in RECORD_KWARGS else {}


def describe(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['nodes'][0]['target']}"
        for v in violations
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_has_an_axe_violation(page, pages_as, role):
    axe = Axe()
    found = {}
    for url in pages_as(role):
        page.goto(url)
        violations = axe.run(page).response["violations"]
        if violations:
            found[url] = describe(violations)
    assert not found, "axe-core violations:\n" + "\n".join(
        f"{url}: {rule}" for url, rules in found.items() for rule in rules
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_at_320_px(page, pages_as, role):
    page.set_viewport_size({"width": NARROW, "height": 640})
    widths = {}
    for url in pages_as(role):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW:
            widths[url] = width
    assert not widths, "scroll width at 320 px:\n" + "\n".join(
        f"{url}: {width}" for url, width in widths.items()
    )
