"""The Django side of the benchmark, run in a subprocess against the bench database.

    python bench/probe.py fixtures OUT.json   ids and sizes the load test needs
    python bench/probe.py queries CONFIG.json OUT.json
                                              SQL queries per page (Django's test client,
                                              in process) and the report's own timings
    python bench/probe.py static-fresh        exit 0 if collectstatic has nothing to do

The environment (DATABASE_URL, DEBUG=0, SECRET_KEY, ...) is set by bench/run.py.
"""

from __future__ import annotations

import json
import os
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

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Assessment, Client, Finding, Team  # noqa: E402
from factors.models import Factor  # noqa: E402

POOL = 64  # distinct records the load test cycles through
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
FINDING = re.compile(r'name="(finding_\d+)"')


def fixtures(out: Path) -> None:
    north = Team.objects.get(name="North")
    # Synthetic clients of the North caseworker with at least two completed
    # assessments: their page shows progress, their latest assessment has results.
    candidates = list(
        Client.objects.filter(
            team=north, reference__startswith="SYN-", caseworker__username="caseworker"
        )
        .annotate(done=Count("assessments", filter=Q(assessments__status="completed")))
        .filter(done__gte=1)
        .order_by("reference")
        .values_list("pk", "reference")[: 2 * POOL]
    )
    if len(candidates) < 2:
        raise SystemExit("probe: the bench data set has too few North clients")
    view, drafts = candidates[: len(candidates) // 2], candidates[len(candidates) // 2 :]
    results = [
        Assessment.objects.filter(client_id=pk, status="completed")
        .order_by("-date", "-id")
        .values_list("pk", flat=True)
        .first()
        for pk, _ in view
    ]
    reference = view[len(view) // 2][1]
    today = timezone.localdate()
    config = {
        "north_team": north.pk,
        "view_clients": [pk for pk, _ in view],
        "draft_clients": [pk for pk, _ in drafts],
        "results": results,
        # "SYN-XXXX-N0000": a reference prefix that matches up to a hundred clients.
        "search": reference[:-2],
        "report_start": today.replace(year=today.year - 1).isoformat(),
        "report_end": today.isoformat(),
        "sizes": {
            "clients": Client.objects.count(),
            "assessments": Assessment.objects.count(),
            "findings": Finding.objects.count(),
            "factors": Factor.objects.count(),
        },
    }
    out.write_text(json.dumps(config, indent=2))


def _signed_in(username: str, password: str) -> HttpClient:
    client = HttpClient()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    if response.status_code != 302:
        raise SystemExit(f"probe: {username} could not sign in (status {response.status_code})")
    return client


def _count(client: HttpClient, method: str, path: str, data=None, repeat: int = 2) -> dict:
    """Run the request ``repeat`` times and keep the last: the first may fill caches
    (content types, permissions) that any long-running worker has already filled."""
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(path, data or {})
    return {"queries": len(ctx.captured_queries), "status": response.status_code}


def _draft_form(client: HttpClient, client_pk: int) -> tuple[str, dict]:
    response = client.post(f"/clients/{client_pk}/assessments/new/")
    edit = response["Location"]
    html = client.get(edit).content.decode()
    data = {"csrfmiddlewaretoken": CSRF.search(html).group(1), "version": 0, "draft": "1"}
    data["date"] = timezone.localdate().isoformat()
    for i, name in enumerate(sorted(set(FINDING.findall(html)))):
        data[name] = ("present", "absent", "not_assessed")[i % 3]
    return edit, data


def _post_draft(client: HttpClient, edit: str, data: dict) -> dict:
    html = client.get(edit).content.decode()
    data["version"] = VERSION.search(html).group(1)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(edit, data)
    return {"queries": len(ctx.captured_queries), "status": response.status_code}


def _median_ms(call, runs: int) -> float:
    call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _report_timings(config: dict, supervisor: HttpClient, query: str) -> dict:
    """The report's own time, one request at a time: the whole page in process,
    and, when ``assessments.reports`` exists, its computation alone, query by query."""
    timings: dict = {}
    status = supervisor.get("/reports/" + query).status_code
    if status != 200:
        timings["status"] = status
        return timings
    runs = int(os.environ.get("BENCH_REPORT_RUNS", "7"))
    timings["page_ms"] = _median_ms(lambda: supervisor.get("/reports/" + query), runs)
    timings["csv_ms"] = _median_ms(lambda: supervisor.get("/reports/export.csv" + query), runs)
    try:
        import datetime as dt

        from assessments.reports import ReportFilters, compute_report
    except ImportError:
        return timings
    north = Team.objects.get(pk=config["north_team"])
    filters = ReportFilters(
        team_ids=(north.pk,),
        team_id=north.pk,
        team_name=north.name,
        start=dt.date.fromisoformat(config["report_start"]),
        end=dt.date.fromisoformat(config["report_end"]),
    )
    timings["compute_ms"] = _median_ms(lambda: compute_report(filters), runs)
    with CaptureQueriesContext(connection) as ctx:
        compute_report(filters)
    timings["compute_queries"] = [
        {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:160]}
        for q in ctx.captured_queries
    ]
    figures = _figures(compute_report(filters))
    timings["figures_match_raw_sql"] = figures == _raw_figures(filters, "report.sql")
    return timings


def _figures(raw) -> dict:
    """compute_report's figures, keyed as bench/report.sql labels its rows."""
    figures = {("clients", None, None): raw.clients, ("excluded", None, None): raw.excluded}
    figures[("assessments", None, None)] = raw.assessments
    figures.update({("present", None, str(k)): n for k, n in raw.present.items()})
    figures.update({("stage", None, k): n for k, n in raw.stages.items()})
    figures.update({("quarter_clients", q, None): n for q, n in raw.quarter_clients.items()})
    figures.update({("quarter_present", q, str(f)): n for (q, f), n in raw.quarter_present.items()})
    return figures


def _raw_figures(filters, name: str) -> dict:
    """The rows of a bench/ report statement, run here with the same filters (psql
    variables bound)."""
    sql = (ROOT / "bench" / name).read_text()
    sql = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    sql = sql.replace(":team", "%(team)s").replace(":'start'", "%(start)s")
    sql = sql.replace(":'end'", "%(end)s").rstrip().rstrip(";")
    params = {"team": filters.team_ids[0], "start": filters.start, "end": filters.end}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(figure, quarter, item): n for figure, quarter, item, n in cursor.fetchall()}


