"""The test locales must be compiled before a page can be rendered in them
(`make test` runs `make compile` first; this builds them, from a fresh
extraction of the marked messages, when it did not or when the code changed
since)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from assessments import pofiles
from tests.browser.conftest import browser, catalogue, page, sign_in  # noqa: F401 - RTL tests
from tests.security.conftest import records  # noqa: F401 - the page walk builds URLs from it

TEST_LOCALE_DIRS = ("en_XA", "ar_XB")


def ensure_test_locales() -> None:
    from django.core.management import call_command
    from django.utils.translation import trans_real

    locale = Path(settings.LOCALE_PATHS[0])
    compiled = [
        locale / name / "LC_MESSAGES" / f"{domain}.mo"
        for name in TEST_LOCALE_DIRS
        for domain in ("django", "djangojs")
    ]
    # Built from a fresh extraction: stale once any marked source is newer.
    base = Path(settings.BASE_DIR)
    sources = [
        path
        for name in pofiles.SOURCE_DIRS
        for pattern in ("*.py", "*.html", "*.js")
        for path in (base / name).rglob(pattern)
    ]
    sources += list((locale / "es" / "LC_MESSAGES").glob("*.po"))
    newest = max((path.stat().st_mtime for path in sources), default=0)
    if all(path.exists() and path.stat().st_mtime >= newest for path in compiled):
        return
    if not shutil.which("msgfmt") or not shutil.which("xgettext"):
        pytest.skip("GNU gettext (msgfmt, xgettext) is missing: apt-get install gettext")
    call_command("pseudo_locales", fresh=True, verbosity=0)
    call_command("compilemessages", locale=list(TEST_LOCALE_DIRS), verbosity=0)
    # Django 5.2.19 caches the catalogue lookup behind check_for_language.
    for cached in (
        "check_for_language",
        "translation_catalog_exists",
        "get_supported_language_variant",
    ):
        clear = getattr(getattr(trans_real, cached, None), "cache_clear", None)
        if clear:
            clear()
    trans_real._translations = {}


@pytest.fixture(scope="session", autouse=True)
def test_locales_compiled():
    ensure_test_locales()
