"""Drive one page with wrk, a load generator written in C, for bench/run.py.

locust runs in Python on the same cores as the server: at the floor's rate it
takes a good part of a CPU and caps what it measures. wrk costs a few percent of
that, so the floor and the ratios against it are the server's own. wrk only
replays requests, so what a page needs is prepared here first, in Python, through
the real pages: each connection signs in once through the login form (CSRF token
from the page), gets its own session, and, for the form page, its own draft.
bench/wrk.lua then sends that session's cookie with every request. Pages that
are a multi-step flow on every request (a sign-in, a search posted with its CSRF
token, saving a draft that carries a version) stay with locust (run.py's
LOCUST_ONLY).
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
FINDING = re.compile(r'name="(finding_\d+)"')
STATUSES = ("present", "absent", "not_assessed")


class SetupError(Exception):
    """Preparing a session failed: the run is void."""


def available() -> bool:
    return shutil.which("wrk") is not None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """A browser-like session on the server under test (loopback only)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as exc:  # 3xx (not followed) and errors
            return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")

    def token(self, path: str) -> str:
        status, html, _ = self.request(path)
        found = CSRF.search(html)
        if status != 200 or not found:
            raise SetupError(f"GET {path}: status {status}" + ("" if found else ", no CSRF token"))
        return found.group(1)

    def sign_in(self, username: str, password: str) -> None:
        token = self.token("/accounts/login/")
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        status, _, _ = self.request("/accounts/login/", form)
        if status != 302:
            raise SetupError(f"{username} could not sign in (status {status})")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar if c.name != "messages")

    def drop_messages(self) -> None:
        for cookie in list(self.jar):
            if cookie.name == "messages":
                self.jar.clear(cookie.domain, cookie.path, cookie.name)

    def own_draft(self, client_pk: int) -> str:
        """A draft of this session's own, saved once (its findings exist): its form path."""
        token = self.token(f"/clients/{client_pk}/")
        status, _, location = self.request(
            f"/clients/{client_pk}/assessments/new/", {"csrfmiddlewaretoken": token}
        )
        if status != 302 or "/edit/" not in location:
            raise SetupError(f"starting a draft answered {status}")
        edit = urllib.parse.urlsplit(location).path
        status, html, _ = self.request(edit)
        version, token = VERSION.search(html), CSRF.search(html)
        fields = sorted(set(FINDING.findall(html)))
        if status != 200 or not (version and token and fields):
            raise SetupError(f"the draft's form answered {status}")
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "date": time.strftime("%Y-%m-%d"),
            "stage": "contemplation",
            "notes": "",
            "version": version.group(1),
            "draft": "Save draft",
        }
        for k, name in enumerate(fields):
            data[name] = STATUSES[k % 3]
            data["note_" + name.removeprefix("finding_")] = ""
        status, _, _ = self.request(edit, data)
        if status != 302:
            raise SetupError(f"saving the first draft answered {status}")
        self.drop_messages()
        return edit


# page -> (user, the status the working page answers with)
PAGES = {
    "floor": (None, 200),
    "floor_signed_in": ("caseworker", 200),
    "login": (None, 200),
    "clients": ("caseworker", 200),
    "client": ("caseworker", 200),
    "assessment_form": ("caseworker", 200),
    "results": ("caseworker", 200),
    "report": ("supervisor", 200),
    "report_csv": ("supervisor", 200),
}


_SESSIONS: dict[tuple[str, str | None, int], Session] = {}


def _session(base: str, user: str | None, k: int, password: str) -> Session:
    """The k-th session of ``user``, signed in once per run and reused by the pages
    that follow (each sign-in is a deliberately slow password hash)."""
    if user is None:
        return Session(base)
    key = (base, user, k)
    if key not in _SESSIONS:
        session = Session(base)
        session.sign_in(user, password)
        _SESSIONS[key] = session
    return _SESSIONS[key]


def _rotated(pool: list, k: int) -> list:
    return pool[k:] + pool[:k]


def plan(page: str, base: str, config: dict, password: str, connections: int) -> list[str]:
    """One line per connection: its cookie and the paths it cycles through."""
    user, _ = PAGES[page]
    report = (
        f"?team={config['north_team']}&start={config['report_start']}&end={config['report_end']}"
    )
    lines = []
    for k in range(connections):
        session = _session(base, user, k, password)
        if page == "assessment_form":
            paths = [session.own_draft(config["draft_clients"][k % len(config["draft_clients"])])]
        elif page == "client":
            paths = [f"/clients/{pk}/" for pk in _rotated(config["view_clients"], k)]
        elif page == "results":
            paths = [f"/assessments/{pk}/" for pk in _rotated(config["results"], k)]
        elif page in ("floor", "floor_signed_in"):
            paths = ["/healthz"]
        elif page == "login":
            paths = ["/accounts/login/"]
        elif page == "clients":
            paths = ["/clients/"]
        else:
            paths = [("/reports/" if page == "report" else "/reports/export.csv") + report]
        # a first visit to the login page carries no cookie
        cookie = session.cookie_header() if user else "-"
        lines.append(f"{cookie or '-'}\t{' '.join(paths)}")
    return lines


def drive(
    page: str,
    base: str,
    config: dict,
    password: str,
    *,
    connections: int,
    duration: float,
    out: Path,
) -> dict:
    """Prepare the sessions, run wrk for ``duration`` seconds; its figures."""
    _, expect = PAGES[page]
    plan_path, result_path = out / f"{page}.wrk-plan", out / f"{page}.json"
    plan_path.write_text("\n".join(plan(page, base, config, password, connections)) + "\n")
    result_path.unlink(missing_ok=True)
    env = {
        "BENCH_WRK_PLAN": str(plan_path),
        "BENCH_WRK_EXPECT": str(expect),
        "BENCH_RESULT": str(result_path),
        "PATH": "/usr/bin:/bin",
    }
    cmd = ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{duration:g}s"]
    cmd += ["--timeout", "30s", "-s", str(BENCH / "wrk.lua"), base]
    done = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    (out / f"{page}.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0 or not result_path.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-10:]
        raise SetupError(f"wrk on {page} failed:\n  " + "\n  ".join(tail))
    figures = json.loads(result_path.read_text())
    figures["error_kinds"] = (
        {"unexpected status or socket error": figures["errors"]} if figures["errors"] else {}
    )
    return figures
