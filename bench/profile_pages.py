"""Where a signed-in page's time goes, in process: time, SQL and a cProfile per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/exitsupport_bench DEBUG=0 \\
        SECRET_KEY=x ALLOWED_HOSTS=testserver .venv/bin/python bench/profile_pages.py \\
        [--runs 200] [--profile clients,results] [--top 25] [--languages en,es] [--pages ...]

Against a database seeded by bench/run.py (the North caseworker's synthetic clients).
For each page: the median wall and CPU time (this process's) of one request through
Django's test client (the whole middleware stack, no network), its SQL queries and their time,
and, for the pages named with --profile, cProfile's functions by own and cumulative time.
With --languages, each page is measured in each language (the language cookie, as the
picker sets it), the languages interleaved run by run so that a change in the machine's load
touches them alike.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exitsupport.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Assessment, Client  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
FINDING = re.compile(r'name="(finding_\d+)"')


def _pages(caseworker: HttpClient) -> dict:
    """name -> a callable making one request (and checking its status)."""
    mine = Client.objects.filter(caseworker__username="caseworker").order_by("reference")
    client_pk = mine.values_list("pk", flat=True)[0]
    results_pk = (
        Assessment.objects.filter(client_id=client_pk, status="completed")
        .order_by("-date", "-id")
        .values_list("pk", flat=True)[0]
    )
    draft_client = mine.values_list("pk", flat=True)[1]
    edit = caseworker.post(f"/clients/{draft_client}/assessments/new/")["Location"]
    html = caseworker.get(edit).content.decode()
    data = {"csrfmiddlewaretoken": CSRF.search(html).group(1), "version": 0, "draft": "1"}
    data["date"] = timezone.localdate().isoformat()
    for i, name in enumerate(sorted(set(FINDING.findall(html)))):
        data[name] = ("present", "absent", "not_assessed")[i % 3]
    caseworker.post(edit, data)
    anonymous = HttpClient()

    def get(client, path):
        def call():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    def save(changing: bool = False):
        data["version"] = str(Assessment.objects.get(pk=int(edit.split("/")[2])).version)
        if changing:  # one note changed, as when a caseworker saves as they go
            saves.append(1)
            data[note] = f"Saved {len(saves)} times."
        response = caseworker.post(edit, data)
        assert response.status_code == 302, response.status_code
        caseworker.cookies.pop("messages", None)

    saves: list[int] = []
    note = "note_" + sorted(set(FINDING.findall(html)))[0].split("_")[1]

    return {
        "floor": get(anonymous, "/healthz"),
        "floor_signed_in": get(caseworker, "/healthz"),
        "base_page": get(caseworker, "/accessibility/"),  # the base template, signed in
        "clients": get(caseworker, "/clients/"),
        "client": get(caseworker, f"/clients/{client_pk}/"),
        "results": get(caseworker, f"/assessments/{results_pk}/"),
        "assessment_form": get(caseworker, edit),
        "assessment_save": save,  # the same answers each time
        "assessment_save_one": lambda: save(changing=True),  # one note changed each time
    }


def _p10(values: list[float]) -> float:
    return sorted(values)[len(values) // 10]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--profile", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--languages", default="en", help="e.g. en,es (the language cookie)")
    parser.add_argument("--pages", default="", help="only these pages (comma-separated)")
    parser.add_argument(
        "--stat",
        choices=("median", "p10"),
        default="median",
        help="p10: the 10th percentile, less moved by other work on a shared machine",
    )
    args = parser.parse_args()
    languages = args.languages.split(",")
    user = get_user_model().objects.get(username="caseworker")
    caseworker = HttpClient()
    caseworker.force_login(user)
    pages = _pages(caseworker)
    if args.pages:
        pages = {k: v for k, v in pages.items() if k in args.pages.split(",")}

    def use(language: str) -> None:
        caseworker.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    head = "".join(f" {lang + ' ms':>8} {lang + ' cpu':>8}" for lang in languages)
    print(f"{'page':18}{head} {'queries':>7} {'sql ms':>7}")
    for name, call in pages.items():
        counts = []
        for language in languages:
            use(language)
            for _ in range(5):
                call()  # warm caches as in a running worker
            with CaptureQueriesContext(connection) as ctx:
                call()
            captured = ctx.captured_queries  # request_started empties the log: copy it now
            counts.append(len(captured))
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        times = {lang: [] for lang in languages}
        cpu = {lang: [] for lang in languages}
        for _ in range(args.runs):
            for language in languages:
                use(language)
                started, cpu_started = time.perf_counter(), time.process_time()
                call()
                cpu[language].append((time.process_time() - cpu_started) * 1000)
                times[language].append((time.perf_counter() - started) * 1000)
        stat = statistics.median if args.stat == "median" else _p10
        cells = "".join(f" {stat(times[lang]):8.2f} {stat(cpu[lang]):8.2f}" for lang in languages)
        queries = "/".join(str(c) for c in sorted(set(counts)))
        print(f"{name:18}{cells} {queries:>7} {sql_ms:7.2f}", flush=True)
        if name in args.profile.split(","):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.runs):
                call()
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top * 2)
            for q in captured:
                print(f"    {float(q['time']) * 1000:6.2f} ms  {q['sql'][:200]}")


if __name__ == "__main__":
    main()
