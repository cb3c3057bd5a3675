"""The navigation bar kept per kind of page (assessments/rendering/navigation.py): the
same HTML as the template rendered with the request's own values, for every
role, section and language; never one person's name, token or path in another's
page or in what is kept; and a role or language change shows at once."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from assessments.preferences import SESSION_LANGUAGE_KEY
from assessments.rendering import navigation
from assessments.roles import SUPERVISORS

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def nav_of(html: str) -> str:
    return html[html.index("<header>") : html.index("</header>")]


def direct(request, token: str) -> str:
    """The bar's template rendered with the request's own values, uncached."""
    return render_to_string(
        navigation.TEMPLATE,
        {
            "links": navigation.Links.for_user(request.user),
            "section": navigation.SECTIONS.get(request.resolver_match.view_name, ""),
            "user": request.user,
            "request": request,
            "csrf_token": token,
            "LANGUAGE_CODE": translation.get_language(),
            "language_choices": settings.LANGUAGES,
            "language_chosen": request.session.get(SESSION_LANGUAGE_KEY, ""),
        },
    )


def request_for(user, path: str, session: dict | None = None):
    request = RequestFactory().get(path)
    request.user = user
    request.session = session or {}
    request.resolver_match = resolve(request.path)
    return request


@pytest.fixture
def people(caseworker, supervisor, catalogue_admin, superuser):
    return [caseworker, supervisor, catalogue_admin, superuser]


PAGES = [
    "/accessibility/",
    "/clients/",
    "/catalogue/",
    "/catalogue/about/",
    "/catalogue/studies/",
    "/reports/",
    "/plans/team/",
    "/audit/",
    "/security/enrolment-codes/",
    "/security/trace/",
]


@pytest.mark.parametrize("language", ["en-gb", "es", "ne"])
def test_the_kept_bar_filled_in_is_the_template_rendered_with_the_real_values(
    people, language, client_record
):
    navigation._bar.cache_clear()
    pages = [*PAGES, client_record.get_absolute_url(), '/clients/?page=2&q=<b>"x"\'&amp;']
    with translation.override(language):
        for user in people:
            user.username = f"{user.username}<&>'\""  # escaped like any other value
            for path in pages:
                for chosen in ("", "es"):
                    request = request_for(user, path, {SESSION_LANGUAGE_KEY: chosen})
                    token = get_token(request)
                    assert navigation.bar(request, token) == direct(request, token), (path, user)
                    # the second time from what was kept
                    assert navigation.bar(request, token) == direct(request, token), (path, user)


def test_nothing_of_a_person_or_a_page_is_kept(caseworker, client_record):
    navigation._bar.cache_clear()
    path = client_record.get_absolute_url() + "?note=private"
    request = request_for(caseworker, path)
    token = get_token(request)
    html = navigation.bar(request, token)
    assert caseworker.username in html and token in html and path in html
    key = (navigation.Links.for_user(caseworker), "clients", "en-gb", "", "/")
    with translation.override("en-gb"):
        kept = navigation._bar(*key)
    assert navigation._bar.cache_info().hits == 1  # the same entry as the page's
    for personal in (caseworker.username, token, path):
        assert personal not in kept


def test_two_people_of_the_same_role_each_see_only_their_own_name_and_token(caseworker, teammate):
    pages = {}
    for person in (caseworker, teammate, caseworker):  # the kept bar is used both ways
        http = HttpClient()
        http.force_login(person)
        pages.setdefault(person.username, []).append(
            http.get(reverse("factors:about")).content.decode()
        )
    for person, other in ((caseworker, teammate), (teammate, caseworker)):
        for html in pages[person.username]:
            assert f">{person.username}<" in nav_of(html)
            assert f">{other.username}<" not in nav_of(html)
    tokens = [set(TOKEN.findall(html)) for htmls in pages.values() for html in htmls]
    assert all(len(page_tokens) == 1 for page_tokens in tokens)  # one token per page
    assert len(set.union(*tokens)) == 3  # never another page's


def test_every_form_of_a_page_carries_the_same_token(login, caseworker):
    html = login(caseworker).get(reverse("assessments:clients")).content.decode()
    tokens = TOKEN.findall(html)
    assert len(tokens) >= 3  # the search, the language picker, signing out
    assert len(set(tokens)) == 1


def test_the_bar_follows_the_role_at_once(login, caseworker):
    http = login(caseworker)
    report = f'href="{reverse("assessments:report")}"'
    assert report not in nav_of(http.get(reverse("factors:about")).content.decode())
    caseworker.groups.add(Group.objects.get(name=SUPERVISORS))
    assert report in nav_of(http.get(reverse("factors:about")).content.decode())
    caseworker.groups.clear()
    caseworker.user_permissions.add(Permission.objects.get(codename="view_client"))
    nav = nav_of(http.get(reverse("factors:about")).content.decode())
    assert report not in nav and f'href="{reverse("assessments:clients")}"' in nav


def test_the_bar_follows_the_language_and_the_choice_in_the_picker(login, caseworker):
    http = login(caseworker)
    english = nav_of(http.get(reverse("factors:about")).content.decode())
    spanish = nav_of(http.get(reverse("factors:about"), HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert ">Sign out<" in english and ">Sign out<" not in spanish
    assert '<option value="" selected>' in spanish
    http.post(reverse("set_language"), {"language": "ne"})
    nepali = nav_of(http.get(reverse("factors:about")).content.decode())
    assert '<option value="ne" lang="ne" selected>' in nepali
    assert '<option value="" selected>' not in nepali


@pytest.mark.parametrize(
    ("view", "link"),
    [
        ("assessments:client", "assessments:clients"),
        ("assessments:results", "assessments:clients"),
        ("assessments:edit", "assessments:clients"),
        ("factors:catalogue", "factors:catalogue"),
        ("factors:factor", "factors:catalogue"),
        ("factors:study", "factors:catalogue"),
        ("assessments:report", "assessments:report"),
        ("plans:team", "plans:team"),
        ("assessments:audit", "assessments:audit"),
        ("factors:about", "factors:about"),
        ("security:enrolment_codes", "security:enrolment_codes"),
        ("security:trace", "security:trace"),
    ],
)
def test_each_section_marks_its_link(superuser, view, link):
    """As the template marked them before the bar was kept (view name by view name)."""
    request = request_for(superuser, reverse("factors:about"))
    request.resolver_match.view_name = view
    nav = navigation.bar(request, "token")
    assert nav.count("aria-current") == 1
    assert f'href="{reverse(link)}" aria-current="true"' in nav


@pytest.mark.parametrize(
    "view", ["assessments:clients", "factors:studies", "factors:versions", "accessibility"]
)
def test_other_pages_mark_no_link(superuser, view):
    request = request_for(superuser, reverse("factors:about"))
    request.resolver_match.view_name = view
    assert "aria-current" not in navigation.bar(request, "token")
