"""The interface language: the browser's until the person chooses, then the
account's (kept across sign-out and sign-in), the picker (CSRF, safe
redirects, refusing unknown codes), and the words served to scripts and print."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from assessments.language import css_string, page_counter_content
from assessments.preferences import UserPreference
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    text = response.content.decode()
    start = text.index('<html lang="') + len('<html lang="')
    return text[start : text.index('"', start)]


def test_languages_and_the_test_locales():
    codes = [code for code, _ in settings.LANGUAGES]
    assert codes[:3] == ["en-gb", "es", "ne"]
    # The test suite offers the test locales; production does not by default.
    assert {"en-xa", "ar-xb"} <= set(codes)
    assert settings.TEST_LANGUAGES and not any(
        code in ("en-xa", "ar-xb") for code, _ in settings.LANGUAGES[:3]
    )
    with translation.override("ar-xb"):
        assert translation.get_language_bidi() is True
    with translation.override("en-xa"):
        assert translation.get_language_bidi() is False
    assert translation.get_language_info("ar-xb")["bidi"] is True


def test_middleware_order():
    chain = settings.MIDDLEWARE
    locale = chain.index("django.middleware.locale.LocaleMiddleware")
    assert chain.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < chain.index("django.middleware.common.CommonMiddleware")
    assert chain.index("assessments.language.UserLanguageMiddleware") == locale + 1


def test_the_browsers_language_is_followed(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.5")
    assert html_lang(response) == "en-gb"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ne")
    assert html_lang(response) == "ne"


def test_the_right_to_left_locale_sets_dir_and_bootstraps_rtl_stylesheet(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar-xb")
    text = response.content.decode()
    assert '<html lang="ar-xb" dir="rtl">' in text
    assert "bootstrap.rtl.min.css" in text
    ltr = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es" dir="ltr">' in ltr and "bootstrap.rtl" not in ltr


def test_the_accounts_choice_overrides_the_browser_and_survives_sign_out(client, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("set_language"), {"language": "ne", "next": reverse("factors:catalogue")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("factors:catalogue")
    assert UserPreference.objects.get(user=caseworker).language == "ne"
    page = client.get(reverse("factors:catalogue"), HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(page) == "ne"

    # Signed out, on another browser (no cookie): the sign-in page follows
    # that browser; after signing in, the account's choice again.
    client.post(reverse("logout"))
    other = HttpClient()
    assert html_lang(other.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es")) == "es"
    other.post(
        reverse("login"),
        {"username": caseworker.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    page = other.get(reverse("factors:catalogue"), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    assert html_lang(page) == "ne"


def test_following_the_browser_again(client, caseworker):
    UserPreference.objects.create(user=caseworker, language="ne")
    client.post(reverse("login"), {"username": caseworker.username, "password": PASSWORD})
    assert html_lang(client.get(reverse("factors:catalogue"), HTTP_ACCEPT_LANGUAGE="es")) == "ne"
    client.post(reverse("set_language"), {"language": ""})
    assert UserPreference.objects.get(user=caseworker).language == ""
    assert html_lang(client.get(reverse("factors:catalogue"), HTTP_ACCEPT_LANGUAGE="es")) == "es"


def test_a_signed_in_page_pays_no_query_for_the_language(
    client, caseworker, django_assert_max_num_queries
):
    """The choice is read at sign-in only: a page costs the same with it."""
    client.force_login(caseworker)
    client.get(reverse("factors:about"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("factors:about"))
    client.post(reverse("set_language"), {"language": "es"})
    with CaptureQueriesContext(connection) as after:
        page = client.get(reverse("factors:about"))
    assert html_lang(page) == "es"
    assert len(after.captured_queries) <= len(before.captured_queries)
    assert not any("userpreference" in q["sql"] for q in after.captured_queries)


def test_the_anonymous_picker_sets_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert UserPreference.objects.count() == 0
    assert html_lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ne")) == "es"


def test_the_picker_is_on_the_sign_in_page_and_in_the_navigation(client, caseworker):
    sign_in = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in sign_in
    assert 'name="csrfmiddlewaretoken"' in sign_in
    client.force_login(caseworker)
    page = client.get(reverse("factors:about")).content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert f'action="{reverse("set_language")}"' in nav
    assert 'lang="ne"' in nav and "नेपाली" in nav


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "http://testserver.evil/", "javascript:alert(1)"],
)
def test_an_open_redirect_is_refused(client, target):
    response = client.post(reverse("set_language"), {"language": "es", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_a_referer_elsewhere_is_not_followed_either(client, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("set_language"), {"language": "es"}, HTTP_REFERER="https://evil.example/"
    )
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("code", ["xx", "de", "es<script>", "e" * 300, "../../etc"])
def test_an_unknown_language_is_refused_never_a_server_error(client, caseworker, code):
    client.force_login(caseworker)
    response = client.post(reverse("set_language"), {"language": code})
    assert response.status_code == 400
    assert not UserPreference.objects.exists()


def test_an_unknown_cookie_or_header_falls_back_to_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-bogus"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zz, ;q=bad")
    assert response.status_code == 200
    assert html_lang(response) == "en-gb"


def test_the_picker_needs_csrf_and_post(caseworker):
    strict = HttpClient(enforce_csrf_checks=True)
    assert strict.post(reverse("set_language"), {"language": "es"}).status_code == 403
    assert strict.get(reverse("set_language")).status_code == 405


def test_the_javascript_catalogue_is_a_script_of_our_own(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-xa").content.decode()
    src = f"{reverse('javascript_catalog')}?lang=en-xa"
    assert f'<script src="{src}" defer></script>' in page
    assert page.index(src) < page.index("js/app.js")
    response = client.get(src, HTTP_ACCEPT_LANGUAGE="en-xa")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    body = response.content.decode()
    assert "django.gettext" in body or "gettext" in body
    assert "Stay signed in" in body  # the test locale's catalogue carries the JS strings
    assert "⟦" in body or "\\u27e6" in body


def test_print_margins_are_translated_and_escaped(client):
    english = client.get(reverse("print_css")).content.decode()
    assert '@top-right { content: "Confidential";' in english
    assert 'content: "Page " counter(page) " of " counter(pages);' in english
    pseudo = client.get(reverse("print_css"), HTTP_ACCEPT_LANGUAGE="en-xa")
    assert pseudo["Content-Type"].startswith("text/css")
    text = pseudo.content.decode()
    assert "Confidential" not in text and text.isascii()
    rtl = client.get(reverse("print_css"), HTTP_ACCEPT_LANGUAGE="ar-xb").content.decode()
    assert "@top-left" in rtl and "@top-right" not in rtl


def test_css_strings_cannot_break_out():
    assert css_string('a"b\\c</style>') == '"a\\000022b\\00005cc\\00003c/style\\00003e"'
    assert css_string("Página") == '"P\\0000e1gina"'
    assert page_counter_content("%(pages)s中的第%(page)s页") == (
        'counter(pages) "\\004e2d\\007684\\007b2c" counter(page) "\\009875"'
    )
