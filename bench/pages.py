"""Benchmark of the public pages, uncached: CPU milliseconds per request, at three sizes of the catalogue.

The site runs under gunicorn with bench/settings_uncached.py: the production settings (DEBUG off) with every
cache replaced by Django's dummy cache and any whole-page cache switched off, so each request builds its page
from the database. Three databases are prepared once in bench/results/: the demo content and the whole Digital
Public Goods registry ("base"), then the same plus 300 and plus 5,300 synthetic solutions (network.synthetic,
imported through the catalogue importer). Each database has its own gunicorn, and each page is measured on the
three in turn, in rounds, so that the sizes compared are measured under the same load. CPU time is read from /proc
for the gunicorn workers before and after each batch of requests and divided by the requests served, so it stays
true on a busy machine. A short in-process pass (Django's test client, same settings, same database) counts each
page's SQL queries.

Targets (the issue's bars): no page over 25 ms of CPU on the base database; each page's CPU ms with +5,300
within 1.5x of its CPU ms with +300; the same number of SQL queries at both sizes. Traffic goes to 127.0.0.1
only; every loop is bounded in count and time; gunicorn is stopped at the end, also on Ctrl-C.

    python bench/pages.py [--sizes 300,5300] [--requests 300] [--rounds 3] [--concurrency 2] [--workers 2]
                          [--rebuild]

BENCH_DATABASE_URL=postgres://... measures on that database instead of bench/results/bench.sqlite3, and
BENCH_DATABASE_URL_300, BENCH_DATABASE_URL_5300... name the databases of the synthetic sizes (a size without
one is skipped).
"""

import argparse
import contextlib
import ctypes
import hashlib
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SQLITE_FILE = RESULTS / "bench.sqlite3"
PYTHON = sys.executable
#: Production settings with every cache off (bench/settings_uncached.py).
SETTINGS = "bench.settings_uncached"
#: Part of the prepared databases' fingerprint: bump it when the preparation steps change.
VERSION = "5"
WARM_UP = 10
TIMEOUT = 30  # seconds, for any one request
#: CPU ms per request, uncached, on the base database; the most +5,300 may cost relative to +300.
TARGET_CPU_MS = 25
TARGET_GROWTH = 1.5
#: The main pages, in the order they are measured; the URLs of the detail pages are found in the database.
PAGES = [
    "home",
    "catalogue",
    "filtered catalogue",
    "member directory",
    "solution page",
    "member page",
    "workshops",
    "network",
    "API: 100 solutions",
]
#: Goal 3 (health), replicated, digital public goods only: 35 of the 186 solutions with the DPG registry loaded.
FILTER = {"goal": 3, "maturity": "replicated", "dpg": "yes"}
SOLUTION_KEY = "mygov"
MEMBER_KEY = "bgd-a2i"
#: Synthetic solutions added to the base database, one database per size.
SIZES = (300, 5300)
#: The synthetic network beside those solutions, the same at every size (bench/search.py's): its members and
#: needs do not change with the size; its solutions at one size are the first ones of a larger size.
SYNTHETIC = {"members": 400, "needs": 1200, "adoptions_per_solution": 2, "seed": 7, "chunk": 500}
#: Requests of the query-counting pass before the two that are counted, per page.
QUERY_WARM_UP = 2

# Run by `manage.py shell -c` after a line defining PARAMS: the URLs, the catalogue's size, the engine.
FIND_URLS = """
import json, sqlite3
from django.db import connection
from members.models import MemberPage
from solutions.models import Adoption, SolutionPage
versions = {
    "sqlite": lambda: sqlite3.sqlite_version,
    "postgresql": lambda: f"{connection.pg_version // 10000}.{connection.pg_version % 10000}",
}
try:
    solutions = SolutionPage.objects.for_catalogue()
except AttributeError:
    solutions = SolutionPage.objects.live().public()
try:
    filtered = solutions.serving_goal(PARAMS["goal"]).filter(maturity=PARAMS["maturity"], dpg=PARAMS["dpg"] == "yes")
    filtered = filtered.count()
except AttributeError:  # the catalogue's query methods changed: the page itself still tells
    filtered = None
print(json.dumps({
    "solution": SolutionPage.objects.live().get(key=PARAMS["solution"]).get_url(),
    "member": MemberPage.objects.live().get(key=PARAMS["member"]).get_url(),
    "filtered": filtered,
    "sizes": {
        "solutions": solutions.count(),
        "dpg_solutions": solutions.filter(dpg=True).count(),
        "members": MemberPage.objects.live().count(),
        "adoptions": Adoption.objects.count(),
    },
    "engine": connection.vendor,
    "engine_version": str(versions.get(connection.vendor, str)()),
}))
"""

