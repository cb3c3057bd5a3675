"""Fixtures for the supervisor report: hand-made caseloads and a headless browser."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest

from assessments.reports.periods import ReportFilters
from factors.models import Factor

CHROMIUM = "/usr/bin/chromium"


def filters_for(teams, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30), **context):
    teams = list(teams)
    return ReportFilters(
        team_ids=tuple(t.pk for t in teams),
        team_id=teams[0].pk if len(teams) == 1 else None,
        team_name=teams[0].name if len(teams) == 1 else "All my teams",
        start=start,
        end=end,
        **context,
    )


@pytest.fixture
def slugs(db) -> list[str]:
    return list(Factor.objects.active().in_catalogue_order().values_list("slug", flat=True))


@pytest.fixture
def in_browser(monkeypatch):
    """Run ``steps(browser)`` with headless Chromium, in a thread of its own.

    Playwright's sync API runs an event loop in the thread that starts it, and
    refuses to start where one already runs (as when the shared session browser
    of tests/browser is alive), so this one gets a thread of its own.
    """
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing: browser tests need Debian's chromium (make chromium)"
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # The ORM refuses to run in a thread with a running event loop; set for this
    # test only, so that a subprocess (manage.py check --deploy) does not inherit it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    def run(steps) -> None:
        failure: list[BaseException] = []

        def target() -> None:
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM,
                        headless=True,
                        args=[
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                        ],
                    )
                    try:
                        steps(browser)
                    finally:
                        browser.close()
            except BaseException as exc:  # re-raised in the test's thread
                failure.append(exc)

        thread = threading.Thread(target=target, name="report-browser")
        thread.start()
        thread.join(timeout=120)
        if thread.is_alive():
            pytest.fail("the browser test did not finish within 120 s")
        if failure:
            raise failure[0]

    return run


@pytest.fixture
def no_noise(monkeypatch):
    """Suppression alone, as if the perturbation table added nothing: for tests of
    what is counted, not of the perturbation."""
    from assessments.reports import disclosure

    monkeypatch.setattr(disclosure, "PTABLE", (0,) * disclosure.KEY_RANGE)
