"""Every page a role can GET, rendered in the pseudo-locale, shows no English
outside the data (see tests/i18n/pseudo_walk.py). The pages come from the URL
conf (tests/security/helpers.every_url), as in the accessibility walk, plus the
Django admin's pages for the catalogue admin and the superuser. Django's and
the installed apps' own words are in the pseudo-locale too (their catalogues'
messages), so the admin is checked like every other page.

The per-page summary is printed (pytest -s) and written to
test-artifacts/pseudo-locale.txt.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from tests.conftest import make_assessment, make_client
from tests.i18n.pseudo_walk import (
    PSEUDO,
    Scrubber,
    database_strings,
    format_report,
)
from tests.security.helpers import every_url

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "caseworker", "supervisor", "catalogue_admin", "superuser"]
REPORT = Path(settings.BASE_DIR) / "test-artifacts" / "pseudo-locale.txt"


@pytest.fixture
def walk_records(records, caseworker, north):
    """The security suite's records, with factors present and enough completed
    assessments that the report shows figures."""
    from factors.models import Factor

    present = [
        Factor.objects.filter(role=role).values_list("slug", flat=True).first()
        for role in ("facilitating", "hindering", "ambivalent")
    ]
    records.completed.findings.filter(factor__slug__in=present).update(status="present")
    for n in range(6):
        other = make_client(north, caseworker, reference=f"N-{n + 2:04d}")
        make_assessment(other, caseworker, present=present, stage="action")
    return records


def admin_urls() -> list[str]:
    from tests.browser.test_accessibility import admin_urls as urls

    return urls()


def walk(request, records) -> dict[tuple[str, str], list[str]]:
    users = {role: request.getfixturevalue(role) for role in ROLES if role != "anonymous"}
    pages = {}
    for role in ROLES:
        http = HttpClient(HTTP_ACCEPT_LANGUAGE=PSEUDO)
        if role != "anonymous":
            http.force_login(users[role])
        urls = every_url(records)
        if role in ("catalogue_admin", "superuser"):
            urls += admin_urls()
        for url in dict.fromkeys(urls):
            response = http.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            assert f'<html lang="{PSEUDO}"' in html, f"{url} is not in the pseudo-locale"
            pages[(role, url)] = html
    # The data once every page has been seen: pages write data too (audit
    # records, the security trace, a plan's first version).
    scrubber = Scrubber(database_strings())
    return {key: scrubber.leftovers(html) for key, html in pages.items()}


def test_no_page_shows_english_outside_the_data_in_the_pseudo_locale(request, walk_records):
    results = walk(request, walk_records)
    report = format_report(results, detail=int(os.environ.get("PSEUDO_DETAIL", "5")))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    # Every phrase left, with the pages showing it: for working through the list.
    by_phrase: dict[str, list[str]] = {}
    for (role, url), found in sorted(results.items()):
        for phrase in found:
            by_phrase.setdefault(phrase, []).append(f"{role} {url}")
    REPORT.with_suffix(".json").write_text(
        json.dumps(by_phrase, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print("\n" + report)
    assert len(results) > 40, "the walk reached too few pages"
    left = {key: found for key, found in results.items() if found}
    assert not left, report


def test_the_scrubber_sees_english_and_spares_data_and_the_pseudo_locale():
    scrubber = Scrubber({"N-0001", "Housing and shelter", "North"})
    html = (
        "<html><head><title>⟦Çļîéñţš⟧ · ExitSupport</title><style>.a{color:red}</style>"
        '<script>var english = "words";</script></head><body>'
        "<h1>⟦Çļîéñţ⟧ N-0001</h1><p>Housing and shelter</p><p>Team North</p>"
        '<button aria-label="Close the dialog">×</button>'
        '<input type="submit" value="Save draft"><input type="text" value="typed data">'
        "<p>⟦Ŝàṽé⟧ 12 / 2025</p></body></html>"
    )
    assert scrubber.leftovers(html) == ["Team North", "Close the dialog", "Save draft"]


def test_the_walk_reports_unmarked_english_in_a_template_and_not_the_data(caseworker, north):
    """A template fragment rendered in the pseudo-locale: the marked words come
    through accented, the stored values (a client's reference, an audit
    record's detail, a security trace's request) are data, and the one phrase
    nobody marked is reported."""
    from django.template import Context, Template
    from django.utils import translation

    from assessments.models import AuditEvent
    from assessments.security.models import SecurityEvent

    client = make_client(north, caseworker, reference="N-0042")
    event = AuditEvent.objects.create(
        user=caseworker,
        username=caseworker.username,
        action=AuditEvent.Action.VIEW,
        object_type=AuditEvent.ObjectType.CLIENT,
        object_id=client.pk,
        detail="plan 7 client copy",
    )
    trace = SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.FORBIDDEN, username="owner", method="GET", path="/clients/"
    )
    template = Template(
        "{% load i18n %}<h1>{% translate 'Save' %} {{ client.reference }}</h1>"
        "<p>{{ event.detail }}</p><p><code>{{ trace.method }} {{ trace.path }}</code></p>"
        "<p>Planted phrase nobody marked</p>"
        '<button aria-label="{% translate "Close" %}">×</button>'
    )
    with translation.override(PSEUDO):
        html = template.render(Context({"client": client, "event": event, "trace": trace}))
    assert "⟦" in html, "the pseudo-locale is not compiled"
    assert Scrubber(database_strings()).leftovers(html) == ["Planted phrase nobody marked"]
