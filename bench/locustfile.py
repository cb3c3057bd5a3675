"""One page of ExitSupport under load, for bench/run.py (not meant to be run by hand).

bench/run.py starts locust once per page with the environment below. Each simulated
user signs in through the real login form (CSRF token from the page), prepares what
the page needs (its own draft, a stored search), then waits for the others. Timing
starts only when every user is ready, so sign-ins (deliberately slow password
hashing) never pollute the figures, and stops after BENCH_DURATION seconds. Every
request named after the page that completes in that window is a sample; the
figures are written to BENCH_RESULT as JSON.

    BENCH_PAGE      which page (see PAGES)
    BENCH_CONFIG    JSON written by `probe.py fixtures` (ids, search text, period)
    BENCH_USERS     how many users locust starts (the barrier waits for all of them)
    BENCH_DURATION  seconds of measurement
    BENCH_RESULT    where to write the figures
    DEMO_PASSWORD   the demo accounts' password
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import time
from itertools import count
from pathlib import Path

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, task
from locust.exception import StopUser

PAGE = os.environ.get("BENCH_PAGE", "floor")
CONFIG = (
    json.loads(Path(os.environ["BENCH_CONFIG"]).read_text()) if "BENCH_CONFIG" in os.environ else {}
)
USERS = int(os.environ.get("BENCH_USERS", "1"))
DURATION = float(os.environ.get("BENCH_DURATION", "5"))
RESULT = os.environ.get("BENCH_RESULT", "bench/out/result.json")
PASSWORD = os.environ.get("DEMO_PASSWORD", "")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
FINDING = re.compile(r'name="(finding_\d+)"')
STATUSES = ("present", "absent", "not_assessed")


class Setup(Exception):
    """The harness itself failed (a sign-in, a draft): the run is void."""


class Measure:
    """Samples of the page's requests between the moment every user is ready and
    DURATION seconds later."""

    def __init__(self) -> None:
        self.ready = 0
        self.go = Event()
        self.started = self.ended = 0.0
        self.samples: list[float] = []  # latencies of the requests that worked
        self.errors = 0
        self.error_kinds: dict[str, int] = {}
        self.fatal = ""

    def add(self, ms: float, error: str = "") -> None:
        if not self.go.is_set() or self.ended:
            return
        if error:
            self.errors += 1
            self.error_kinds[error] = self.error_kinds.get(error, 0) + 1
        else:
            self.samples.append(ms)

    def user_ready(self, environment) -> None:
        self.ready += 1
        if self.ready == USERS:
            self.started = time.perf_counter()
            self.go.set()
            gevent.spawn(self._finish, environment)

    def _finish(self, environment) -> None:
        gevent.sleep(DURATION)
        self.ended = time.perf_counter()
        self.write()
        environment.runner.quit()

    def abort(self, environment, message: str) -> None:
        if not self.fatal:
            self.fatal = message
            self.write()
            environment.process_exit_code = 2
            gevent.spawn(environment.runner.quit)

    def write(self) -> None:
        window = (self.ended or time.perf_counter()) - (self.started or time.perf_counter())
        ok = sorted(self.samples)
        result = {
            "page": PAGE,
            "users": USERS,
            "window_s": round(window, 3),
            "requests": len(ok),
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "rps": round(len(ok) / window, 2) if window > 0 else 0.0,
            "p50_ms": round(statistics.median(ok), 2) if ok else None,
            "p95_ms": round(_percentile(ok, 0.95), 2) if ok else None,
            "fatal": self.fatal,
        }
        with open(RESULT, "w") as fh:
            json.dump(result, fh, indent=2)


def _percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]


MEASURE = Measure()
NUMBERS = count()


class BenchUser(FastHttpUser):
    wait_time = constant(0)  # closed loop: each user sends its next request at once

    def on_start(self) -> None:
        self.n = next(NUMBERS)
        self.pick = self.n  # position in the pools of ids, different for each user
        try:
            getattr(self, f"setup_{PAGE}", lambda: None)()
        except Setup as exc:
            MEASURE.abort(self.environment, f"{PAGE}: user {self.n}: {exc}")
            raise StopUser from exc
        MEASURE.user_ready(self.environment)
        MEASURE.go.wait()

    # --- helpers ------------------------------------------------------------------

    def _get_html(self, path: str, name: str) -> str:
        response = self.client.get(path, name=name)
        if response.status_code != 200:
            raise Setup(f"GET {path} answered {response.status_code}")
        return response.text

    def sign_in(self, username: str) -> None:
        html = self._get_html("/accounts/login/", "_setup")
        token = CSRF.search(html)
        if not token:
            raise Setup("no CSRF token on the login page")
        response = self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": PASSWORD,
            },
            name="_setup",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise Setup(f"{username} could not sign in (status {response.status_code})")

    def _csrf_from(self, path: str) -> str:
        token = CSRF.search(self._get_html(path, "_setup"))
        if not token:
            raise Setup(f"no CSRF token on {path}")
        return token.group(1)

    def _timed(self, method: str, path: str, expect: int, **kwargs):
        """One measured request: a sample with its latency, an error unless the
        status is the one the page answers with when it works."""
        started = time.perf_counter()
        response = self.client.request(method, path, name=PAGE, allow_redirects=False, **kwargs)
        ms = (time.perf_counter() - started) * 1000
        MEASURE.add(ms, "" if response.status_code == expect else f"HTTP {response.status_code}")
        return response

    def _next(self, pool: list[int]) -> int:
        self.pick += USERS
        return pool[self.pick % len(pool)]

    # --- the floor: the health check, one row read ------------------------------

    @task
    def work(self) -> None:
        getattr(self, f"page_{PAGE}")()

    def page_floor(self) -> None:
        self._timed("GET", "/healthz", 200)

    def setup_floor_signed_in(self) -> None:
        self.sign_in("caseworker")

    def page_floor_signed_in(self) -> None:
        self._timed("GET", "/healthz", 200)

    # the same, for the pages locust drives: their ratios compare like with like
    setup_floor_signed_in_locust = setup_floor_signed_in
    page_floor_signed_in_locust = page_floor_signed_in

    # --- sign-in ---------------------------------------------------------------

    def page_login(self) -> None:
        # a first visit: no cookies, so the page sets a fresh CSRF cookie
        self.client.cookiejar.clear()
        self._timed("GET", "/accounts/login/", 200)

    def page_login_submit(self) -> None:
        self.client.cookiejar.clear()
        token = self._csrf_from("/accounts/login/")
        self._timed(
            "POST",
            "/accounts/login/",
            302,
            data={"csrfmiddlewaretoken": token, "username": "caseworker", "password": PASSWORD},
        )

    # --- caseworker pages ----------------------------------------------------------

    def setup_clients(self) -> None:
        self.sign_in("caseworker")

    def page_clients(self) -> None:
        self._timed("GET", "/clients/", 200)

    def setup_clients_search(self) -> None:
        self.sign_in("caseworker")
        self.search_token = self._csrf_from("/clients/")

    def page_clients_search(self) -> None:
        # The search is posted and answered at once (no search text is kept in the session).
        data = {"csrfmiddlewaretoken": self.search_token, "q": CONFIG["search"]}
        self._timed("POST", "/clients/", 200, data=data)

    def setup_client(self) -> None:
        self.sign_in("caseworker")

    def page_client(self) -> None:
        self._timed("GET", f"/clients/{self._next(CONFIG['view_clients'])}/", 200)

    def setup_results(self) -> None:
        self.sign_in("caseworker")

    def page_results(self) -> None:
        self._timed("GET", f"/assessments/{self._next(CONFIG['results'])}/", 200)

    def _own_draft(self) -> None:
        """A draft of this user's own, so that no two users ever edit the same
        assessment (optimistic locking would turn their saves into conflicts)."""
        self.sign_in("caseworker")
        client_pk = CONFIG["draft_clients"][self.n % len(CONFIG["draft_clients"])]
        token = self._csrf_from(f"/clients/{client_pk}/")
        response = self.client.post(
            f"/clients/{client_pk}/assessments/new/",
            data={"csrfmiddlewaretoken": token},
            name="_setup",
            allow_redirects=False,
        )
        location = response.headers.get("location", "")
        if response.status_code != 302 or "/edit/" not in location:
            raise Setup(f"starting a draft answered {response.status_code}")
        self.edit = location.replace(self.host, "") if location.startswith("http") else location
        html = self._get_html(self.edit, "_setup")
        self.fields = sorted(set(FINDING.findall(html)))
        self.token = CSRF.search(html).group(1)
        self.version = int(VERSION.search(html).group(1))
        if not self.fields:
            raise Setup("the assessment form shows no factor")
        response = self.client.post(
            self.edit, data=self._draft(), name="_setup", allow_redirects=False
        )
        if response.status_code != 302:
            raise Setup(f"saving the first draft answered {response.status_code}")
        self.version += 1
        self._drop_messages()

    def _draft(self) -> dict:
        data = {
            "csrfmiddlewaretoken": self.token,
            "date": time.strftime("%Y-%m-%d"),
            "stage": "contemplation",
            "notes": "",
            "version": str(self.version),
            "draft": "Save draft",
        }
        for name in self.fields:
            data[name] = random.choice(STATUSES)  # noqa: S311 - synthetic answers
            data["note_" + name.removeprefix("finding_")] = ""
        return data

    def _drop_messages(self) -> None:
        """Forget the "Draft saved." message: a browser shows it on the next page,
        which the benchmark does not load; kept, messages would pile up in the session."""
        for cookie in list(self.client.cookiejar):
            if cookie.name == "messages":
                self.client.cookiejar.clear(cookie.domain, cookie.path, cookie.name)

    def setup_assessment_form(self) -> None:
        self._own_draft()

    def page_assessment_form(self) -> None:
        self._timed("GET", self.edit, 200)

    def setup_assessment_save(self) -> None:
        self._own_draft()

    def page_assessment_save(self) -> None:
        response = self._timed("POST", self.edit, 302, data=self._draft())
        if response.status_code == 302:
            self.version += 1
        else:  # a conflict re-renders the form (200): carry on from its version
            found = VERSION.search(response.text or "")
            if found:
                self.version = int(found.group(1))
        self._drop_messages()

    # --- supervisor pages ----------------------------------------------------------

    def _report_query(self) -> str:
        return (
            f"?team={CONFIG['north_team']}&start={CONFIG['report_start']}"
            f"&end={CONFIG['report_end']}"
        )

    def setup_report(self) -> None:
        self.sign_in("supervisor")

    def page_report(self) -> None:
        self._timed("GET", "/reports/" + self._report_query(), 200)

    def setup_report_csv(self) -> None:
        self.sign_in("supervisor")

    def page_report_csv(self) -> None:
        self._timed("GET", "/reports/export.csv" + self._report_query(), 200)
