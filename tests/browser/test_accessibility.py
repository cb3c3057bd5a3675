"""Every page, as each role sees it, passes axe-core with no violation of any
impact and reflows at 320 px without sideways scrolling (WCAG 1.4.10).

The pages are found by walking the URL conf (tests/security/helpers.every_url)
and keeping what answers a GET with HTML for that role, so a page added later
is checked without editing this file. The catalogue admin's pass includes the
Django admin's index, app and model pages.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib import admin
from django.test import Client as HttpClient
from django.urls import reverse

from assessments.models import Assessment, Finding
from factors.models import Factor
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
REPORT_CLIENTS = 12


@pytest.fixture(autouse=True)
def _catalogue_first(catalogue):
    """The security suite's records need the catalogue loaded before them."""


@pytest.fixture
def walk_records(records, caseworker, north):
    """The security suite's records (so an id builder added there for a new
    page works here too), with factors of every role present in the completed
    assessment and enough completed assessments that the report shows figures."""
    present = [
        Factor.objects.filter(role=role).values_list("slug", flat=True).first()
        for role in ("facilitating", "hindering", "ambivalent")
    ]
    made_present = records.completed.findings.filter(factor__slug__in=present).update(
        status=Finding.Status.PRESENT
    )
    assert made_present == len(present)
    for n in range(REPORT_CLIENTS):
        other = make_client(north, caseworker, reference=f"N-{n + 2:04d}")
        make_assessment(other, caseworker, present=present, stage="action")
    return records