def queries(config_path: Path, out: Path) -> None:
    config = json.loads(config_path.read_text())
    password = os.environ["DEMO_PASSWORD"]
    counts: dict[str, dict] = {}

    anonymous = HttpClient()
    counts["floor"] = _count(anonymous, "get", "/healthz")
    counts["login"] = _count(HttpClient(), "get", "/accounts/login/")
    for _ in range(2):  # the second sign-in, with warm caches, is the one kept
        fresh = HttpClient()
        with CaptureQueriesContext(connection) as ctx:
            response = fresh.post(
                "/accounts/login/", {"username": "caseworker", "password": password}
            )
        counts["login_submit"] = {
            "queries": len(ctx.captured_queries),
            "status": response.status_code,
        }

    caseworker = _signed_in("caseworker", password)
    counts["floor_signed_in"] = _count(caseworker, "get", "/healthz")
    counts["floor_signed_in_locust"] = counts["floor_signed_in"]  # the same request
    counts["clients"] = _count(caseworker, "get", "/clients/")
    searcher = _signed_in("caseworker", password)
    searcher.post("/clients/", {"q": config["search"]})
    counts["clients_search"] = _count(searcher, "get", "/clients/")
    counts["client"] = _count(caseworker, "get", f"/clients/{config['view_clients'][0]}/")
    counts["results"] = _count(caseworker, "get", f"/assessments/{config['results'][0]}/")

    edit, data = _draft_form(caseworker, config["draft_clients"][-1])
    _post_draft(caseworker, edit, data)  # the first save creates the findings
    counts["assessment_form"] = _count(caseworker, "get", edit)
    counts["assessment_save"] = _post_draft(caseworker, edit, data)

    supervisor = _signed_in("supervisor", password)
    query = (
        f"?team={config['north_team']}&start={config['report_start']}&end={config['report_end']}"
    )
    counts["report"] = _count(supervisor, "get", "/reports/" + query)
    counts["report_csv"] = _count(supervisor, "get", "/reports/export.csv" + query)

    result = {"pages": counts}
    if os.environ.get("BENCH_REPORT_TIMINGS") == "1":
        result["report"] = _report_timings(config, supervisor, query)
    out.write_text(json.dumps(result, indent=2))


def static_fresh() -> bool:
    """Whether STATIC_ROOT already holds every static file, none changed since:
    collectstatic (hashing and compressing everything) is then skipped."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    paths = json.loads(manifest.read_text()).get("paths", {})
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if path.replace(os.sep, "/") not in paths:
                return False
            if os.path.getmtime(storage.path(path)) > built:
                return False
    return True


if __name__ == "__main__":
    command, *paths = sys.argv[1:]
    if command == "static-fresh":
        sys.exit(0 if static_fresh() else 1)
    elif command == "fixtures":
        fixtures(Path(paths[0]))
    elif command == "queries":
        queries(Path(paths[0]), Path(paths[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")
