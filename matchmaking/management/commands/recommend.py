"""manage.py recommend MEMBER_KEY [--top N] [--by provider|solution] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError

from matchmaking.recommendations import recommend
from matchmaking.scoring import UnknownMember


class Command(BaseCommand):
    help = "Print the providers (or solutions) recommended to a learner, with the reasons, computed afresh."

    def add_arguments(self, parser):
        parser.add_argument("member", metavar="MEMBER_KEY", help="The learner's key, e.g. cod or phl-barmm.")
        parser.add_argument("--top", type=int, default=10, help="How many results (default 10).")
        parser.add_argument("--by", choices=("provider", "solution"), default="provider")
        parser.add_argument("--json", action="store_true", help="Print JSON (see README, Matchmaking).")

    def handle(self, *args, member, top, by, json: bool, **options):
        if top < 1:
            raise CommandError("--top must be 1 or more.")
        try:
            results = recommend(member, top=top, by=by)
        except UnknownMember:
            raise CommandError(f"No member with the key {member!r} (see the member directory, /members/).") from None
        if json:
            self.stdout.write(_dumps({"learner": member, "by": by, "results": results}))
            return
        if not results:
            self.stdout.write(f"No recommendation for {member}: nothing in the catalogue answers it yet.")
        for rank, result in enumerate(results, start=1):
            if by == "provider":
                self.stdout.write(
                    f"{rank}. {result['key']}  score {result['score']:.3f}  solutions: {', '.join(result['solutions'])}"
                )
                if result["facilitators"]:
                    self.stdout.write(f"   facilitators: {', '.join(result['facilitators'])}")
            else:
                self.stdout.write(f"{rank}. {result['key']} by {result['provider']}  score {result['score']:.3f}")
            for reason in result["reasons"]:
                self.stdout.write(f"   - {reason}")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