# Run by `manage.py shell -c` after PARAMS: the synthetic network, members and needs first, then its solutions
# (with their adoptions) in chunks, each chunk one import (one transaction), with progress.
LOAD_SYNTHETIC = """
import time
try:
    from network.catalogue.importer import import_catalogue
    from network.synthetic import as_catalogue, generate
except ImportError:  # before the network app
    from matchmaking.synthetic import as_catalogue, generate
    from ssn4psi.catalogue.importer import import_catalogue
n = PARAMS["solutions"]
network = generate(
    members=PARAMS["members"], needs=PARAMS["needs"], solutions=n,
    adoptions=n * PARAMS["adoptions_per_solution"], seed=PARAMS["seed"],
)
document = as_catalogue(network)
began = time.monotonic()
import_catalogue({"format": document["format"], "members": document["members"], "solutions": []})
print(f"  {len(document['members'])} synthetic members with {len(network.needs)} needs: "
      f"{time.monotonic() - began:.0f} s", flush=True)
solutions, step = document["solutions"], PARAMS["chunk"]
for start in range(0, len(solutions), step):
    began = time.monotonic()
    import_catalogue({"format": document["format"], "solutions": solutions[start:start + step]})
    print(f"  {min(start + step, len(solutions))} of {len(solutions)} synthetic solutions: "
          f"{time.monotonic() - began:.0f} s", flush=True)
"""

# Run by `manage.py shell -c` after PARAMS: each page's SQL queries through Django's test client, as gunicorn's
# workers serve it (no cookie, host 127.0.0.1), once warm; and the caches the settings gave.
COUNT_QUERIES = """
import json
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
pages = {}
for name, url in PARAMS["urls"].items():
    counts, status, error = [], None, None
    for _ in range(PARAMS["warm_up"] + 2):
        client.cookies.clear()
        try:
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
        except Exception as exception:
            error = f"{type(exception).__name__}: {exception}"[:300]
            break
        counts.append(len(queries))
    pages[name] = {
        "status": status,
        "error": error,
        "queries": counts[-1] if counts and not error else None,
        "first_queries": counts[0] if counts else None,
        "steady": len(counts) >= 2 and counts[-1] == counts[-2],
    }
print(json.dumps({
    "pages": pages,
    "caches": {alias: caches[alias].__class__.__name__ for alias in settings.CACHES},
    "page_cache_enabled": getattr(settings, "PAGE_CACHE_ENABLED", None),
    "debug": settings.DEBUG,
}))
"""


class BenchError(Exception):
    """Something that makes the measurement meaningless: stop and say what."""


class PageError(BenchError):
    """One page cannot be measured (an error, a redirect): say so and go on with the others."""


@dataclass
class Database:
    """One database the pages are measured on: the base one (synthetic == 0) or the base plus synthetic solutions."""

    key: str
    url: str
    synthetic: int = 0

    @property
    def label(self):
        return "demo + DPG" if not self.synthetic else f"demo + DPG + {self.synthetic:,} synthetic"

    @property
    def own_file(self):
        """The SQLite file in bench/results/ the benchmark created, the only kind of database it deletes."""
        path = RESULTS / ("bench.sqlite3" if not self.synthetic else f"bench-{self.synthetic}.sqlite3")
        return path if self.url == f"sqlite:///{path}" else None


def databases(sizes):
    """The base database and one per synthetic size; on BENCH_DATABASE_URL, the sizes that have their own URL."""
    external = os.environ.get("BENCH_DATABASE_URL")
    found = [Database("base", external or f"sqlite:///{SQLITE_FILE}")]
    for size in sizes:
        if not external:
            found.append(Database(str(size), f"sqlite:///{RESULTS / f'bench-{size}.sqlite3'}", size))
        elif url := os.environ.get(f"BENCH_DATABASE_URL_{size}"):
            if url in {db.url for db in found}:
                raise BenchError(f"BENCH_DATABASE_URL_{size} names a database already used for another size")
            found.append(Database(str(size), url, size))
        else:
            print(f"Skipping +{size:,}: BENCH_DATABASE_URL_{size} is not set (an empty database kept for this).")
    return found


