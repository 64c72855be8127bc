"""manage.py evaluate_matcher [--k 1,3,10] [--exclude-widespread N] [--min-adoptions 2] [--ablation] [--json]"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from matchmaking.evaluation import leave_one_out
from matchmaking.recommendations import load_network, matcher_weights
from matchmaking.scoring import Matcher, Weights


class Command(BaseCommand):
    help = (
        "Leave-one-out over the adoptions in the database: hide each adoption whose learner has at least two, "
        "rank the hidden solution among those the learner has not adopted, and report hit@k and MRR for the "
        "matcher and a popularity baseline."
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", default="1,3,10", help="Cut-offs for hit@k, comma-separated (default 1,3,10).")
        parser.add_argument(
            "--exclude-widespread",
            type=int,
            metavar="N",
            help="Leave out solutions adopted by more than N members, from the candidates and the hidden cases.",
        )
        parser.add_argument("--min-adoptions", type=int, default=2, help="Learners need this many adoptions.")
        parser.add_argument("--weights", default="{}", help="Weights to try on top of the settings, as JSON.")
        parser.add_argument(
            "--ablation", action="store_true", help="Also evaluate with each signal switched off in turn."
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            ks = sorted({int(k) for k in options["k"].split(",") if k.strip()})
        except ValueError:
            raise CommandError(f"--k takes whole numbers separated by commas, not {options['k']!r}.") from None
        if not ks or min(ks) < 1:
            raise CommandError("--k needs at least one cut-off of 1 or more.")
        try:
            weights = matcher_weights(json.loads(options["weights"]))
        except (ValueError, TypeError) as error:
            raise CommandError(f"--weights: {error}") from None
        network = load_network()
        started = time.monotonic()
        variants = [("all signals", weights)]
        if options["ablation"]:
            variants += [
                (f"without {name}", weights.without(name)) for name in Weights.SIGNALS if getattr(weights, name)
            ]
        report = {"weights": weights.as_dict(), "exclude_widespread": options["exclude_widespread"], "runs": []}
        for label, variant in variants:
            evaluation = leave_one_out(
                Matcher(network, variant),
                min_adoptions=options["min_adoptions"],
                exclude_widespread=options["exclude_widespread"],
            )
            report["runs"].append({"variant": label, **evaluation.summary(ks), "candidates": evaluation.candidates})
        report["seconds"] = round(time.monotonic() - started, 1)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        first = report["runs"][0]
        self.stdout.write(
            f"{first['cases']} hidden adoptions of {first['learners']} learners, "
            f"{first['candidates']} candidate solutions ({report['seconds']} s)"
        )
        header = ["method", "MRR"] + [f"hit@{k}" for k in ks]
        self.stdout.write("  ".join(f"{h:>22}" if i == 0 else f"{h:>7}" for i, h in enumerate(header)))
        rows = [("popularity baseline", first["popularity"])] + [
            (run["variant"], run["matcher"]) for run in report["runs"]
        ]
        for label, figures in rows:
            cells = [f"{figures['mrr']:.3f}"] + [f"{figures[f'hit@{k}']:.3f}" for k in ks]
            self.stdout.write(f"{label:>22}  " + "  ".join(f"{c:>7}" for c in cells))
        if not first["cases"]:
            self.stdout.write("No adoption can be hidden: no learner has enough adoptions.")
