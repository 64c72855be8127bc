"""Benchmark of the catalogue importers: the DPG registry, then a synthetic network added to an existing catalogue.

    python bench/imports.py [--members 1000] [--solutions 5000] [--needs 3000] [--adoptions 15000] [--seed 7]

On a new SQLite database (or BENCH_DATABASE_URL=postgres://..., emptied first), with the development settings
(Celery eager, as `make run`): the seeds' catalogue (network/demo/catalogue.json), then `import_dpg` (181 products, 369
members, about 2,500 adoptions), then a synthetic network of `--members` members and `--solutions` solutions
(`generate_network`, in real countries, tagged with real SDG targets and themes) imported into that catalogue, then
the same two imports again (idempotent: nothing changes). Each import is timed in its process around the service
call, the transaction's commit included, and with it the work queued for the commit (the search index, the
recommendations and the similar solutions, computed in-process as Celery is eager): wall-clock seconds, which
other work on the machine lengthens, and the process's CPU seconds, which it does not.

Bars (the issue "The network, seen"): the synthetic network at 100 solutions a second or more, the DPG registry in
under 10 s. Results in bench/results/imports.json. Exit status 1 when a bar is missed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEMO_CATALOGUE = ROOT / "network" / "demo" / "catalogue.json"
PYTHON = sys.executable

TIMED = """
import json, time
from network.catalogue.importer import import_catalogue, load_document
from network.services import import_dpg
start, cpu = time.perf_counter(), time.process_time()
if {kind!r} == "dpg":
    summary = import_dpg().summary
else:
    summary = import_catalogue(load_document({path!r}))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
counts = {{k: dict(v) for k, v in summary.counts.items()}}
print("RESULT " + json.dumps({{"seconds": seconds, "cpu": cpu, "counts": counts}}))
"""


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else None


def timed_import(env, kind, path=None):
    output = manage(env, "shell", "-c", TIMED.format(kind=kind, path=str(path)), capture=True)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--solutions", type=int, default=5000)
    parser.add_argument("--needs", type=int, default=3000)
    parser.add_argument("--adoptions", type=int, default=15000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ssn4psi.settings.dev", "PYTHONUNBUFFERED": "1"}
    database = os.environ.get("BENCH_DATABASE_URL")
    if database:
        env["DATABASE_URL"] = database
        manage(env, "flush", "--noinput")
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'imports.sqlite3'}"
    print(f"Database: {env['DATABASE_URL']}", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "setup_site", capture=True)  # the fixed pages, without the demo (which holds the DPG registry)

    network = workdir / "network.json"
    manage(
        env,
        "generate_network",
        *("--members", str(args.members), "--solutions", str(args.solutions), "--needs", str(args.needs)),
        *("--adoptions", str(args.adoptions), "--seed", str(args.seed), "--output", str(network)),
    )
    runs = {
        "seeds' catalogue": timed_import(env, "catalogue", DEMO_CATALOGUE),
        "dpg": timed_import(env, "dpg"),
        "network": timed_import(env, "catalogue", network),
        "dpg again": timed_import(env, "dpg"),
        "network again": timed_import(env, "catalogue", network),
    }
    created = runs["network"]["counts"]["solutions"].get("created", 0)
    rate = created / runs["network"]["seconds"]
    print(f"\n{'import':<16} {'seconds':>8} {'CPU s':>7}  records (+created/~updated)")
    for name, run in runs.items():
        print(f"{name:<16} {run['seconds']:>8.1f} {run['cpu']:>7.1f}  {_counts(run['counts'])}")
    print(f"\nSynthetic network: {created} solutions in {runs['network']['seconds']:.1f} s = {rate:.0f} solutions/s")
    checks = {
        "network at 100 solutions/s or more": rate >= 100,
        "DPG registry in under 10 s": runs["dpg"]["seconds"] < 10,
        "second imports change nothing": all(
            not counts.get("created") and not counts.get("updated")
            for name in ("dpg again", "network again")
            for counts in runs[name]["counts"].values()
        ),
    }
    for check, passed in checks.items():
        print(f"{'ok  ' if passed else 'FAIL'} {check}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "imports.json").write_text(
        json.dumps({"arguments": vars(args), "runs": runs, "solutions_per_second": rate, "checks": checks}, indent=2)
    )
    return 0 if all(checks.values()) else 1


def _counts(counts):
    return ", ".join(
        f"{kind} +{c.get('created', 0)}/~{c.get('updated', 0)}" for kind, c in counts.items() if any(c.values())
    )


if __name__ == "__main__":
    sys.exit(main())
