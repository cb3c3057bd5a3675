"""ExitSupport's load benchmark on PostgreSQL: how close each page is to the floor.

    make bench           10,000 clients x 5 assessments, 20 s per page, 8 users
    make bench-quick     200 clients x 2 assessments, 3 s per page, 4 users (CI)
    make bench BENCH_ARGS="--pages floor,results --reuse-db"

Steps: start PostgreSQL if needed; build a dedicated database (migrate, seed_demo,
VACUUM ANALYZE); count each page's SQL queries in process, here and on a 100-client
copy; time the report's computation and the same aggregation as one raw SQL
statement in psql; serve the app with gunicorn on 127.0.0.1 with production
settings; drive one page at a time with locust (a separate process) for a fixed
time; print the table and write bench/results.json. See bench/README.md.

Exit status: 0 when the run completed (targets missed or not, unless --strict),
1 with --strict when a target is missed, 2 when the harness itself broke.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import wrk_driver

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = BENCH / "results.json"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"  # the benchmark never targets anything else

# (name, what is measured, target): in the order they run and print. A target is
# (base, share): at least `share` of the base's throughput, the base being the anonymous
# floor ("floor") or the signed-in floor driven by the same load generator ("signed_in":
# issue 14 measures each caseworker page against what every signed-in request pays);
# ("raw_sql", n): the report's time at most n times its raw SQL's.
PAGES = [
    ("floor", "GET /healthz, anonymous: one row read (the floor)", None),
    ("floor_signed_in", "GET /healthz with a session (session read + save)", ("floor", 0.70)),
    (
        "floor_signed_in_locust",
        "the same, driven by locust: the base of the pages locust drives",
        None,
    ),
    ("login", "GET /accounts/login/, first visit", ("floor", 0.40)),
    ("login_submit", "POST /accounts/login/ (PBKDF2 password check)", None),
    ("clients", "GET /clients/, first page", ("signed_in", 0.40)),
    ("clients_search", "POST /clients/ with a search, answered at once", ("signed_in", 0.40)),
    ("client", "GET /clients/<id>/", ("signed_in", 0.40)),
    ("assessment_form", "GET /assessments/<id>/edit/ (own draft)", ("signed_in", 0.25)),
    ("assessment_save", "POST /assessments/<id>/edit/ save draft (302)", ("signed_in", 0.20)),
    ("results", "GET /assessments/<id>/ (completed)", ("signed_in", 0.40)),
    ("report", "GET /reports/ team North, last 12 months", ("raw_sql", 2.0)),
    ("report_csv", "GET /reports/export.csv, same filters", None),
]
TARGETS = {name: target for name, _, target in PAGES}
# The load generator of each page: wrk (C) wherever one request can be replayed
# with a session prepared beforehand; locust (Python) for the multi-step flows.
LOCUST_ONLY = {"login_submit", "assessment_save", "clients_search", "floor_signed_in_locust"}
SCALING_PAGES = ("clients", "results")  # same query count at 100 and at N clients
SMALL_CLIENTS = 100


class HarnessError(Exception):
    """The benchmark could not measure (server, database, sign-in): exit 2."""


@dataclass
class Options:
    quick: bool
    clients: int
    per_client: int
    duration: float
    users: int
    workers: int
    pages: list[str]
    pg: str
    db: str
    reuse_db: bool
    strict: bool
    report_runs: int
    sql_runs: int
    locust: bool


def parse_args(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, short runs (CI)")
    parser.add_argument("--clients", type=int, help="synthetic clients (10000; quick 200)")
    parser.add_argument(
        "--assessments-per-client", type=int, help="completed assessments each (5; quick 2)"
    )
    parser.add_argument("--duration", type=float, help="seconds per page (20; quick 3)")
    parser.add_argument("--users", type=int, help="concurrent users (8; quick 4)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: 2 x CPUs, 2..4)")
    parser.add_argument(
        "--pages", help="comma-separated subset of: " + ",".join(p[0] for p in PAGES)
    )
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--db", default="exitsupport_bench", help="database (dropped, rebuilt)")
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep the database if seeded with the same sizes"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--locust", action="store_true", help="drive every page with locust (no wrk)"
    )
    args = parser.parse_args(argv)
    names = [p[0] for p in PAGES]
    pages = names if not args.pages else [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = sorted(set(pages) - set(names))
    if unknown:
        parser.error(f"unknown pages: {', '.join(unknown)}")
    pages = with_bases(pages, locust=args.locust or not wrk_driver.available())
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db):
        parser.error("--db: lower-case letters, digits and underscores only")
    if not re.fullmatch(r"postgres(ql)?://[^/@]+@(127\.0\.0\.1|localhost)(:\d+)?/?", args.pg):
        parser.error("--pg: a postgres://user@127.0.0.1:port URL (loopback only)")
    cpus = os.cpu_count() or 2
    return Options(
        quick=args.quick,
        clients=args.clients if args.clients is not None else (200 if args.quick else 10_000),
        per_client=(
            args.assessments_per_client
            if args.assessments_per_client is not None
            else (2 if args.quick else 5)
        ),
        duration=args.duration or (3.0 if args.quick else 20.0),
        users=args.users or (4 if args.quick else 8),
        workers=args.workers or max(2, min(4, 2 * cpus)),
        pages=[name for name in names if name in pages],
        pg=args.pg.rstrip("/"),
        db=args.db,
        reuse_db=args.reuse_db,
        strict=args.strict,
        report_runs=3 if args.quick else 7,
        sql_runs=3 if args.quick else 7,
        locust=args.locust,
    )


# --- small helpers -------------------------------------------------------------


def with_bases(pages: list[str], *, locust: bool) -> list[str]:
    """The pages asked for, plus the floors their ratios need: the anonymous floor
    always; the signed-in floor for a page judged against it, driven by the page's own
    load generator (a ratio between a wrk page and a locust page would mix two tools)."""
    needed = {"floor"}
    for page in pages:
        target = TARGETS.get(page)
        if target and target[0] == "signed_in":
            uses_locust = locust or page in LOCUST_ONLY
            needed.add(
                "floor_signed_in_locust" if uses_locust and not locust else "floor_signed_in"
            )
    return pages + sorted(needed - set(pages))


STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - STARTED:6.1f}s] {message}", flush=True)


def run(cmd: list[str], *, env: dict | None = None, timeout: float = 600, what: str = "") -> str:
    """Run a command to completion; its output, or HarnessError with its tail."""
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise HarnessError(f"{what or cmd[0]}: no answer within {timeout:.0f} s") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-15:]
        raise HarnessError(f"{what or ' '.join(cmd[:3])} failed:\n  " + "\n  ".join(tail))
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def pg_parts(pg: str) -> tuple[str, str, str]:
    match = re.fullmatch(r"postgres(?:ql)?://([^/@]+)@([^:/]+)(?::(\d+))?", pg)
    assert match, pg
    return match.group(1), match.group(2), match.group(3) or "5432"


def psql(opts: Options, db: str, *args: str, stdin: str | None = None, timeout: float = 300) -> str:
    user, host, port = pg_parts(opts.pg)
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U", user]
    cmd += ["-d", db, *args]
    try:
        done = subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise HarnessError(f"psql: no answer within {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise HarnessError(f"psql {' '.join(args)[:80]} failed: {done.stderr.strip()}")
    return done.stdout


# --- PostgreSQL and the data set ----------------------------------------------------


def ensure_postgres(opts: Options) -> None:
    """Start the local cluster as CI does, if it is not running."""
    _, host, port = pg_parts(opts.pg)
    ready = ["pg_isready", "-h", host, "-p", port, "-t", "3"]
    if subprocess.run(ready, capture_output=True, check=False).returncode == 0:
        return
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions or not shutil.which("pg_ctlcluster"):
        raise HarnessError("PostgreSQL is not running and no local cluster was found to start")
    log(f"starting PostgreSQL {versions[-1]} (pg_ctlcluster)")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    for _ in range(30):
        if subprocess.run(ready, capture_output=True, check=False).returncode == 0:
            return
        time.sleep(1)
    raise HarnessError(f"PostgreSQL does not answer on {host}:{port}")


def app_env(opts: Options, db: str, password: str, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "DJANGO_"))}
    env.update(
        DATABASE_URL=f"{opts.pg}/{db}",
        DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS=f"{HOST},testserver",  # testserver: the in-process test client
        SECURE_HTTPS="0",  # plain HTTP on loopback
        CONN_MAX_AGE="60",
        STATIC_MANIFEST="1",
        REQUIRE_2FA="0",
        DEMO_PASSWORD=password,
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    return env


def build_database(opts: Options, db: str, clients: int, env: dict, *, reuse: bool) -> float:
    """Migrate and seed ``db``; the seconds seeding took (0 when reused)."""
    signature = f"exitsupport-bench clients={clients} per_client={opts.per_client}"
    found = psql(
        opts,
        "postgres",
        "-At",
        "-c",
        # db is checked against [a-z_][a-z0-9_]* in parse_args
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{db}'",  # noqa: S608
    ).strip()
    if reuse and found == signature:
        log(f"{db}: reusing ({signature})")
        run([PYTHON, "manage.py", "migrate", "--noinput"], env=env, what="migrate")
        # this run's password for the demo accounts, and no sign-in lockout left over
        run([PYTHON, "manage.py", "seed_demo"], env=env, what="seed_demo (accounts)")
        run([PYTHON, "manage.py", "axes_reset"], env=env, what="axes_reset")
        return 0.0
    psql(opts, "postgres", "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    psql(opts, "postgres", "-c", f"CREATE DATABASE {db}")
    run([PYTHON, "manage.py", "migrate", "--noinput"], env=env, what="migrate")
    started = time.perf_counter()
    run(
        [PYTHON, "manage.py", "seed_demo", "--clients", str(clients)]
        + ["--assessments-per-client", str(opts.per_client)],
        env=env,
        timeout=900,
        what="seed_demo",
    )
    seconds = time.perf_counter() - started
    # Fresh bulk inserts have no planner statistics (and autovacuum may be off):
    # without them PostgreSQL picks nested loops that take minutes.
    psql(opts, db, "-c", "VACUUM (ANALYZE)")
    psql(opts, "postgres", "-c", f"COMMENT ON DATABASE {db} IS '{signature}'")
    return seconds


def collect_static(env: dict) -> None:
    fresh = subprocess.run(
        [PYTHON, str(BENCH / "probe.py"), "static-fresh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    if fresh.returncode == 0:
        log("static files: up to date")
        return
    log("collectstatic (hashes and compresses the static files)")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, what="collectstatic")


def probe(env: dict, *args: str, timeout: float = 600) -> None:
    run([PYTHON, str(BENCH / "probe.py"), *args], env=env, timeout=timeout, what="probe " + args[0])


# --- raw SQL ------------------------------------------------------------------------


def time_raw_sql(opts: Options, config: dict, path: str = "bench/report.sql") -> float:
    """Median of ``sql_runs`` timings of a report statement in psql (after a warm-up)."""
    script = "\\timing on\n\\o /dev/null\n" + f"\\i {path}\n" * (opts.sql_runs + 1)
    user, host, port = pg_parts(opts.pg)
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U", user]
    cmd += ["-d", opts.db, "-v", f"team={int(config['north_team'])}"]
    cmd += ["-v", f"start={config['report_start']}", "-v", f"end={config['report_end']}"]
    done = subprocess.run(
        cmd, cwd=ROOT, input=script, capture_output=True, text=True, timeout=300, check=False
    )
    output = done.stdout
    if done.returncode != 0:
        raise HarnessError(f"{path} failed: {done.stderr.strip()}")
    times = [float(t) for t in re.findall(r"Time: ([\d.]+) ms", output)]
    if len(times) < 2:
        raise HarnessError(f"psql printed no timing for {path}")
    return round(statistics.median(times[1:]), 2)


def explain(opts: Options, config: dict, name: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of a report statement, into bench/out/explain_<name>.txt."""
    sql = "\n".join(
        line
        for line in (BENCH / f"{name}.sql").read_text().splitlines()
        if not line.startswith("--")
    )
    output = psql(
        opts,
        opts.db,
        "-v",
        f"team={int(config['north_team'])}",
        "-v",
        f"start={config['report_start']}",
        "-v",
        f"end={config['report_end']}",
        stdin="EXPLAIN (ANALYZE, BUFFERS)\n" + sql,
    )
    (OUT / f"explain_{name}.txt").write_text(output)