def base_env(database_url, static_root):
    """The environment of every manage.py command and of gunicorn: the uncached benchmark settings, no cache
    server, no broker, nothing inherited from the caller's Django configuration."""
    dropped = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "STATIC_ROOT", "SECURE_", "ALLOWED_HOSTS", "PAGE_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(args, env, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def manage_json(args, env, what):
    """A manage.py command whose last line of output is JSON; BenchError with its error output when it fails."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BenchError(f"could not {what}:\n" + result.stderr.strip()[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def fingerprint(database):
    """Changes when the schema, the data loaded for the benchmark, the preparation steps or the database change.
    Files are found where they live now or lived before the network app (ssn4psi/demo, matchmaking/synthetic.py)."""
    digest = hashlib.sha256()
    for name in sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/migrations/0*.py")):
        digest.update(name.encode() + b"\n")
    data = sorted(ROOT.glob("*/demo/catalogue.json"))
    data += sorted(p for p in ROOT.glob("*/data/dpg-registry/**/*") if p.is_file())
    if database.synthetic:
        data += sorted(ROOT.glob("*/synthetic.py"))
    for path in data:
        digest.update(str(path.relative_to(ROOT)).encode() + hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"{VERSION}\n{database.url}\n{database.synthetic}\n{sorted(SYNTHETIC.items())}".encode())
    return digest.hexdigest()


def marker_for(database):
    return RESULTS / f"database-{hashlib.sha256(database.url.encode()).hexdigest()[:12]}.json"


def copy_sqlite(source, target):
    """A consistent copy of a SQLite database (its WAL included) through SQLite's backup API."""
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


