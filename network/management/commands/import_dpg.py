from django.core.management.base import BaseCommand, CommandError

from network.catalogue.importer import CatalogueError
from network.services import DEFAULT_REGISTRY, RegistryNotFound, import_dpg


class Command(BaseCommand):
    help = (
        "Import the Digital Public Goods Alliance registry (nominees/ and digitalpublicgoods/): products as "
        "solutions, owner organisations as members, deployment countries as adoptions. Running it twice "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(DEFAULT_REGISTRY))

    def handle(self, directory, **options):
        try:
            report = import_dpg(
                directory, progress=lambda kind, done, total: self.stderr.write(f"{kind}: {done:,}/{total:,}")
            )
        except RegistryNotFound as error:
            raise CommandError(str(error)) from error
        except CatalogueError as error:  # a bug in the converter: say what it produced wrong
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                "The registry could not be converted into a valid catalogue; nothing was imported."
            ) from error
        for line in report.lines():
            self.stdout.write(line)
