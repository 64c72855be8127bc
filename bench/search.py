"""Benchmark of the site search on the database backend: p50/p99 latency of ten typical queries with facets.

The database holds the demo content, the whole Digital Public Goods registry and synthetic content
(network.synthetic) up to --solutions live solutions (10,000 by default), prepared once into a fresh
database: bench/results/search.sqlite3, or the PostgreSQL database named by BENCH_DATABASE_URL (which should
be an empty database kept for this: it is migrated and filled, never emptied). How long the preparation took
is printed and kept in bench/results/search-prepare-<engine>.json.

Each query runs warm (3 runs first, not counted), then --repeat times (20 by default), measured twice: the
backend alone (`get_backend().search(...)`) and the whole page (`GET /search/?...` through Django's test
client, template included). Everything runs in this process on 127.0.0.1's database; nothing is sent
elsewhere.

    python bench/search.py [--solutions 10000] [--repeat 20] [--rebuild] [--prepare-only | --measure-only]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SQLITE_FILE = RESULTS / "search.sqlite3"
PYTHON = sys.executable
#: Targets on SQLite (the issue's bars); PostgreSQL is reported against the same numbers.
TARGET_P50_MS, TARGET_P99_MS = 50, 200

#: (name, query string of GET /search/): ten typical visits, words with facets and facets alone.
QUERIES = [
    ("one word", "q=health"),
    ("two words", "q=digital+identity"),
    ("word + goal", "q=payment&goal=16"),
    ("word + type + theme", "q=school&type=solution&theme=education"),
    ("word + region + maturity", "q=farmer+market&region=africa&maturity=scaled"),
    ("facets only", "goal=3&dpg=yes"),
    ("prefix-like word", "q=regist"),
    ("misspelt (did you mean)", "q=helth"),
    ("French words", "q=identit%C3%A9+juridique&lang=fr"),
    ("word + country + page 3", "q=service&country=BGD&page=3"),
]

# Run by `manage.py shell -c`: synthetic solutions up to the wanted number, in chunks, then their index.
LOAD_SYNTHETIC = """
import time
from network.synthetic import as_catalogue, generate
from solutions.models import SolutionPage
from network.catalogue.importer import import_catalogue
have = SolutionPage.objects.live().count()
missing = max(0, PARAMS["solutions"] - have)
print(f"{have} solutions before the synthetic content; adding {missing}", flush=True)
if missing:
    document = as_catalogue(generate(members=400, needs=1200, solutions=missing, adoptions=missing * 2, seed=7))
    members, solutions = document["members"], document["solutions"]
    import_catalogue({"format": document["format"], "members": members, "solutions": []})
    step = 500
    for start in range(0, len(solutions), step):
        began = time.monotonic()
        import_catalogue({"format": document["format"], "solutions": solutions[start:start + step]})
        print(f"  {start + step} solutions in {time.monotonic() - began:.1f} s", flush=True)
print(SolutionPage.objects.live().count(), "live solutions", flush=True)
"""


ANALYZE = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
"""


def env_for(database_url):
    dropped = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "ELASTICSEARCH_URL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    env.update(
        DJANGO_SETTINGS_MODULE="ssn4psi.settings.dev",
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
        LOG_LEVEL="ERROR",
    )
    return env