ANALYZE = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
"""


def prepare_database(database, env, rebuild, base=None):
    """Migrate, load the demo content and import the DPG registry, then add the synthetic solutions; once per
    fingerprint (a SQLite size starts from a copy of the base file). Returns how it was prepared and how long it
    took, with "reused" when it was already prepared."""
    marker = marker_for(database)
    present = database.own_file.exists() if database.own_file else True
    expected = fingerprint(database)
    if not rebuild and present and marker.exists():
        with contextlib.suppress(ValueError):
            done = json.loads(marker.read_text())
            if done.get("fingerprint") == expected:
                print(f"{database.label}: reusing the prepared database (prepared in {done['seconds']:.0f} s).")
                return {**done, "reused": True}
    if not any(ROOT.glob("*/management/commands/import_dpg.py")):
        raise BenchError("manage.py import_dpg is missing: the benchmark needs the DPG registry loaded.")
    marker.unlink(missing_ok=True)
    if database.own_file:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database.own_file}{suffix}").unlink(missing_ok=True)
    else:
        print(f"{database.label}: not emptying {database.url.split('@')[-1]}: every step below is idempotent.")
    steps = {}
    started = time.monotonic()

    def step(name, args, quiet=True):
        began = time.monotonic()
        manage(args, env, stdout=subprocess.DEVNULL if quiet else None)
        steps[name] = round(time.monotonic() - began, 1)

    if database.synthetic and database.own_file and base is not None and base.own_file:
        print(f"{database.label}: preparing it from a copy of the base database...", flush=True)
        began = time.monotonic()
        copy_sqlite(base.own_file, database.own_file)
        steps["copy"] = round(time.monotonic() - began, 1)
    else:
        print(f"{database.label}: preparing it: migrate, demo content, DPG registry (a minute or two)...", flush=True)
        step("migrate", ["migrate", "--noinput", "-v0"])
        step("demo", ["setup_site", "--demo"])
        step("dpg", ["import_dpg"])
    if database.synthetic:
        minutes = "a minute or two" if database.synthetic < 1000 else "5 to 10 minutes"
        print(f"{database.label}: importing the synthetic network ({minutes})...", flush=True)
        params = {**SYNTHETIC, "solutions": database.synthetic}
        step("synthetic", ["shell", "-v0", "-c", f"PARAMS = {params!r}\n{LOAD_SYNTHETIC}"], quiet=False)
    # What autovacuum does on a live PostgreSQL server after a bulk load: fresh statistics for the planner.
    step("analyze", ["shell", "-v0", "-c", ANALYZE])
    done = {
        "fingerprint": expected,
        "prepared": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 1),
        "steps": steps,
    }
    marker.write_text(json.dumps(done, indent=2) + "\n")
    print(f"{database.label}: prepared in {done['seconds']:.0f} s {steps}", flush=True)
    return {**done, "reused": False}


def find_urls(env):
    params = {**FILTER, "solution": SOLUTION_KEY, "member": MEMBER_KEY}
    found = manage_json(["shell", "-c", f"PARAMS = {params!r}\n{FIND_URLS}"], env, "find the pages to measure")
    if not found["sizes"]["dpg_solutions"]:
        raise BenchError("No digital public good in the catalogue: the DPG registry was not imported.")
    if found["filtered"] == 0:
        raise BenchError(f"The filtered listing ({FILTER}) gives no result: pick other filters in bench/pages.py.")
    query = "&".join(f"{key}={value}" for key, value in FILTER.items())
    urls = {
        "home": "/",
        "catalogue": "/solutions/",
        "filtered catalogue": f"/solutions/?{query}",
        "member directory": "/members/",
        "solution page": urlsplit(found["solution"]).path,
        "member page": urlsplit(found["member"]).path,
        "workshops": "/workshops/",
        "network": "/network/",
        "API: 100 solutions": "/api/solutions/?per_page=100",
    }
    return urls, found


def count_queries(env, urls):
    """Each page's SQL queries, warm, through Django's test client on the same database with the same settings."""
    params = {"urls": urls, "warm_up": QUERY_WARM_UP}
    counted = manage_json(["shell", "-c", f"PARAMS = {params!r}\n{COUNT_QUERIES}"], env, "count the SQL queries")
    if counted["debug"]:
        raise BenchError("DEBUG is on in the benchmark settings: the pages would not be what production serves.")
    kept = {alias: backend for alias, backend in counted["caches"].items() if backend != "DummyCache"}
    if kept or counted["page_cache_enabled"]:
        raise BenchError(f"a cache is on in {SETTINGS}: {kept or 'PAGE_CACHE_ENABLED'}")
    return counted["pages"]


def fetch(port, path):
    """One GET on a new connection, redirects not followed: (seconds, status, body length)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return time.perf_counter() - started, response.status, len(body)


def worker_pids(master_pid):
    """The gunicorn workers: the master's children, read again on every call."""
    try:
        return sorted(int(pid) for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split())
    except OSError:  # kernel without CONFIG_PROC_CHILDREN: scan every process's parent
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master_pid:
                    pids.append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                continue
        return sorted(pids)


def cpu_seconds(pids):
    """{pid: user + system CPU seconds} of the processes that still exist."""
    ticks = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return times


def check_statuses(path, results):
    bad = [status for _seconds, status, _length in results if status != 200]
    if bad:
        counts = {status: bad.count(status) for status in sorted(set(bad))}
        raise PageError(f"{path}: {len(bad)} of {len(results)} responses were not 200 OK: {counts}")


def warm_up(port, path):
    """WARM_UP requests, not counted: PageError unless every one answers 200."""
    try:
        results = [fetch(port, path) for _ in range(WARM_UP)]
    except OSError as error:  # a worker that died or hung on this page
        raise PageError(f"{path}: {error}") from error
    check_statuses(path, results)


