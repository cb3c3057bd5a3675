"""A supervisor opens the report in a real browser and downloads the CSV."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from factors.models import Factor
from tests.conftest import PASSWORD, make_assessment, make_client, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseload(db):
    # Live-server tests are transactional: the catalogue from the data migration
    # may have been flushed by an earlier test.
    if Factor.objects.count() == 0:
        from factors.catalogue import import_catalogue, load_review_data

        import_catalogue(load_review_data())
    from assessments.models import Team
    from assessments.roles import SUPERVISORS, ensure_roles

    ensure_roles()
    north = Team.objects.create(name="North")
    supervisor = make_user("supervisor", SUPERVISORS, [north])
    slugs = list(Factor.objects.active().values_list("slug", flat=True))
    today = dt.date.today()
    for i in range(12):
        client = make_client(north, reference=f"B-{i:03d}")
        make_assessment(client, present=slugs[: 1 + i % 6], date=today - dt.timedelta(days=40))
    return supervisor


def test_a_supervisor_opens_the_report_and_downloads_the_csv(
    live_server, in_browser, caseload, tmp_path, no_noise
):
    def steps(browser) -> None:
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "supervisor")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.click("nav >> text=Reports")
        page.wait_for_selector("h1:has-text('Caseload report')")
        assert page.locator("#report-summary [data-cell=clients]").inner_text() == "12"
        title = page.locator("svg#bars-individual > title").text_content()
        assert title.startswith("Individual")
        assert page.locator("svg#bars-individual").is_visible()
        if shot := os.environ.get("REPORT_SCREENSHOT"):
            page.screenshot(path=shot, full_page=True)

        with page.expect_download() as info:
            page.click("#report-csv")
        download = info.value
        assert download.suggested_filename.startswith("exitsupport-report-all-teams-")
        assert download.suggested_filename.endswith("-age-any-route-any-setting-any.csv")
        path = tmp_path / "report.csv"
        download.save_as(path)
        text = path.read_text(encoding="utf-8")
        assert text.startswith('"# ExitSupport supervisor report')
        assert '"summary","clients counted","12"' in text
        # No CSP violation or script error (a missing favicon is not one).
        assert not [e for e in errors if "favicon" not in e and "404" not in e], errors
        context.close()

    in_browser(steps)
