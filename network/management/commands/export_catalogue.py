import json

from django.core.management.base import BaseCommand

from network.catalogue.exporter import export_catalogue


class Command(BaseCommand):
    help = "Write the catalogue (members, needs, solutions, adoptions, exchanges, workshops) in the catalogue format."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument(
            "--public",
            action="store_true",
            help="Only what an anonymous visitor may see: live and public pages, no workshop's online link.",
        )

    def handle(self, output, public, **options):
        text = json.dumps(export_catalogue(public=public), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