def batch(port, path, requests, concurrency, master_pid, workers):
    """`requests` GETs of one page from `concurrency` client threads: the workers' CPU seconds (from /proc), the
    latencies in ms, the wall seconds and the length of a body."""
    pids_before = worker_pids(master_pid)
    if len(pids_before) != workers:
        raise BenchError(f"expected {workers} gunicorn workers, found {len(pids_before)}: {pids_before}")
    cpu_before = cpu_seconds(pids_before)
    pool = ThreadPoolExecutor(concurrency)
    started = time.perf_counter()
    try:
        futures = [pool.submit(fetch, port, path) for _ in range(requests)]
        results = [future.result() for future in futures]
    except OSError as error:
        raise PageError(f"{path}: {error}") from error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    elapsed = time.perf_counter() - started
    pids_after = worker_pids(master_pid)
    cpu_after = cpu_seconds(set(pids_before) | set(pids_after))
    check_statuses(path, results)
    if pids_after != pids_before:
        print(f"  warning: the workers changed during {path} ({pids_before} -> {pids_after})", flush=True)
    # A worker that left takes its CPU time with it; one that arrived counts from its start.
    cpu = sum(cpu_after[pid] - cpu_before.get(pid, 0) for pid in cpu_after)
    return {
        "cpu": cpu,
        "latencies": [seconds * 1000 for seconds, _status, _length in results],
        "elapsed": elapsed,
        "bytes": results[-1][2],
    }


def die_with_parent():
    """In the gunicorn master before it starts: SIGTERM when this script dies, however it dies (Linux)."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_gunicorn(env, workers):
    """gunicorn on 127.0.0.1, on a port the kernel picks (see listening_port)."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "ssn4psi.wsgi:application",
            "--bind=127.0.0.1:0",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
            "--timeout=60",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # Ctrl-C reaches this script only, which then stops gunicorn itself
        preexec_fn=die_with_parent,
    )


