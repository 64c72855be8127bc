"""Benchmark of the public pages in instructions: what each costs the CPU, counted by valgrind's callgrind instead
of timed, so that the count is the same from one run to the next, on a busy machine as on a quiet one.

CPU milliseconds (bench/pages.py) are what the bars are written in, but on a shared virtual machine they move by
10 to 30 % between runs, and from one machine to another by up to twice: too much to tell whether a change of a
few percent helped. Instructions do not move. Each page is served in-process by Django's test client with the
settings and the base database of bench/pages.py (production settings, every cache off, demo + DPG registry),
under callgrind twice: after a few warm-up requests, once with no more requests and once with --requests more;
the difference divided by the requests is the page's cost. The same for `/healthz` (a view that asks the database
`SELECT 1`), and each page's cost is also given as a multiple of the home page's, which lets a time measured for
the home page on another machine be carried over to the other pages.

    python bench/instructions.py [--requests 10] [--pages home,member page]

Needs valgrind. The base database is prepared as bench/pages.py prepares it (and reused when it already is).
About ten minutes on two cores: callgrind runs Python some fifty times slower.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages as page_bench  # noqa: E402 - the path above first

WARM_UP = 5
#: Run in the measured process: Django set up, `warm_up` requests, then `count` more.
RUNNER = """
import sys
import django
django.setup()
from django.test import Client
url, warm_up, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = Client(HTTP_HOST="127.0.0.1")
for _ in range(warm_up + count):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
"""


def collected(env, url, count):
    """Instructions callgrind counted for a process that serves `url` WARM_UP + `count` times."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        page_bench.PYTHON,
        "-c",
        RUNNER,
        url,
        str(WARM_UP),
        str(count),
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not found:
        raise page_bench.BenchError(f"callgrind on {url} failed:\n{result.stderr.strip()[-2000:]}")
    return int(found.group(1))


def per_request(env, url, requests, pool):
    """Instructions per request of `url`: the two processes' difference over `requests`."""
    without, with_requests = pool.map(lambda count: collected(env, url, count), (0, requests))
    return (with_requests - without) / requests


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10, help="measured requests per page (default 10)")
    parser.add_argument(
        "--pages", default=",".join(page_bench.PAGES), help="the pages, by bench/pages.py's names (default all)"
    )
    options = parser.parse_args()
    chosen = [name.strip() for name in options.pages.split(",") if name.strip()]
    if unknown := set(chosen) - set(page_bench.PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}; known: {', '.join(page_bench.PAGES)}")
    if not 1 <= options.requests <= 1000:
        parser.error("--requests from 1 to 1000")
    if not shutil.which("valgrind"):
        sys.exit("bench: valgrind is not installed (apt-get install valgrind)")
    started = time.monotonic()
    page_bench.RESULTS.mkdir(parents=True, exist_ok=True)
    static_root = tempfile.mkdtemp(prefix="ssn4psi-bench-static-")
    try:
        (base,) = page_bench.databases([])
        env = page_bench.base_env(base.url, static_root)
        env["PYTHONHASHSEED"] = "0"  # the same dictionaries, so the same work, in every process
        page_bench.prepare_database(base, env, False)
        addresses, _found = page_bench.find_urls(env)
        page_bench.manage(["collectstatic", "--noinput", "-v0"], env)
        measured = {}
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for name in ["/healthz", "home", *[name for name in chosen if name != "home"]]:
                url = addresses.get(name, name)
                measured[name] = per_request(env, url, options.requests, pool)
                print(f"  {name}: {measured[name] / 1e6:.1f} M instructions per request", flush=True)
    except page_bench.BenchError as error:
        sys.exit(f"bench: {error}")
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    healthz, home = measured.pop("/healthz"), measured["home"]
    print()
    print(f"{base.label}; {options.requests} requests per page after {WARM_UP} warm-up requests; valgrind callgrind;")
    print(f"{time.monotonic() - started:.0f} s in all.")
    print()
    print("| page | M instructions per request | × /healthz | × home |")
    print("|---|---:|---:|---:|")
    print(f"| `/healthz` | {healthz / 1e6:.1f} | 1.0 | {healthz / home:.2f} |")
    for name, value in measured.items():
        if name in chosen:
            print(f"| {name} | {value / 1e6:.1f} | {value / healthz:.1f} | {value / home:.2f} |")


if __name__ == "__main__":
    main()
