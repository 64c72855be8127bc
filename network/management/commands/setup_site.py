from pathlib import Path

from django.core.management.base import BaseCommand

from members.models import MemberPage
from network.catalogue.importer import import_catalogue, load_document
from network.site import describe_site, ensure_site

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "demo" / "catalogue.json"


class Command(BaseCommand):
    help = (
        "Create the site's fixed pages, locales and groups; "
        "with --demo, load the demo content when no member exists yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="Load network/demo/catalogue.json into an empty catalogue."
        )

    def handle(self, demo, **options):

        structure = ensure_site()
        self.stdout.write(describe_site(structure))
        if demo and not MemberPage.objects.exists():
            summary = import_catalogue(load_document(DEMO_CATALOGUE))
            for line in summary.lines():
                self.stdout.write(line)
            self.stdout.write("Demo content loaded.")