def admin_urls() -> list[str]:
    """The admin's index, each app's index, and each model's list, add form
    and the change form and history of its first object."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
            urls.append(reverse(f"{prefix}_history", args=[first.pk]))
    return list(dict.fromkeys(urls))


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
def pages_as(request, page, walk_records):
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
        urls = every_url(walk_records)
        if role == "catalogue_admin":
            urls += admin_urls()
        pages = html_pages(http, urls)
        expected = {reverse(name, kwargs=_kwargs(name, walk_records)) for name in EXPECTED[role]}
        assert expected <= set(pages), f"{role} cannot reach {sorted(expected - set(pages))}"
        return pages

    return _pages_as


def _kwargs(name: str, records: Records) -> dict:
    from tests.security.helpers import RECORD_KWARGS

    return RECORD_KWARGS[name](records) if name in RECORD_KWARGS else {}


def axe_violations(page) -> list[str]:
    return describe(Axe().run(page).response["violations"])


def describe(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['nodes'][0]['target']}"
        for v in violations
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_has_an_axe_violation(page, pages_as, role):
    found = {}
    for url in pages_as(role):
        page.goto(url)
        if violations := axe_violations(page):
            found[url] = violations
    assert not found, "axe-core violations:\n" + "\n".join(
        f"{url}: {rule}" for url, rules in found.items() for rule in rules
    )


# Boxes that scroll sideways but that a keyboard cannot reach or a screen
# reader cannot name (WCAG 2.1.1, 4.1.2): a scrolling table needs both.
UNREACHABLE_SCROLL_BOXES = """() => [...document.querySelectorAll("body *")]
  .filter(el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth + 1)
  .filter(el => el.tabIndex < 0 || !(el.getAttribute("aria-label")
    || el.getAttribute("aria-labelledby")) || !el.getAttribute("role"))
  .map(el => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_at_320_px(page, pages_as, role):
    """Only the page's own labelled, focusable boxes (wide tables) may scroll."""
    page.set_viewport_size({"width": NARROW, "height": 640})
    problems = {}
    for url in pages_as(role):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW:
            problems[url] = f"page {width} px wide"
        elif boxes := page.evaluate(UNREACHABLE_SCROLL_BOXES):
            problems[url] = f"scroll box without tabindex, role or label: {boxes}"
    assert not problems, "at 320 px:\n" + "\n".join(
        f"{url}: {problem}" for url, problem in problems.items()
    )


def test_a_client_form_returned_with_errors_has_no_axe_violation(page, sign_in, caseworker):
    sign_in(caseworker)
    page.goto(reverse("assessments:client_new"))
    # Past the browser's own checks, to the server's messages.
    page.locator("[required]").evaluate_all("fields => fields.forEach(f => f.required = false)")
    page.get_by_role("button", name="Save client").click()
    assert page.locator(".invalid-feedback").count() > 0
    assert axe_violations(page) == []


def test_an_assessment_completed_with_gaps_has_no_axe_violation(page, sign_in, records):
    sign_in(records.draft.caseworker)
    page.goto(reverse("assessments:edit", kwargs={"pk": records.draft.pk}))
    page.locator("input[type=radio]").evaluate_all(
        "radios => radios.forEach(r => { r.checked = false; })"
    )
    page.get_by_role("button", name="Complete assessment").click()
    # The assessment form has its own error summary and per-factor messages.
    assert page.locator("#error-summary").count() == 1
    assert page.locator(".factor-row .field-error").count() > 0
    assert axe_violations(page) == []


# What the focused element looks like: its outline, and the contrast of the
# outline's colour with the nearest opaque background behind the element.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let back = el.parentElement, bg = [255, 255, 255];
  while (back) {
    const c = rgb(getComputedStyle(back).backgroundColor);
    if (c.length < 4 || c[3] === 1) { bg = c.slice(0, 3); break; }
    back = back.parentElement;
  }
  const style = getComputedStyle(el);
  const [a, b] = [lum(rgb(style.outlineColor)), lum(bg)];
  return {
    tag: el.tagName, type: el.type || "", name: el.name || "", value: el.value || "",
    label: (el.innerText || el.value || el.name || "").trim().slice(0, 40),
    checked: !!el.checked,
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
    contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
  };
}"""


def test_a_whole_assessment_is_completed_by_keyboard_with_the_focus_always_visible(
    page, sign_in, caseworker, north
):
    """From the client list to the results with Tab, Space, the arrow keys and
    Enter only: every unanswered factor gets its first answer with Space, the
    stage of change is picked with an arrow key, and Enter completes. Every
    element the focus lands on shows a 3 px outline at 3:1 or more."""
    client = make_client(north, caseworker, reference="KB-0001")
    sign_in(caseworker)
    page.goto(reverse("assessments:clients"))
    seen = []

    def tab_to(predicate, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            seen.append(state)
            if predicate(state):
                return state
        raise AssertionError(f"not reached by Tab: {seen[-3:]}")

    tab_to(lambda s: s["tag"] == "A" and s["label"] == "KB-0001")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{client.get_absolute_url()}")
    tab_to(lambda s: s["label"] == "New assessment")
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit/")

    answered: set[str] = set()
    for _ in range(1000):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        seen.append(state)
        if state["type"] == "radio" and state["name"] not in answered:
            if not state["checked"]:
                page.keyboard.press("Space")
            answered.add(state["name"])
        elif state["tag"] == "SELECT" and state["name"] == "stage" and not state["value"]:
            page.keyboard.press("ArrowDown")
        elif state["label"] == "Complete assessment":
            page.keyboard.press("Enter")
            break
    else:
        raise AssertionError("the Complete assessment button was never reached by Tab")
    page.wait_for_url("**/assessments/*/")

    assessment = Assessment.objects.get(client=client)
    assert assessment.status == "completed"
    assert assessment.stage
    assert assessment.findings.count() == len(answered) > 0
    unclear = [s for s in seen if s["outline"] == "none" or s["width"] < 3 or s["contrast"] < 3]
    assert unclear == [], str(unclear[:3])


def test_the_menu_opens_by_keyboard_at_320_px_and_passes_axe(page, sign_in, supervisor):
    page.set_viewport_size({"width": NARROW, "height": 640})
    sign_in(supervisor)
    menu = page.get_by_role("button", name="Menu")
    for _ in range(5):
        page.keyboard.press("Tab")
        if menu.evaluate("button => button === document.activeElement"):
            break
    page.keyboard.press("Enter")
    audit = page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail")
    audit.wait_for(state="visible")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
