"""Benchmark of the page cache: CPU milliseconds per request of the main public pages served from the cache, side
by side with /healthz (a view that asks the database `SELECT 1`, and the cache whether it answers), in one process.

The site runs in this process through Django's WSGI handler, with the production settings (bench/settings.py:
DEBUG off, the real middleware, the page cache on), on the database bench/pages.py prepares (the demo content and
the whole Digital Public Goods registry). Each page is requested until it comes from the cache, then every page
and /healthz are requested in turn, --rounds times --requests requests each, and the CPU time of this process
(time.process_time()) is divided by the requests. The target: every page at most 3 times the CPU of /healthz
asking the database only (its cache check switched off for that row; /healthz as it is has its own row). For
scale, each page is also built --built times with the page cache off.

    python bench/page_cache.py [--requests 400] [--rounds 5] [--built 30] [--rebuild]

BENCH_DATABASE_URL=postgres://... measures on that database instead; BENCH_REDIS_URL=redis://... keeps the pages
in Redis instead of the process's memory.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

import pages  # bench/pages.py: the prepared database, the pages' URLs

ROOT = pages.ROOT
RESULTS = pages.RESULTS
TARGET_RATIO = 3.0
#: The issue's yardstick: /healthz asking the database `SELECT 1` and nothing else. /healthz now asks the cache
#: too; it is measured both ways, and the ratios are to the database-only one, the lower (stricter) of the two.
BASELINE = ("health check (database only)", "/healthz")
HEALTH = ("health check", "/healthz")
#: The main public pages, by name, and their URLs: bench/pages.py's.
PAGES = pages.PAGES


class BenchError(Exception):
    """Something that makes the measurement meaningless: stop and say what."""


def wsgi_client(application):
    """A function that GETs a URL through the WSGI application, as gunicorn would: (status, headers, body)."""

    def get(url):
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return answer["status"], answer["headers"], body

    return get


def cpu_ms(get, url, requests):
    """CPU milliseconds of this process per GET of `url`, over `requests` GETs; every answer must be a 200."""
    started = time.process_time()
    for _ in range(requests):
        status, _headers, _body = get(url)
        if status != 200:
            raise BenchError(f"{url} answered {status}")
    return (time.process_time() - started) * 1000 / requests


def warm(get, name, url):
    """Request `url` until it comes from the cache (twice should do); its size."""
    for _ in range(3):
        status, headers, body = get(url)
        if status != 200:
            raise BenchError(f"{name} ({url}) answered {status}")
        if headers.get("X-Page-Cache") == "hit":
            return len(body)
    raise BenchError(f"{name} ({url}) is not served from the cache: {headers.get('Cache-Control')!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="requests per page and round (default 400)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over every page (default 5)")
    parser.add_argument("--built", type=int, default=30, help="requests per page with the cache off (default 30)")
    parser.add_argument("--rebuild", action="store_true", help="prepare the database again")
    options = parser.parse_args()
    if not (1 <= options.requests <= 100_000 and 1 <= options.rounds <= 100 and 0 <= options.built <= 10_000):
        parser.error("--requests 1..100000, --rounds 1..100, --built 0..10000")
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{pages.SQLITE_FILE}"
    static_root = tempfile.mkdtemp(prefix="ssn4psi-bench-static-")
    try:
        env = pages.base_env(database_url, static_root)
        pages.prepare_database(pages.Database("base", database_url), env, options.rebuild)
        urls, found = pages.find_urls(env)
        pages.manage(["collectstatic", "--noinput", "-v0"], env)
        # bench/pages.py prepares with every cache off; here the page cache is on (bench/settings.py).
        os.environ.update(env, DJANGO_SETTINGS_MODULE="bench.settings", BENCH_PAGE_CACHE="1")
        sys.path.insert(0, str(ROOT))
        rows, info = measure(urls, options)
    except (BenchError, pages.BenchError) as error:
        sys.exit(f"bench: {error}")
    except subprocess.CalledProcessError as error:
        sys.exit(f"bench: {' '.join(map(str, error.cmd[1:]))} failed with status {error.returncode}")
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    report(rows, info, found, options, time.monotonic() - started)


def measure(urls, options):
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.core.wsgi import get_wsgi_application

    from ssn4psi import views

    get = wsgi_client(get_wsgi_application())
    status, _headers, body = get(HEALTH[1])
    if status != 200:
        raise BenchError(f"/healthz answered {status}: {body[:200]!r}")
    pages_measured = [(name, urls[name]) for name in PAGES]
    targets = [BASELINE, HEALTH, *pages_measured]
    sizes = {name: warm(get, name, url) for name, url in pages_measured}
    check_cache = views._check_cache
    totals = dict.fromkeys((name for name, _url in targets), 0.0)
    for _round in range(options.rounds):  # in turn, so that a slower moment of the machine touches every page
        for name, url in targets:
            views._check_cache = (lambda: None) if name == BASELINE[0] else check_cache
            try:
                totals[name] += cpu_ms(get, url, options.requests)
            finally:
                views._check_cache = check_cache
    cached = {name: total / options.rounds for name, total in totals.items()}
    built = {}
    if options.built:
        settings.PAGE_CACHE_ENABLED = False
        try:
            for name, url in pages_measured:
                get(url)  # the first one after a change fills the process's memory (sites, vocabulary)
                built[name] = cpu_ms(get, url, options.built)
        finally:
            settings.PAGE_CACHE_ENABLED = True
    baseline = cached[BASELINE[0]]
    rows = []
    for name, url in targets:
        ratio = cached[name] / baseline
        rows.append(
            {
                "page": name,
                "url": url,
                "bytes": sizes.get(name),
                "cpu_ms": round(cached[name], 3),
                "ratio": round(ratio, 2),
                "built_cpu_ms": round(built[name], 2) if name in built else None,
                "ok": name in (BASELINE[0], HEALTH[0]) or ratio <= TARGET_RATIO,
            }
        )
    return rows, {"cache": type(caches[settings.PAGE_CACHE_ALIAS]).__name__}


def report(rows, info, found, options, seconds):
    sizes = found["sizes"]
    print(
        f"\nCatalogue: {sizes['solutions']} solutions, {sizes['members']} members, {sizes['adoptions']} adoptions; "
        f"{found['engine']} {found['engine_version']}; cache {info['cache']}; "
        f"{options.rounds} rounds of {options.requests} requests per page in one process; {seconds:.0f} s in all\n"
    )
    print("| page | URL | CPU ms/req cached | ratio to /healthz (database only) | target | ok? | CPU ms/req built |")
    print("|---|---|---:|---:|---:|---|---:|")
    for row in rows:
        target = "" if row["page"] in (BASELINE[0], HEALTH[0]) else f"<= {TARGET_RATIO:g}x"
        built = f"{row['built_cpu_ms']:.1f}" if row["built_cpu_ms"] is not None else ""
        ok = ("yes" if row["ok"] else "NO") if target else ""
        print(
            f"| {row['page']} | `{row['url']}` | {row['cpu_ms']:.3f} | {row['ratio']:.2f} | {target} | {ok} | {built} |"
        )
    missed = [row["page"] for row in rows if not row["ok"]]
    print("\nMissed the target: " + ", ".join(missed) if missed else "\nEvery page meets the target.")
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"nproc": len(os.sched_getaffinity(0)), "load_average": os.getloadavg()},
        "engine": f"{found['engine']} {found['engine_version']}",
        "cache": info["cache"],
        "options": {"requests": options.requests, "rounds": options.rounds, "built": options.built},
        "catalogue": sizes,
        "seconds": round(seconds, 1),
        "rows": rows,
        "missed": missed,
    }
    (RESULTS / "page_cache.json").write_text(json.dumps(document, indent=2) + "\n")
    print(f"Written to {(RESULTS / 'page_cache.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
