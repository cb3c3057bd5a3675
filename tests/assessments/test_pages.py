"""The pages about the service itself: the accessibility statement, the
favicon, and a first start that does not warn about static files."""

from __future__ import annotations

import os
import warnings

import pytest
from django.contrib.staticfiles import finders
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware


def test_the_accessibility_statement_is_open_to_anyone_and_names_its_gaps(db):
    response = HttpClient().get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Accessibility statement" in html
    assert "Known gaps" in html
    assert "axe-core" in html


def test_every_page_links_to_the_accessibility_statement_from_its_footer(db):
    html = HttpClient().get(reverse("login")).content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{reverse("accessibility")}"' in footer


def test_every_page_links_an_icon_that_static_files_provide(db):
    html = HttpClient().get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert finders.find("favicon.svg")


def test_favicon_ico_leads_to_the_icon_rather_than_a_404(db):
    response = HttpClient().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"


@pytest.mark.skipif("DEBUG" in os.environ, reason="about the development defaults (DEBUG unset)")
def test_a_fresh_checkout_starts_without_a_warning_about_collected_static_files(tmp_path):
    """`make run` on a machine that never ran collectstatic: no staticfiles/.
    (With DEBUG off, the warning stays: production must collect.)"""
    never_collected = override_settings(STATIC_ROOT=tmp_path / "never-collected")
    with never_collected, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        WhiteNoiseMiddleware(lambda request: None)
    assert [str(w.message) for w in caught] == []


def test_the_navigation_marks_the_section_of_the_current_page(login, caseworker, client_record):
    html = login(caseworker).get(client_record.get_absolute_url()).content.decode()
    nav = html[html.index('aria-label="Main"') : html.index("</nav>")]
    assert nav.count("aria-current") == 1
    assert f'href="{reverse("assessments:clients")}" aria-current="true">Clients<' in nav
