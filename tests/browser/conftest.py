"""Headless Chromium from Debian's packages, driven by Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium.
Without it the browser tests are skipped with the reason, unless
REQUIRE_BROWSER_TESTS is set (as in CI), where a skip would hide a gap and
fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.security.conftest import records  # noqa: F401 - the accessibility walk builds URLs from it

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser(monkeypatch):
    """One browser per test: Playwright's sync API runs an event loop in the test
    thread while it is open, so Django's async-safety check is relaxed for the
    test's own (synchronous) ORM calls, and only for this test."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium): browser tests not run"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def catalogue(transactional_db):
    """Live-server tests are transactional and may find the catalogue flushed."""
    from factors.catalogue import import_catalogue, load_review_data
    from factors.models import Factor

    if not Factor.objects.exists():
        import_catalogue(load_review_data())


@pytest.fixture
def page(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
    # ORM calls made while Playwright's loop runs get a connection of their own
    # (asgiref's context-local storage); close it, or PostgreSQL cannot drop
    # the test database at the end of the run.
    from django.db import connections

    connections.close_all()


@pytest.fixture
def sign_in(page):
    def _sign_in(user):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return _sign_in
