"""Benchmark of the matcher on a synthetic network (network/synthetic.py; `manage.py generate_network`
writes the same network as a catalogue file).

    python bench/matcher.py [--members 1000] [--needs 5000] [--solutions 20000] [--adoptions 50000]
                            [--repeat 3] [--skip-cache]

Measures, against the targets of the matchmaking issue:
- the whole recommendation set recomputed: reading the network into the matcher (graph and matrices) and
  scoring and explaining every learner's partners and "solutions like the ones you adopted", the two
  lists that are stored (< 5 s);
- one member's recommendations recomputed alone, with a matcher already built (< 50 ms, median and p95);
- one member's stored recommendations served as a page reads them (partners, solutions, reasons in
  words, from the database; < 10 ms). This part runs on the page benchmark's database (demo content and
  the DPG registry, prepared by bench/pages.py), where every learner has its stored set: the read is one
  indexed lookup per list, whatever the size of the network;
- the agenda of a matchmaking workshop: 200 delegations (100 learners, 100 providers), each side at most 8
  meetings, placed in 8 slots (< 0.5 s), checked for double bookings.
Results are printed and written to bench/results/matcher.json. Wall-clock times on an otherwise idle
machine; the script says how many cores it ran on.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssn4psi.settings.dev")

TARGETS = {"recompute_all_s": 5.0, "recompute_one_ms": 50.0, "serve_one_ms": 10.0, "agenda_s": 0.5}

# Run by `manage.py shell -c` on the page benchmark's database: time the stored-recommendation reads.
SERVE = """
import json, statistics, time
from django.utils import translation
from matchmaking.listings import partners_for, solutions_for
from matchmaking.recommendations import refresh_recommendations
from members.models import MemberPage
from ssn4psi.vocabulary import LEARNER_KINDS
started = time.perf_counter()
counts = refresh_recommendations()
refresh = time.perf_counter() - started
translation.activate("en")
learners = list(MemberPage.objects.live().filter(kind__in=LEARNER_KINDS).order_by("pk"))
times = []
for member in learners * 3:
    started = time.perf_counter()
    partners = partners_for(member)
    adopters = solutions_for(member, "adopters")
    sentences = sum(len(p.sentences) for p in partners) + sum(len(s.sentences) for s in adopters)
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({"learners": len(learners), "refresh_s": refresh, "stored": counts,
                  "median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95)]}))
"""


def measure_matcher(options):
    import django

    django.setup()
    import numpy as np

    from matchmaking.pairing import check_agenda, plan
    from matchmaking.scoring import GOVERNMENT_KINDS, Matcher, gc_paused
    from network.synthetic import generate

    started = time.perf_counter()
    network = generate(options.members, options.needs, options.solutions, options.adoptions)
    generated = time.perf_counter() - started
    sizes = {
        "members": len(network.members),
        "needs": len(network.needs),
        "solutions": len(network.solutions),
        "adoptions": len(network.adoptions),
    }
    print(f"Synthetic network: {sizes} (generated in {generated:.1f} s)", flush=True)

    whole, build = [], []
    for _round in range(options.repeat):
        matcher = None  # the previous round's matcher is freed first, as in a worker
        started = time.perf_counter()
        with gc_paused():  # as matchmaking.recommendations does
            matcher = Matcher(network)
        built = time.perf_counter()
        learners = [m.key for m in matcher.members if m.kind in GOVERNMENT_KINDS]
        for start in range(0, len(learners), 200):
            with gc_paused():
                matcher.recommend_many(learners[start : start + 200], top=10, by=("provider", "adopters"))
        whole.append(time.perf_counter() - started)
        build.append(built - started)
        print(f"  whole set: {whole[-1]:.2f} s (of which reading the network {build[-1]:.2f} s)", flush=True)

    rng = np.random.default_rng(1)
    sample = [learners[i] for i in rng.choice(len(learners), size=min(100, len(learners)), replace=False)]
    one = []
    for key in sample:
        started = time.perf_counter()
        with gc_paused():
            matcher.recommend_many([key], top=10, by=("provider", "adopters"))
        one.append((time.perf_counter() - started) * 1000)
    one.sort()
    print(f"  one member: median {statistics.median(one):.1f} ms, p95 {one[int(len(one) * 0.95)]:.1f} ms", flush=True)

    # A workshop of 100 learners and the 100 providers most often recommended to them.
    invited = sample[:100]
    found = matcher.recommend_many(invited, top=60, by="provider", explain=False)
    popular = {}
    for results in found.values():
        for result in results:
            if result.key not in invited:  # a delegation comes to learn or to share, not both
                popular[result.key] = popular.get(result.key, 0) + 1
    providers = set(sorted(popular, key=lambda key: (-popular[key], key))[:100])
    scores = {
        (learner, result.key): result.score
        for learner, results in found.items()
        for result in results
        if result.key in providers
    }
    agenda_times = []
    for _round in range(options.repeat):
        started = time.perf_counter()
        agenda = plan(scores, k=8, c=8, slots=8)
        agenda_times.append(time.perf_counter() - started)
    problems = check_agenda(agenda, k=8, c=8, slots=8)
    slots_used = max((m.slot for m in agenda), default=-1) + 1
    print(
        f"  agenda: {len(invited)} learners x {len(providers)} providers, {len(scores)} candidate pairs, "
        f"{len(agenda)} meetings in {slots_used} slots: {min(agenda_times):.3f} s, problems: {len(problems)}",
        flush=True,
    )
    return {
        "sizes": sizes,
        "learners": len(learners),
        "recompute_all_s": statistics.median(whole),
        "read_network_s": statistics.median(build),
        "recompute_one_ms": statistics.median(one),
        "recompute_one_p95_ms": one[int(len(one) * 0.95)],
        "agenda_s": min(agenda_times),
        "agenda": {
            "learners": len(invited),
            "providers": len(providers),
            "candidate_pairs": len(scores),
            "meetings": len(agenda),
            "slots_used": slots_used,
            "problems": problems,
        },
    }


def measure_serving():
    """Stored recommendations read as the member page reads them, on the page benchmark's database."""
    sys.path.insert(0, str(ROOT / "bench"))
    import pages

    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{pages.SQLITE_FILE}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = pages.base_env(database_url, str(RESULTS))
    pages.prepare_database(database_url, env, rebuild=False)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SERVE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit("bench: could not read the stored recommendations:\n" + result.stderr.strip())
    served = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"  served from the database ({served['learners']} learners, demo + DPG registry): "
        f"median {served['median_ms']:.2f} ms, p95 {served['p95_ms']:.2f} ms "
        f"(recomputing and storing that set took {served['refresh_s']:.1f} s)",
        flush=True,
    )
    return served


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--solutions", type=int, default=20000)
    parser.add_argument("--adoptions", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-cache", action="store_true", help="do not measure the stored-recommendation reads")
    options = parser.parse_args()
    if not (1 <= options.repeat <= 20 and options.members >= 2 and options.solutions >= 1):
        parser.error("--repeat 1..20, at least 2 members and 1 solution")
    report = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
              "cores": os.cpu_count(), "python": platform.python_version()}  # fmt: skip
    report["matcher"] = measure_matcher(options)
    if not options.skip_cache:
        report["served"] = measure_serving()
    figures = {
        "recompute_all_s": report["matcher"]["recompute_all_s"],
        "recompute_one_ms": report["matcher"]["recompute_one_ms"],
        "serve_one_ms": report.get("served", {}).get("median_ms"),
        "agenda_s": report["matcher"]["agenda_s"],
    }
    print("\n| measure | result | target |\n|---|---|---|")
    for name, value in figures.items():
        if value is not None:
            mark = "ok" if value < TARGETS[name] else "MISSED"
            print(f"| {name} | {value:.3f} | < {TARGETS[name]} ({mark}) |")
    report["targets"] = TARGETS
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "matcher.json").write_text(json.dumps(report, indent=2))
    print(f"Written to {(RESULTS / 'matcher.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
