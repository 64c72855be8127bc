"""Benchmark of the public pages: requests per second, p50/p99 latency and CPU milliseconds per request.

The site runs under gunicorn with the production settings (DEBUG off), on a database holding the demo
content and the whole Digital Public Goods registry. CPU time is read from /proc for the gunicorn
workers before and after each page's run and divided by the requests served, so it stays true on a
busy machine. Traffic goes to 127.0.0.1 only; every loop is bounded.

    python bench/pages.py [--requests 300] [--concurrency 2] [--rebuild]
"""

import argparse
import hashlib
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
VERSION = "1"
# (name, kind, target CPU ms per request); the URLs are found in the database.
PAGES = [
    ("home", "listing", 20),
    ("catalogue", "listing", 20),
    ("filtered catalogue", "listing", 20),
    ("member directory", "listing", 20),
    ("solution page", "detail", 10),
    ("member page", "detail", 10),
]


def run(args, env, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def database_env(database_url):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="ssn4psi.settings.dev")
    env.pop("CELERY_BROKER_URL", None)
    return env


def fingerprint():
    """Changes when the schema or the data loaded for the benchmark change."""
    parts = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/migrations/0*.py"))
    parts.append(hashlib.sha256((ROOT / "ssn4psi" / "demo" / "catalogue.json").read_bytes()).hexdigest())
    parts.append(VERSION)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def prepare_database(database_url, rebuild):
    """Migrate, load the demo content and import the DPG registry, once per fingerprint."""
    marker = RESULTS / "database.fingerprint"
    env = database_env(database_url)
    if not rebuild and marker.exists() and marker.read_text() == fingerprint() + database_url:
        print("Reusing the prepared database (use --rebuild to start again).")
        return
    if database_url.startswith("sqlite:"):
        for suffix in ("", "-wal", "-shm"):
            Path(database_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    print("Preparing the database: migrate, demo content, DPG registry (about a minute)...")
    run(["migrate", "--noinput", "-v0"], env)
    run(["setup_site", "--demo"], env, stdout=subprocess.DEVNULL)
    run(["import_dpg"], env, stdout=subprocess.DEVNULL)
    marker.write_text(fingerprint() + database_url)


def find_urls(database_url):
    code = (
        "import json; from members.models import MemberPage; from solutions.models import SolutionPage, Adoption;"
        "print(json.dumps({'solution': SolutionPage.objects.get(key='mygov').url,"
        " 'member': MemberPage.objects.get(key='bgd-a2i').url,"
        " 'sizes': {'solutions': SolutionPage.objects.live().count(), 'members': MemberPage.objects.live().count(),"
        " 'adoptions': Adoption.objects.count()}}))"
    )
    out = run(["shell", "-c", code], database_env(database_url), capture_output=True, text=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    urls = {
        "home": "/",
        "catalogue": "/solutions/",
        "filtered catalogue": "/solutions/?goal=3&maturity=replicated&dpg=yes",
        "member directory": "/members/",
        "solution page": found["solution"],
        "member page": found["member"],
    }
    return urls, found["sizes"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master_pid):
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def cpu_seconds(pids):
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        status = response.status
    return time.perf_counter() - started, status


def measure(base, path, requests, concurrency, master_pid):
    url = base + path
    for _ in range(10):
        fetch(url)
    pids = worker_pids(master_pid)
    cpu_before = cpu_seconds(pids)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _i: fetch(url), range(requests)))
    elapsed = time.perf_counter() - started
    cpu_after = cpu_seconds(pids)
    bad = [status for _t, status in results if status != 200]
    if bad:
        raise SystemExit(f"{path}: {len(bad)} responses were not 200 OK")
    latencies = sorted(t * 1000 for t, _status in results)
    return {
        "requests": requests,
        "rps": requests / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "cpu_ms": (cpu_after - cpu_before) * 1000 / requests,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true", help="prepare the database again")
    options = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")
    prepare_database(database_url, options.rebuild)
    urls, sizes = find_urls(database_url)

    static_root = tempfile.mkdtemp(prefix="ssn4psi-static-")
    port = free_port()
    env = database_env(database_url)
    env.update(
        DJANGO_SETTINGS_MODULE="ssn4psi.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
    )
    run(["collectstatic", "--noinput", "-v0"], env)
    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "ssn4psi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for _ in range(100):
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer /healthz within 20 s")
        for name, kind, target in PAGES:
            result = measure(base, urls[name], options.requests, options.concurrency, gunicorn.pid)
            rows.append({"page": name, "url": urls[name], "kind": kind, "target_cpu_ms": target, **result})
            print(f"  measured {name}", flush=True)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()

    engine = database_url.split(":", 1)[0]
    print(f"\nCatalogue: {sizes['solutions']} solutions, {sizes['members']} members, {sizes['adoptions']} adoptions")
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {engine}, gunicorn "
        f"{options.workers} sync workers, {options.requests} requests per page at concurrency {options.concurrency}\n"
    )
    print("| page | URL | req/s | p50 ms | p99 ms | CPU ms/req | target | ok |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        ok = row["cpu_ms"] <= row["target_cpu_ms"]
        print(
            f"| {row['page']} | `{row['url']}` | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['cpu_ms']:.1f} | < {row['target_cpu_ms']} | {'yes' if ok else 'NO'} |"
        )
    (RESULTS / "pages.json").write_text(json.dumps({"sizes": sizes, "engine": engine, "rows": rows}, indent=2))
    missed = [row["page"] for row in rows if row["cpu_ms"] > row["target_cpu_ms"]]
    if missed:
        print("\nMissed the CPU target: " + ", ".join(missed))


if __name__ == "__main__":
    main()