# --- gunicorn and locust --------------------------------------------------------------


class Server:
    """gunicorn serving the app on 127.0.0.1, in its own process group."""

    def __init__(self, opts: Options, env: dict) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = OUT / "gunicorn.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "exitsupport.wsgi"]
            + ["-b", f"{HOST}:{self.port}", "-w", str(opts.workers)]
            + ["--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning"],
            cwd=ROOT,
            env={k: v for k, v in env.items() if k != "DEMO_PASSWORD"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        tail = self.log_path.read_text().strip().splitlines()[-15:]
        raise HarnessError("gunicorn did not serve /healthz:\n  " + "\n  ".join(tail))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.log.close()


def tool_for(opts: Options, page: str) -> str:
    if opts.locust or page in LOCUST_ONLY or not wrk_driver.available():
        return "locust"
    return "wrk"


def drive(opts: Options, server: Server, page: str, config_path: Path, env: dict) -> dict:
    """One run of the page's load generator; its figures, with the tool's name."""
    tool = tool_for(opts, page)
    if tool == "wrk":
        try:
            figures = wrk_driver.drive(
                page,
                server.url,
                json.loads(config_path.read_text()),
                env["DEMO_PASSWORD"],
                connections=opts.users,
                duration=opts.duration,
                out=OUT,
            )
        except (wrk_driver.SetupError, subprocess.TimeoutExpired, OSError) as exc:
            raise HarnessError(f"wrk on {page}: {exc}") from exc
    else:
        figures = drive_locust(opts, server, page, config_path, env)
    if server.proc.poll() is not None:
        raise HarnessError(f"gunicorn died during {page} (see {server.log_path})")
    return {**figures, "tool": tool}


def drive_locust(opts: Options, server: Server, page: str, config_path: Path, env: dict) -> dict:
    """One locust run on one page; its figures (see locustfile.Measure)."""
    result_path = OUT / f"{page}.json"
    result_path.unlink(missing_ok=True)
    locust_env = dict(env)
    locust_env.update(
        BENCH_PAGE=page,
        BENCH_CONFIG=str(config_path),
        BENCH_USERS=str(opts.users),
        BENCH_DURATION=str(opts.duration),
        BENCH_RESULT=str(result_path),
    )
    # Sign-ins come first (one PBKDF2 hash each): leave them time before the cut-off.
    limit = int(opts.duration + 60 + opts.users)
    cmd = [str(VENV_BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless"]
    cmd += ["-u", str(opts.users), "-r", str(opts.users), "-t", f"{limit}s"]
    cmd += ["--host", server.url, "--csv", str(OUT / page), "--only-summary"]
    cmd += ["--loglevel", "WARNING", "--stop-timeout", "5"]
    with open(OUT / f"{page}.log", "w") as log_file:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=locust_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=limit + 30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
            raise HarnessError(f"locust on {page} did not stop") from None
    if not result_path.exists():
        tail = (OUT / f"{page}.log").read_text().strip().splitlines()[-15:]
        raise HarnessError(f"locust on {page} wrote no figures:\n  " + "\n  ".join(tail))
    figures = json.loads(result_path.read_text())
    if figures.get("fatal"):
        raise HarnessError(f"locust on {page}: {figures['fatal']}")
    return figures


# --- output ---------------------------------------------------------------------------


def _fmt(value, spec: str = ".1f", empty: str = "—") -> str:
    return empty if value is None else format(value, spec)


def signed_in_base(page: str, tool: str, pages: dict) -> str | None:
    """The signed-in floor a page is compared with: the one its own tool drove."""
    for base in ("floor_signed_in", "floor_signed_in_locust"):
        if base != page and pages.get(base, {}).get("tool") == tool:
            return base
    return None


def judge(name: str, figures: dict, results: dict) -> tuple[str, str | None]:
    """The page's note in the table, and what to list as missed (None when met)."""
    target = TARGETS[name]
    if name == "login_submit":
        return "(password hashing: no target)", None
    if target is None:
        return "", None
    base, share = target
    if base == "raw_sql":
        ratio = results.get("report_vs_raw_sql")
        ok = ratio is not None and ratio <= share and not figures["errors"]
        note = f"<= {share:g} x raw SQL: {_fmt(ratio, '.1f')} x {'ok' if ok else 'MISSED'}"
        return note, None if ok else f"report: {_fmt(ratio, '.1f')} x raw SQL"
    if base == "floor":
        ratio, against = figures["ratio_to_floor"], "floor"
    else:
        against = figures.get("signed_in_base")
        ratio = figures.get("ratio_to_signed_in")
        if ratio is None:
            return (
                f">= {share:.2f} x signed-in floor: not judged (none driven by {figures['tool']})",
                None,
            )
        against = "signed-in floor" + (" (locust)" if against.endswith("_locust") else "")
    ok = ratio >= share and not figures["errors"]
    note = f">= {share:.2f} x {against}: {'ok' if ok else 'MISSED'}"
    return note, None if ok else f"{name}: {ratio:.2f} x {against} (target {share:.2f})"


def print_table(
    results: dict, opts: Options, *, floor_errors: int, floor_queries: int
) -> list[str]:
    """The table; returns the targets missed."""
    floor = results["floor"]
    pages = results["pages"]
    scaling = results.get("queries_at_100_clients", {})
    report = results.get("report_timing", {})
    missed: list[str] = []
    n = results["dataset"]["clients"]
    print()
    print(
        f"ExitSupport benchmark: {n:,} clients x {results['dataset']['assessments_per_client']} "
        f"assessments ({results['dataset']['findings']:,} findings), {opts.users} users, "
        f"{opts.duration:g} s per page, gunicorn -w {opts.workers}, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'page':<23}{'tool':>7}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
        f"{'queries':>9}{'@100':>6}{'x floor':>9}{'x signed':>9}  target"
    )
    print(header)
    print("-" * (len(header) + 34))
    print(
        f"{'floor':<23}{floor['tool']:>7}{floor['rps']:>8.1f}{_fmt(floor['p50_ms']):>9}"
        f"{_fmt(floor['p95_ms']):>9}"
        f"{floor_errors:>8}{floor_queries:>9}"
        f"{_fmt(scaling.get('floor'), 'd'):>6}{1:>9.2f}{'':>9}  (healthz: one row read)"
    )
    for name, figures in pages.items():
        note, miss = judge(name, figures, results)
        if miss:
            missed.append(miss)
        if name in SCALING_PAGES and scaling:
            same = scaling.get(name) == figures["queries"]
            note += f"; queries same at 100: {'ok' if same else 'MISSED'}"
            if not same:
                missed.append(f"{name}: {scaling.get(name)} queries at 100, {figures['queries']}")
        print(
            f"{name:<23}{figures['tool']:>7}{figures['rps']:>8.1f}{_fmt(figures['p50_ms']):>9}"
            f"{_fmt(figures['p95_ms']):>9}{figures['errors']:>8}"
            f"{_fmt(figures['queries'], 'd'):>9}{_fmt(scaling.get(name), 'd'):>6}"
            f"{figures['ratio_to_floor']:>9.2f}"
            f"{_fmt(figures.get('ratio_to_signed_in'), '.2f'):>9}  {note}"
        )
    print()
    if report:
        print(
            f"report: raw SQL {_fmt(report.get('raw_sql_ms'), '.1f')} ms (psql, median); "
            f"compute_report {_fmt(report.get('compute_ms'), '.1f')} ms; whole page "
            f"{_fmt(report.get('page_ms'), '.1f')} ms; CSV {_fmt(report.get('csv_ms'), '.1f')} ms "
            "(in process, one at a time, medians)"
        )
        for key, name in (("figures_match_raw_sql", "bench/report.sql"),):
            if report.get(key) is not None:
                same = "equal" if report[key] else "DIFFER FROM"
                print(f"  the report's figures {same} those of {name}")
        for query in report.get("compute_queries", []):
            print(f"  {query['ms']:>8.1f} ms  {query['sql'][:110]}")
        if report.get("status"):
            print(f"  /reports/ answered {report['status']}: the report was not timed")
    print(f"dataset: {json.dumps(results['dataset'])}")
    print(f"figures written to {RESULTS.relative_to(ROOT)}; the tools' output in bench/out/")
    if missed:
        print("targets missed: " + "; ".join(missed))
    else:
        print("every target met")
    return missed


# --- the run ----------------------------------------------------------------------------


def signed_in_ratio(name: str, figures: dict, measured: dict) -> dict:
    """The page's throughput against the signed-in floor its own tool drove."""
    base = signed_in_base(name, figures["tool"], measured)
    if base is None or not measured[base]["rps"]:
        return {}
    return {
        "signed_in_base": base,
        "ratio_to_signed_in": round(figures["rps"] / measured[base]["rps"], 3),
    }


def main(argv: list[str]) -> int:
    opts = parse_args(argv)
    OUT.mkdir(exist_ok=True)
    password = "bench-" + secrets.token_urlsafe(12)
    secret = secrets.token_urlsafe(50)
    env = app_env(opts, opts.db, password, secret)
    small_db = opts.db + "_small"
    small_env = app_env(opts, small_db, password, secret)
    server: Server | None = None
    try:
        ensure_postgres(opts)
        log(f"database {opts.db}: {opts.clients:,} clients x {opts.per_client} assessments")
        seed_s = build_database(opts, opts.db, opts.clients, env, reuse=opts.reuse_db)
        if seed_s:
            log(f"seeded in {seed_s:.1f} s")
        collect_static(env)
        config_path = OUT / "config.json"
        probe(env, "fixtures", str(config_path))
        config = json.loads(config_path.read_text())

        log("counting SQL queries per page, timing the report (in process)")
        counts_path = OUT / "queries.json"
        probe(
            {**env, "BENCH_REPORT_TIMINGS": "1", "BENCH_REPORT_RUNS": str(opts.report_runs)},
            "queries",
            str(config_path),
            str(counts_path),
        )
        counted = json.loads(counts_path.read_text())
        log(f"the same on {SMALL_CLIENTS} clients ({small_db})")
        build_database(opts, small_db, SMALL_CLIENTS, small_env, reuse=True)
        small_config, small_counts = OUT / "config_small.json", OUT / "queries_small.json"
        probe(small_env, "fixtures", str(small_config))
        probe(small_env, "queries", str(small_config), str(small_counts))
        small = json.loads(small_counts.read_text())

        log("timing bench/report.sql in psql")
        raw_ms = time_raw_sql(opts, config)
        explain(opts, config, "report")

        server = Server(opts, env)
        server.wait_ready()
        log(f"gunicorn -w {opts.workers} on {server.url}")
        measured: dict[str, dict] = {}
        for page in opts.pages:
            figures = drive(opts, server, page, config_path, env)
            measured[page] = figures
            log(
                f"{page:<16} {figures['rps']:8.1f} rps  p50 {_fmt(figures['p50_ms'])} ms  "
                f"p95 {_fmt(figures['p95_ms'])} ms  errors {figures['errors']}"
                + (f" {figures['error_kinds']}" if figures["errors"] else "")
            )
    except HarnessError as exc:
        log(f"HARNESS FAILURE: {exc}")
        return 2
    finally:
        if server is not None:
            server.stop()

    floor = measured["floor"]
    report_timing = {
        "raw_sql_ms": raw_ms,
        **counted.get("report", {}),
    }
    report_ms = report_timing.get("compute_ms") or report_timing.get("page_ms")
    results = {
        "dataset": {
            "clients": opts.clients,
            "assessments_per_client": opts.per_client,
            **{f"{k}": v for k, v in config["sizes"].items() if k != "clients"},
            "clients_in_database": config["sizes"]["clients"],
            "seed_seconds": round(seed_s, 1),
        },
        "floor": {k: floor[k] for k in ("rps", "p50_ms", "p95_ms", "tool")},
        "pages": {
            name: {
                "rps": figures["rps"],
                "p50_ms": figures["p50_ms"],
                "p95_ms": figures["p95_ms"],
                "errors": figures["errors"],
                "tool": figures["tool"],
                "queries": counted["pages"].get(name, {}).get("queries"),
                "ratio_to_floor": round(figures["rps"] / floor["rps"], 3) if floor["rps"] else 0,
                **signed_in_ratio(name, figures, measured),
                "target": TARGETS[name],
            }
            for name, figures in measured.items()
            if name != "floor"
        },
        "report_vs_raw_sql": round(report_ms / raw_ms, 2) if report_ms and raw_ms else None,
        "report_timing": report_timing,
        "queries_at_100_clients": {k: v["queries"] for k, v in small["pages"].items()},
        "run": {
            "users": opts.users,
            "seconds_per_page": opts.duration,
            "gunicorn_workers": opts.workers,
            "cpus": os.cpu_count(),
            "quick": opts.quick,
            "total_seconds": round(time.perf_counter() - STARTED, 1),
        },
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    missed = print_table(
        results,
        opts,
        floor_errors=floor["errors"],
        floor_queries=counted["pages"]["floor"]["queries"],
    )
    log("done")
    return 1 if (missed and opts.strict) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
