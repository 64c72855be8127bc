"""manage.py generate_network [--members N] [--needs N] [--solutions N] [--adoptions N] [--seed N] [--output FILE]"""

import json

from django.core.management.base import BaseCommand, CommandError

from network.synthetic import as_catalogue, generate


class Command(BaseCommand):
    help = (
        "Write a synthetic network (members in real countries, needs and solutions tagged with real SDG targets "
        "and themes, adoptions with a long tail) in the catalogue format, for benchmarks and load tests. "
        "Seeded: the same arguments give the same file. Import it with import_catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000)
        parser.add_argument("--needs", type=int, default=5000)
        parser.add_argument("--solutions", type=int, default=20000)
        parser.add_argument("--adoptions", type=int, default=50000, help="about this many (duplicates dropped)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, members, needs, solutions, adoptions, seed, output, **options):
        if members < 2 or min(needs, solutions, adoptions) < 0:
            raise CommandError("--members must be 2 or more, and --needs, --solutions, --adoptions 0 or more.")
        if solutions == 0 and adoptions:
            raise CommandError("--adoptions needs at least one solution.")
        document = as_catalogue(generate(members, needs, solutions, adoptions, seed))
        text = json.dumps(document, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            self.stderr.write(
                f"Wrote {len(document['members'])} members, {sum(len(m['needs']) for m in document['members'])} "
                f"needs and {len(document['solutions'])} solutions to {output}"
            )
        else:
            self.stdout.write(text)
