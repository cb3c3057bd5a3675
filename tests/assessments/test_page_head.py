"""The head's stylesheets, icon and scripts kept per language
(assessments/rendering/page_head.py): the same HTML as the template rendered afresh, the
direction's stylesheet and the language in the addresses, for each language."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from assessments.rendering import page_head


@pytest.mark.parametrize(
    ("language", "stylesheet"),
    [
        ("en-gb", "bootstrap/css/bootstrap.min.css"),
        ("es", "bootstrap/css/bootstrap.min.css"),
        ("ar-xb", "bootstrap/css/bootstrap.rtl.min.css"),
    ],
)
def test_the_kept_links_are_the_template_rendered_for_the_language(language, stylesheet):
    page_head._links.cache_clear()
    with translation.override(language):
        fresh = render_to_string(
            page_head.TEMPLATE,
            {"LANGUAGE_CODE": language, "LANGUAGE_BIDI": translation.get_language_bidi()},
        ).strip()
        assert page_head.links() == fresh
        assert page_head.links() == fresh  # from what was kept
    assert f'<link rel="stylesheet" href="{static(stylesheet)}">' in fresh
    assert f'href="{reverse("print_css")}?lang={language}"' in fresh
    assert f'src="{reverse("javascript_catalog")}?lang={language}"' in fresh


@pytest.mark.django_db
def test_each_language_gets_its_own_links(client):
    spanish = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rtl = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar-xb").content.decode()
    assert "?lang=es" in spanish and "?lang=es" not in english
    assert "bootstrap.rtl" in rtl and "bootstrap.rtl" not in spanish + english