def listening_port(master_pid):
    """The TCP port the gunicorn master listens on (bound to port 0 so the kernel picks a free one)."""
    inodes = set()
    for fd in Path(f"/proc/{master_pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    for line in Path(f"/proc/{master_pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and fields[9] in inodes:  # state LISTEN
            return int(fields[1].split(":")[1], 16)
    return None


def wait_until_ready(gunicorn, workers, seconds=60):
    deadline = time.monotonic() + seconds
    port = None
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise BenchError(f"gunicorn exited with status {gunicorn.returncode} before answering")
        port = port or listening_port(gunicorn.pid)
        if port and len(worker_pids(gunicorn.pid)) == workers:
            try:
                _seconds, status, _length = fetch(port, "/healthz")
            except OSError:
                pass
            else:
                if status != 200:
                    raise BenchError(f"/healthz answered {status}")
                return port
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within {seconds} s")


def stop(gunicorn):
    if gunicorn.poll() is None:
        gunicorn.send_signal(signal.SIGTERM)  # graceful: workers finish their request and exit
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait(timeout=10)


def machine(engine):
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "database": engine,
    }


def query_pass(database, env, prepared, urls, found):
    """A database's result, its pages' SQL queries counted: one row per page, with an error when it failed."""
    counted = count_queries(env, urls)
    rows = []
    for name in PAGES:
        row = {"page": name, "url": urls[name], "sql_queries": counted[name]["queries"]}
        row["sql_queries_steady"] = counted[name]["steady"]
        if counted[name]["error"] or counted[name]["status"] != 200:
            row["error"] = counted[name]["error"] or f"{urls[name]} answered {counted[name]['status']}"
        rows.append(row)
    print(f"{database.label}: SQL queries " + ", ".join(f"{row['page']} {row['sql_queries']}" for row in rows))
    return {
        "database": database.label,
        "short": f"+{database.synthetic:,}" if database.synthetic else "base",
        "synthetic_solutions": database.synthetic,
        "catalogue": found["sizes"],
        "filtered_matches": found["filtered"],
        "engine": f"{found['engine']} {found['engine_version']}",
        "preparation": prepared,
        "rows": rows,
    }


def measure_interleaved(results, servers, options):
    """Every page on every database, in rounds: in each round a page is measured on each database in turn, in an
    order that rotates from round to round, so the sizes compared are measured seconds apart under the same load
    on the machine. Fills each row with its totals and its CPU ms per round."""
    rounds = options.rounds
    shares = [options.requests // rounds + (r < options.requests % rounds) for r in range(rounds)]
    pairs = list(zip(results, servers, strict=True))
    for result, (_gunicorn, port) in pairs:
        for row in result["rows"]:
            row["batches"] = []
            if "error" in row:
                print(f"  {result['short']} {row['page']}: not measured: {row['error']}", flush=True)
                continue
            try:
                warm_up(port, row["url"])
            except PageError as error:
                row["error"] = str(error)
                print(f"  {result['short']} {row['page']}: not measured: {error}", flush=True)
    for r, share in enumerate(shares):
        print(f"Round {r + 1} of {rounds}: {share} requests per page and database; CPU ms per request:", flush=True)
        order = pairs[r % len(pairs) :] + pairs[: r % len(pairs)]
        for i, name in enumerate(PAGES):
            measured = []
            for result, (gunicorn, port) in order:
                row = result["rows"][i]
                if "error" in row:
                    continue
                try:
                    row["batches"].append(
                        batch(port, row["url"], share, options.concurrency, gunicorn.pid, options.workers)
                    )
                except PageError as error:
                    row["error"] = str(error)
                    print(f"  {result['short']} {name}: not measured: {error}", flush=True)
                    continue
                last = row["batches"][-1]
                measured.append(f"{result['short']} {last['cpu'] * 1000 / share:.1f}")
            print(f"  {name}: " + ", ".join(measured), flush=True)
    for result in results:
        for row in result["rows"]:
            batches = row.pop("batches")
            if "error" in row or not batches:
                continue
            requests = sum(len(b["latencies"]) for b in batches)
            latencies = sorted(ms for b in batches for ms in b["latencies"])
            row.update(
                requests=requests,
                bytes=batches[-1]["bytes"],
                rps=requests / sum(b["elapsed"] for b in batches),
                p50_ms=statistics.median(latencies),
                p99_ms=statistics.quantiles(latencies, n=100, method="inclusive")[98] if requests > 1 else latencies[0],
                cpu_ms=sum(b["cpu"] for b in batches) * 1000 / requests,
                cpu_ms_rounds=[b["cpu"] * 1000 / len(b["latencies"]) for b in batches],
            )


def number(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


def spread(values, digits=1, unit=""):
    """The range of a figure over the rounds, "a–b"."""
    if not values:
        return "—"
    low, high = min(values), max(values)
    return f"{low:.{digits}f}{unit}" if len(values) == 1 else f"{low:.{digits}f}–{high:.{digits}f}{unit}"


def page_table(result, target=None):
    """One database's pages as a Markdown table, against the CPU target when there is one."""
    sizes = result["catalogue"]
    lines = [
        f"### {result['database']}: {sizes['solutions']:,} solutions ({sizes['dpg_solutions']} digital public goods), "
        f"{sizes['members']:,} members, {sizes['adoptions']:,} adoptions",
        "",
        "| page | URL | req/s | p50 ms | p99 ms | CPU ms/req | per round | SQL queries |"
        + (" target | ok? |" if target else ""),
        "|---|---|---:|---:|---:|---:|---:|---:|" + ("---:|---|" if target else ""),
    ]
    for row in result["rows"]:
        cells = [row["page"], f"`{row['url']}`"]
        if "error" in row:
            cells += ["error", "", "", "", "", str(row["sql_queries"] or "—")]
            cells += [f"< {target}", "NO"] if target else []
        else:
            cells += [f"{row['rps']:.0f}", number(row["p50_ms"]), number(row["p99_ms"]), number(row["cpu_ms"])]
            cells.append(spread(row["cpu_ms_rounds"]))
            cells.append(str(row["sql_queries"]) + ("" if row["sql_queries_steady"] else " (varies)"))
            if target:
                cells += [f"< {target}", "yes" if row["cpu_ms"] < target else "NO"]
        lines.append("| " + " | ".join(cells) + " |")
    errors = [f"{row['page']}: {row['error']}" for row in result["rows"] if "error" in row]
    if errors:
        lines += ["", "Not measured: " + "; ".join(errors)]
    return "\n".join(lines)


def growth(results):
    """Each page's CPU ms and SQL queries at every size; the ratio of the largest size to the smallest."""
    base, *sizes = results
    small, large = (sizes[0], sizes[-1]) if len(sizes) >= 2 else (None, None)
    rows = []
    for i, name in enumerate(PAGES):
        cells = [result["rows"][i] for result in results]
        row = {
            "page": name,
            "cpu_ms": {result["database"]: cell.get("cpu_ms") for result, cell in zip(results, cells, strict=True)},
            "sql_queries": {
                result["database"]: cell["sql_queries"] for result, cell in zip(results, cells, strict=True)
            },
            "ratio": None,
            "ratio_rounds": [],
            "ratio_ok": None,
            "queries_fixed": None,
        }
        if small is not None:
            low, high = small["rows"][i], large["rows"][i]
            if low.get("cpu_ms") and high.get("cpu_ms"):
                row["ratio"] = high["cpu_ms"] / low["cpu_ms"]
                row["ratio_rounds"] = [
                    h / lo for h, lo in zip(high["cpu_ms_rounds"], low["cpu_ms_rounds"], strict=False)
                ]
                row["ratio_ok"] = row["ratio"] <= TARGET_GROWTH
            if low["sql_queries"] is not None and high["sql_queries"] is not None:
                row["queries_fixed"] = low["sql_queries"] == high["sql_queries"]
        rows.append(row)
    return {"between": [small["database"], large["database"]] if small else None, "rows": rows}


def growth_table(results, compared):
    labels = [result["database"] for result in results]
    short = [result["short"] for result in results]
    ratio = f"ratio {short[-1]} / {short[1]}" if compared["between"] else "ratio"
    lines = [
        "### Growth: "
        + " → ".join(
            f"{label} ({result['catalogue']['solutions']:,} solutions)"
            for label, result in zip(labels, results, strict=True)
        ),
        "",
        "| page | " + " | ".join(f"CPU ms {s}" for s in short) + f" | {ratio} | per round | ok (≤ "
        f"{TARGET_GROWTH}x)? | " + " | ".join(f"SQL {s}" for s in short) + " | SQL fixed? |",
        "|---|" + "---:|" * len(short) + "---:|---:|---|" + "---:|" * len(short) + "---|",
    ]
    for row in compared["rows"]:
        yes_no = {True: "yes", False: "NO", None: "—"}
        cells = [row["page"], *(number(row["cpu_ms"][label]) for label in labels)]
        cells += [number(row["ratio"], 2) + ("x" if row["ratio"] else ""), spread(row["ratio_rounds"], 2, "x")]
        cells.append(yes_no[row["ratio_ok"]])
        cells += [str(row["sql_queries"][label] if row["sql_queries"][label] is not None else "—") for label in labels]
        cells.append(yes_no[row["queries_fixed"]])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results, info, options, seconds):
    base = results[0]
    print(
        f"\nMachine: nproc {info['nproc']} ({info['cpu']}), load {info['load_average'][0]:.2f}, "
        f"Python {info['python']}, {info['database']}; {SETTINGS} (every cache off); gunicorn {options.workers} "
        f"sync workers per database, {options.requests} requests per page and database in {options.rounds} "
        f"interleaved rounds, at concurrency {options.concurrency}; "
        f"{seconds:.0f} s in all"
    )
    for result in results:
        prepared = result["preparation"]
        how = "reused, prepared" if prepared["reused"] else "prepared"
        print(f"\n{page_table(result, TARGET_CPU_MS if result is base else None)}")
        print(f"\n({how} in {prepared['seconds']:.0f} s: {prepared['steps']})")
    rows = base["rows"]
    missed = [
        f"{row['page']} ({number(row.get('cpu_ms'))} ms)" for row in rows if row.get("cpu_ms", 1e9) >= TARGET_CPU_MS
    ]
    print(
        f"\nOver {TARGET_CPU_MS} ms of CPU on the base database: " + ", ".join(missed)
        if missed
        else f"\nEvery page is under {TARGET_CPU_MS} ms of CPU on the base database."
    )
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "settings": SETTINGS,
        "options": {
            "requests": options.requests,
            "rounds": options.rounds,
            "concurrency": options.concurrency,
            "workers": options.workers,
        },
        "target_cpu_ms": TARGET_CPU_MS,
        "catalogue": base["catalogue"],
        "filtered_matches": base["filtered_matches"],
        "preparation": base["preparation"],
        "seconds": round(seconds, 1),
        "rows": [{**row, "target_cpu_ms": TARGET_CPU_MS, "ok": row.get("cpu_ms", 1e9) < TARGET_CPU_MS} for row in rows],
        "missed": [row["page"] for row in rows if row.get("cpu_ms", 1e9) >= TARGET_CPU_MS],
    }
    written = [RESULTS / "pages.json"]
    written[0].write_text(json.dumps(document, indent=2) + "\n")
    if len(results) > 1:
        compared = growth(results)
        print(f"\n{growth_table(results, compared)}")
        if compared["between"]:
            slow = [f"{row['page']} ({number(row['ratio'], 2)}x)" for row in compared["rows"] if not row["ratio_ok"]]
            moved = [row["page"] for row in compared["rows"] if row["queries_fixed"] is False]
            print(
                f"\nOver {TARGET_GROWTH}x from {compared['between'][0]} to {compared['between'][1]}: "
                + (", ".join(slow) or "none")
                + "; SQL queries that change with the size: "
                + (", ".join(moved) or "none")
            )
        document = {
            "date": document["date"],
            "machine": info,
            "settings": SETTINGS,
            "options": document["options"],
            "synthetic": SYNTHETIC,
            "target_cpu_ms": TARGET_CPU_MS,
            "target_growth": TARGET_GROWTH,
            "seconds": round(seconds, 1),
            "databases": results,
            "growth": compared,
        }
        written.append(RESULTS / "pages-growth.json")
        written[1].write_text(json.dumps(document, indent=2) + "\n")
    print("Written to " + ", ".join(str(path.relative_to(ROOT)) for path in written))


def interrupt(_signum, _frame):
    raise KeyboardInterrupt


def parse_sizes(text):
    try:
        sizes = sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError:
        raise argparse.ArgumentTypeError("a comma-separated list of numbers, such as 300,5300") from None
    if any(not 1 <= size <= 100_000 for size in sizes):
        raise argparse.ArgumentTypeError("sizes from 1 to 100000")
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(SIZES),
        help="synthetic solutions added to the base database, one database each (default 300,5300; '' for none)",
    )
    parser.add_argument(
        "--requests", type=int, default=300, help="measured requests per page and database (default 300)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds the requests are split in (default 3)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--rebuild", action="store_true", help="prepare the databases again")
    options = parser.parse_args()
    if not (1 <= options.requests <= 100_000 and 1 <= options.concurrency <= 64 and 1 <= options.workers <= 64):
        parser.error("--requests 1..100000, --concurrency 1..64, --workers 1..64")
    if not 1 <= options.rounds <= options.requests:
        parser.error("--rounds from 1 to --requests")
    signal.signal(signal.SIGTERM, interrupt)  # `kill` stops gunicorn too, as Ctrl-C does
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background by a shell
        signal.signal(signal.SIGINT, interrupt)
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    static_root = tempfile.mkdtemp(prefix="ssn4psi-bench-static-")
    results, servers = [], []
    try:
        base, *sizes = databases(options.sizes)
        prepared, pages = {}, {}
        for database in [base, *sizes]:
            env = base_env(database.url, static_root)
            prepared[database.key] = prepare_database(database, env, options.rebuild, base)
            try:
                pages[database.key] = find_urls(env)
            except BenchError:
                if not prepared[database.key]["reused"]:
                    raise
                print(f"{database.label}: the prepared database has changed since: preparing it again.", flush=True)
                prepared[database.key] = prepare_database(database, env, True, base)
                pages[database.key] = find_urls(env)
        manage(["collectstatic", "--noinput", "-v0"], base_env(base.url, static_root))
        for database in [base, *sizes]:
            env = base_env(database.url, static_root)
            results.append(query_pass(database, env, prepared[database.key], *pages[database.key]))
        for database in [base, *sizes]:  # one gunicorn per database, all up at once: the pages are interleaved
            servers.append(start_gunicorn(base_env(database.url, static_root), options.workers))
        ports = [wait_until_ready(gunicorn, options.workers) for gunicorn in servers]
        print(f"gunicorn ready on 127.0.0.1, ports {', '.join(map(str, ports))}", flush=True)
        measure_interleaved(results, list(zip(servers, ports, strict=True)), options)
    except BenchError as error:
        sys.exit(f"bench: {error}")
    except subprocess.CalledProcessError as error:
        sys.exit(f"bench: {' '.join(map(str, error.cmd[1:3]))} failed with status {error.returncode}")
    except KeyboardInterrupt:
        sys.exit("bench: interrupted")
    finally:
        for gunicorn in servers:
            stop(gunicorn)
        shutil.rmtree(static_root, ignore_errors=True)
    report(results, machine(results[0]["engine"]), options, time.monotonic() - started)


if __name__ == "__main__":
    main()