def manage(args, env, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def prepare(database_url, solutions, rebuild):
    """Migrate, demo content, DPG registry, synthetic content, search index; once (a marker file remembers)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    engine = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    marker = RESULTS / f"search-prepare-{engine}.json"
    if not rebuild and marker.exists():
        done = json.loads(marker.read_text())
        if done.get("database_url") == database_url and done.get("solutions") == solutions:
            print(f"Reusing the prepared {engine} database (prepared in {done['seconds']:.0f} s; --rebuild redoes it).")
            return done
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    env = env_for(database_url)
    steps = {}
    started = time.monotonic()
    for name, args in [
        ("migrate", ["migrate", "--noinput", "-v0"]),
        ("demo", ["setup_site", "--demo"]),
        ("dpg", ["import_dpg"]),
        ("synthetic", ["shell", "-c", f"PARAMS = {{'solutions': {solutions}}}\n{LOAD_SYNTHETIC}"]),
        # Imports index what they write after each commit; a full rebuild makes sure nothing was missed.
        ("index", ["update_index"]),
        # What autovacuum does on a live PostgreSQL server after a bulk load: fresh statistics for the planner.
        ("analyze", ["shell", "-c", ANALYZE]),
    ]:
        began = time.monotonic()
        print(f"Preparing: {name}...", flush=True)
        manage(args, env, stdout=None if name == "synthetic" else subprocess.DEVNULL)
        steps[name] = round(time.monotonic() - began, 1)
    done = {
        "database_url": database_url,
        "solutions": solutions,
        "seconds": round(time.monotonic() - started, 1),
        "steps": steps,
    }
    marker.write_text(json.dumps(done, indent=2))
    print(f"Prepared in {done['seconds']:.0f} s: {steps}")
    return done


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(repeat):
    """Latency of each query, backend alone and whole page, in milliseconds."""
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from members.models import MemberPage
    from search.backends import get_backend
    from search.views import query_from_request
    from solutions.models import SolutionPage

    backend = get_backend()
    client = Client()
    sizes = {
        "solutions": SolutionPage.objects.live().count(),
        "dpg": SolutionPage.objects.live().filter(dpg=True).count(),
        "members": MemberPage.objects.live().count(),
    }
    rows = []
    for name, querystring in QUERIES:
        params = QueryDict(querystring)
        query = query_from_request(params, language=params.get("lang", "en"))
        url = "/search/?" + querystring
        headers = {"HTTP_ACCEPT_LANGUAGE": params.get("lang", "en")}
        for _ in range(3):
            results = backend.search(query)
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            backend.search(query)
        backend_ms, page_ms = [], []
        for _ in range(repeat):
            began = time.perf_counter()
            backend.search(query)
            backend_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            client.get(url, **headers)
            page_ms.append((time.perf_counter() - began) * 1000)
        rows.append(
            {
                "query": name,
                "url": url,
                "total": results.total,
                "sql_queries": len(queries),
                "backend_p50": statistics.median(backend_ms),
                "backend_p99": percentile(backend_ms, 0.99),
                "page_p50": statistics.median(page_ms),
                "page_p99": percentile(page_ms, 0.99),
            }
        )
    return {"engine": connection.vendor, "sizes": sizes, "rows": rows}


def table(report):
    lines = [
        f"Search on {report['engine']}: {report['sizes']['solutions']} live solutions "
        f"({report['sizes']['dpg']} digital public goods), {report['sizes']['members']} members; "
        f"{report['repeat']} warm runs per query.",
        "",
        "| query | results | SQL queries | backend p50 ms | backend p99 ms | page p50 ms | page p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["rows"]:
        lines.append(
            f"| {row['query']} (`{row['url']}`) | {row['total']} | {row['sql_queries']} | {row['backend_p50']:.1f} | "
            f"{row['backend_p99']:.1f} | {row['page_p50']:.1f} | {row['page_p99']:.1f} |"
        )
    every = list(report["rows"])
    p50 = max(row["page_p50"] for row in every)
    p99 = max(row["page_p99"] for row in every)
    lines.append("")
    lines.append(
        f"Worst page p50 {p50:.1f} ms (target {TARGET_P50_MS}), worst page p99 {p99:.1f} ms (target {TARGET_P99_MS})."
    )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--solutions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument(
        "--measure-only", action="store_true", help="Measure the database as it is (say so when it is not full)."
    )
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{SQLITE_FILE}"
    prepared = {"skipped": True} if args.measure_only else prepare(database_url, args.solutions, args.rebuild)
    if args.prepare_only:
        return
    os.environ.update(env_for(database_url))
    sys.path.insert(0, str(ROOT))
    report = measure(args.repeat)
    report.update(repeat=args.repeat, prepared=prepared)
    engine = report["engine"]
    (RESULTS / f"search-{engine}.json").write_text(json.dumps(report, indent=2))
    print(table(report))


if __name__ == "__main__":
    main()
