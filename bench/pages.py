"""Benchmark of the public pages: requests per second, p50/p99 latency and CPU milliseconds per request.

The site runs under gunicorn with the production settings (DEBUG off), on a database holding the demo
content and the whole Digital Public Goods registry, prepared once in bench/results/. CPU time is read
from /proc for the gunicorn workers before and after each page's run and divided by the requests served,
so it stays true on a busy machine. Traffic goes to 127.0.0.1 only; every loop is bounded in count and
time; gunicorn is stopped at the end, also on Ctrl-C.

    python bench/pages.py [--requests 300] [--concurrency 2] [--workers 2] [--rebuild]

BENCH_DATABASE_URL=postgres://... measures on that database instead of bench/results/bench.sqlite3.
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
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SQLITE_FILE = RESULTS / "bench.sqlite3"
PYTHON = sys.executable
#: Part of the prepared database's fingerprint: bump it when the preparation steps change.
VERSION = "3"
WARM_UP = 10
TIMEOUT = 30  # seconds, for any one request
#: (name, kind, target CPU ms per request); the URLs of the detail pages are found in the database.
PAGES = [
    ("home", "listing", 20),
    ("catalogue", "listing", 20),
    ("filtered catalogue", "listing", 20),
    ("member directory", "listing", 20),
    ("solution page", "detail", 10),
    ("member page", "detail", 10),
]
#: Goal 3 (health), replicated, digital public goods only: 35 of the 186 solutions with the DPG registry loaded.
FILTER = {"goal": 3, "maturity": "replicated", "dpg": "yes"}
SOLUTION_KEY = "mygov"
MEMBER_KEY = "bgd-a2i"

# Run by `manage.py shell -c` after a line defining PARAMS: the URLs, the catalogue's size, the engine.
FIND_URLS = """
import json, sqlite3
from django.db import connection
from members.models import MemberPage
from solutions.models import Adoption, SolutionPage
solutions = SolutionPage.objects.for_catalogue()
versions = {
    "sqlite": lambda: sqlite3.sqlite_version,
    "postgresql": lambda: f"{connection.pg_version // 10000}.{connection.pg_version % 10000}",
}
filtered = solutions.serving_goal(PARAMS["goal"]).filter(maturity=PARAMS["maturity"], dpg=PARAMS["dpg"] == "yes")
print(json.dumps({
    "solution": SolutionPage.objects.live().get(key=PARAMS["solution"]).get_url(),
    "member": MemberPage.objects.live().get(key=PARAMS["member"]).get_url(),
    "filtered": filtered.count(),
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


class BenchError(Exception):
    """Something that makes the measurement meaningless: stop and say what."""


def base_env(database_url, static_root):
    """The environment of every manage.py command and of gunicorn: production settings (bench/settings.py: with
    the process's own cache and the page cache off), no broker, nothing inherited from the caller's Django
    configuration."""
    dropped = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "STATIC_ROOT", "SECURE_", "ALLOWED_HOSTS")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
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


def fingerprint(database_url):
    """Changes when the schema, the data loaded for the benchmark, the preparation steps or the database change."""
    digest = hashlib.sha256()
    for name in sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/migrations/0*.py")):
        digest.update(name.encode() + b"\n")
    data = [ROOT / "network" / "demo" / "catalogue.json"]
    data += sorted(p for p in (ROOT / "ssn4psi" / "data" / "dpg-registry").rglob("*") if p.is_file())
    for path in data:
        digest.update(str(path.relative_to(ROOT)).encode() + hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"{VERSION}\n{database_url}".encode())
    return digest.hexdigest()


def prepare_database(database_url, env, rebuild):
    """Migrate, load the demo content and import the DPG registry, once per fingerprint.
    True when the database was already prepared."""
    marker = RESULTS / f"database-{hashlib.sha256(database_url.encode()).hexdigest()[:12]}.fingerprint"
    own_file = database_url == f"sqlite:///{SQLITE_FILE}"  # the only database the bench deletes
    present = SQLITE_FILE.exists() if own_file else True
    if not rebuild and present and marker.exists() and marker.read_text() == fingerprint(database_url):
        print("Reusing the prepared database (--rebuild prepares it again).")
        return True
    if not (ROOT / "solutions" / "management" / "commands" / "import_dpg.py").exists():
        raise BenchError("manage.py import_dpg is missing: the benchmark needs the DPG registry loaded.")
    marker.unlink(missing_ok=True)
    if own_file:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    else:
        print("Not emptying the BENCH_DATABASE_URL database: migrate, setup_site --demo and import_dpg are idempotent.")
    print("Preparing the database: migrate, demo content, DPG registry (a minute or two)...", flush=True)
    started = time.monotonic()
    manage(["migrate", "--noinput", "-v0"], env)
    manage(["setup_site", "--demo"], env, stdout=subprocess.DEVNULL)
    manage(["import_dpg"], env, stdout=subprocess.DEVNULL)
    marker.write_text(fingerprint(database_url))
    print(f"  prepared in {time.monotonic() - started:.0f} s", flush=True)
    return False


def find_urls(env):
    params = {**FILTER, "solution": SOLUTION_KEY, "member": MEMBER_KEY}
    code = f"PARAMS = {params!r}\n{FIND_URLS}"
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BenchError("could not find the pages to measure in the database:\n" + result.stderr.strip())
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if not found["sizes"]["dpg_solutions"]:
        raise BenchError("No digital public good in the catalogue: the DPG registry was not imported.")
    if not found["filtered"]:
        raise BenchError(f"The filtered listing ({FILTER}) gives no result: pick other filters in bench/pages.py.")
    query = "&".join(f"{key}={value}" for key, value in FILTER.items())
    urls = {
        "home": "/",
        "catalogue": "/solutions/",
        "filtered catalogue": f"/solutions/?{query}",
        "member directory": "/members/",
        "solution page": urlsplit(found["solution"]).path,
        "member page": urlsplit(found["member"]).path,
    }
    return urls, found


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
        raise BenchError(f"{path}: {len(bad)} of {len(results)} responses were not 200 OK: {counts}")


def measure(port, path, requests, concurrency, master_pid, workers):
    warm_up = [fetch(port, path) for _ in range(WARM_UP)]
    check_statuses(path, warm_up)
    pids_before = worker_pids(master_pid)
    if len(pids_before) != workers:
        raise BenchError(f"expected {workers} gunicorn workers, found {len(pids_before)}: {pids_before}")
    cpu_before = cpu_seconds(pids_before)
    pool = ThreadPoolExecutor(concurrency)
    started = time.perf_counter()
    try:
        futures = [pool.submit(fetch, port, path) for _ in range(requests)]
        results = [future.result() for future in futures]
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
    latencies = sorted(seconds * 1000 for seconds, _status, _length in results)
    return {
        "requests": requests,
        "bytes": results[-1][2],
        "rps": requests / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": statistics.quantiles(latencies, n=100, method="inclusive")[98],
        "cpu_ms": cpu * 1000 / requests,
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


def machine(found):
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
        "database": f"{found['engine']} {found['engine_version']}",
    }


def report(rows, found, info, options, seconds):
    sizes = found["sizes"]
    print(
        f"\nCatalogue: {sizes['solutions']} solutions ({sizes['dpg_solutions']} digital public goods), "
        f"{sizes['members']} members, {sizes['adoptions']} adoptions; "
        f"the filtered listing matches {found['filtered']}"
    )
    print(
        f"Machine: nproc {info['nproc']} ({info['cpu']}), load {info['load_average'][0]:.2f}, "
        f"Python {info['python']}, {info['database']}; gunicorn {options.workers} sync workers, "
        f"{options.requests} requests per page at concurrency {options.concurrency}; {seconds:.0f} s in all\n"
    )
    print("| page | URL | req/s | p50 ms | p99 ms | CPU ms/req | target | ok? |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print(
            f"| {row['page']} | `{row['url']}` | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['cpu_ms']:.1f} | < {row['target_cpu_ms']} | {'yes' if row['ok'] else 'NO'} |"
        )
    missed = [f"{row['page']} ({row['cpu_ms']:.1f} ms, target {row['target_cpu_ms']})" for row in rows if not row["ok"]]
    print("\nMissed the CPU target: " + ", ".join(missed) if missed else "\nEvery page meets its CPU target.")
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "options": {"requests": options.requests, "concurrency": options.concurrency, "workers": options.workers},
        "catalogue": sizes,
        "filtered_matches": found["filtered"],
        "seconds": round(seconds, 1),
        "rows": rows,
        "missed": [row["page"] for row in rows if not row["ok"]],
    }
    (RESULTS / "pages.json").write_text(json.dumps(document, indent=2) + "\n")
    print(f"Written to {(RESULTS / 'pages.json').relative_to(ROOT)}")


def interrupt(_signum, _frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page (default 300)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--rebuild", action="store_true", help="prepare the database again")
    options = parser.parse_args()
    if not (1 <= options.requests <= 100_000 and 1 <= options.concurrency <= 64 and 1 <= options.workers <= 64):
        parser.error("--requests 1..100000, --concurrency 1..64, --workers 1..64")
    signal.signal(signal.SIGTERM, interrupt)  # `kill` stops gunicorn too, as Ctrl-C does
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background by a shell
        signal.signal(signal.SIGINT, interrupt)
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{SQLITE_FILE}"
    static_root = tempfile.mkdtemp(prefix="ssn4psi-bench-static-")
    gunicorn = None
    rows = []
    try:
        env = base_env(database_url, static_root)
        reused = prepare_database(database_url, env, options.rebuild)
        try:
            urls, found = find_urls(env)
        except BenchError:
            if not reused:
                raise
            print("The prepared database has changed since: preparing it again.", flush=True)
            prepare_database(database_url, env, rebuild=True)
            urls, found = find_urls(env)
        manage(["collectstatic", "--noinput", "-v0"], env)
        gunicorn = start_gunicorn(env, options.workers)
        port = wait_until_ready(gunicorn, options.workers)
        print(f"gunicorn ready on 127.0.0.1:{port}; measuring {len(PAGES)} pages", flush=True)
        for name, kind, target in PAGES:
            result = measure(port, urls[name], options.requests, options.concurrency, gunicorn.pid, options.workers)
            ok = result["cpu_ms"] < target
            rows.append({"page": name, "url": urls[name], "kind": kind, "target_cpu_ms": target, "ok": ok, **result})
            print(f"  {name}: {result['cpu_ms']:.1f} ms CPU per request", flush=True)
    except BenchError as error:
        sys.exit(f"bench: {error}")
    except subprocess.CalledProcessError as error:
        sys.exit(f"bench: {' '.join(map(str, error.cmd[1:]))} failed with status {error.returncode}")
    except KeyboardInterrupt:
        sys.exit("bench: interrupted")
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        shutil.rmtree(static_root, ignore_errors=True)
    report(rows, found, machine(found), options, time.monotonic() - started)


if __name__ == "__main__":
    main()
