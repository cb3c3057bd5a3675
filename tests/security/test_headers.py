"""Response headers and production settings: a Content-Security-Policy on
every response with no inline script, framing refused, no referrer leak,
client pages never cached, and `check --deploy` clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.helpers import RECORD_KWARGS, every_url, inline_scripts

pytestmark = pytest.mark.django_db

# Pages reached by GET (POST-only actions answer 405 to GET).
GET_PAGES = [
    "assessments:client",
    "assessments:client_edit",
    "assessments:client_reassign",
    "assessments:client_erase",
    "assessments:results",
    "assessments:edit",
]
LIST_PAGES = ["assessments:clients", "assessments:client_new", "assessments:audit"]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_csp(response):
    policy = directives(response["Content-Security-Policy"])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    script_src = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/clients/", "/catalogue/", "/no-such-page/", "/admin/"]
)
def test_every_response_carries_the_security_headers(as_role, caseworker, path):
    response = as_role("superuser").get(path)
    assert_csp(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_sign_in_page_and_its_redirects_carry_the_csp(as_role):
    assert_csp(as_role(None).get("/accounts/login/"))
    assert_csp(as_role(None).get("/clients/"))


@pytest.mark.parametrize("name", GET_PAGES + LIST_PAGES)
def test_client_and_assessment_pages_are_never_cached(as_role, records, name):
    kwargs = RECORD_KWARGS[name](records) if name in RECORD_KWARGS else {}
    response = as_role("superuser").get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_export_is_never_cached(as_role, records):
    response = as_role("supervisor").post(
        reverse("assessments:client_export", args=[records.client.pk])
    )
    assert "no-store" in response["Cache-Control"]


def test_no_page_has_inline_script_or_event_handlers(as_role, records, factor_for_admin):
    """Every page reachable by GET in the URL conf, plus the admin pages a
    catalogue admin uses, is scanned for <script> without src and on* attributes."""
    http = as_role("superuser")
    urls = every_url(records)
    urls += [
        reverse("admin:index"),
        reverse("admin:factors_factor_changelist"),
        reverse("admin:factors_factor_change", args=[factor_for_admin.pk]),
        reverse("admin:factors_factor_add"),
        reverse("admin:factors_study_add"),
        reverse("admin:assessments_client_changelist"),
    ]
    scanned = 0
    offending = {}
    for url in urls:
        response = http.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        scanned += 1
        found = inline_scripts(response.content.decode())
        if found:
            offending[url] = found
    for url in ["/accounts/login/", "/no-such-page/"]:
        found = inline_scripts(as_role(None).get(url).content.decode())
        if found:
            offending[url] = found
    assert scanned >= 15
    assert not offending


@pytest.fixture
def factor_for_admin(db):
    from factors.models import Factor

    return Factor.objects.first()


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "example.org",
}


def run_manage(*args, env=None):
    # Other tests set DJANGO_ALLOW_ASYNC_UNSAFE (Playwright); production does not.
    unset = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env or {})
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_https_only_with_a_year_of_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "False",
    ]


def test_the_app_refuses_to_start_with_the_development_secret_when_debug_is_off():
    result = run_manage("check", env={"DEBUG": "0", "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr
