"""Benchmark of registration under load: 200 people register and confirm at once for a 30-place workshop.

    python bench/registrations.py [--people 200] [--places 30] [--threads 8]

Runs on the page benchmark's database (bench/pages.py prepares it; BENCH_DATABASE_URL=postgres://... for
PostgreSQL, where --threads 32 is closer to real traffic), in a temporary workshop deleted afterwards. Reports
registrations per second (register + confirm, each in its own transaction with the workshop row locked), and
checks the outcome: exactly `places` confirmed, the rest on the waiting list. E-mails are kept in memory.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

RUN = """
import json, time, datetime
from concurrent.futures import ThreadPoolExecutor
from django.conf import settings
from django.db import connections
from django.utils import timezone
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
from network.site import ensure_site
from workshops import services
from workshops.models import Registration, WorkshopPage
index = ensure_site().workshops
start = timezone.now() + datetime.timedelta(days=30)
workshop = index.add_child(instance=WorkshopPage(title="Benchmark workshop", slug=f"bench-{time.time_ns()}",
    kind="matchmaking", format="in_person", start=start, end=start + datetime.timedelta(hours=8),
    capacity=PARAMS["places"]))
def one(n):
    try:
        registration = services.register(workshop, name=f"Person {n}", email=f"person{n}@bench.example",
                                         organisation="Bench", privacy_consent=True)
        return services.confirm(registration).status
    finally:
        connections.close_all()
try:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=PARAMS["threads"]) as pool:
        statuses = list(pool.map(one, range(PARAMS["people"])))
    seconds = time.perf_counter() - started
    counts = {status: statuses.count(status) for status in set(statuses)}
    stored = Registration.objects.filter(workshop=workshop).count()
    print(json.dumps({"seconds": seconds, "per_second": PARAMS["people"] / seconds, "statuses": counts,
                      "stored": stored}))
finally:
    Registration.objects.filter(workshop=workshop).delete()
    WorkshopPage.objects.get(pk=workshop.pk).delete()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=30)
    parser.add_argument("--threads", type=int, default=8)
    options = parser.parse_args()
    if not (1 <= options.people <= 10_000 and options.places >= 0 and 1 <= options.threads <= 64):
        parser.error("--people 1..10000, --places 0 or more, --threads 1..64")
    sys.path.insert(0, str(ROOT / "bench"))
    import pages

    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{pages.SQLITE_FILE}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = pages.base_env(database_url, str(RESULTS))
    pages.prepare_database(database_url, env, rebuild=False)
    params = {"people": options.people, "places": options.places, "threads": options.threads}
    code = f"PARAMS = {params!r}\n{RUN}"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit("bench: the registration run failed:\n" + result.stderr.strip())
    found = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {"confirmed": min(options.places, options.people), "waitlisted": max(options.people - options.places, 0)}
    ok = all(found["statuses"].get(status, 0) == count for status, count in expected.items() if count)
    engine = database_url.split(":", 1)[0]
    print(
        f"{options.people} registrations (register + confirm) with {options.threads} threads on {engine}: "
        f"{found['seconds']:.2f} s, {found['per_second']:.0f} registrations per second; "
        f"outcome {found['statuses']} ({'as expected' if ok else 'WRONG'}), {found['stored']} stored"
    )
    (RESULTS / "registrations.json").write_text(json.dumps({**params, "engine": engine, **found, "ok": ok}, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
