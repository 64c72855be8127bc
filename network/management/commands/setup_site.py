from django.core.management.base import BaseCommand

from members.models import MemberPage
from network.demo import load_demo
from network.site import describe_site, ensure_site


class Command(BaseCommand):
    help = (
        "Create the site's fixed pages, locales and groups; "
        "with --demo, load the demo content when no member exists yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the demo content into an empty catalogue: the seeds' network, the DPG registry and two "
            "upcoming workshops (network/demo).",
        )

    def handle(self, demo, **options):

        structure = ensure_site()
        if demo and not MemberPage.objects.exists():
            for line in load_demo().lines:
                self.stdout.write(line)
            self.stdout.write("Demo content loaded.")
        self.stdout.write(describe_site(structure))
