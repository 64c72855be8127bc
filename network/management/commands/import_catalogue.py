from django.core.management.base import BaseCommand, CommandError

from network.catalogue.importer import CatalogueError, import_catalogue, load_document


class Command(BaseCommand):
    help = (
        "Import members, needs, solutions, adoptions, exchanges and workshops from a catalogue file "
        "(ssn4psi-catalogue/2, or /1 without workshops; "
        "JSON or YAML). Atomic: a file with any error writes nothing. Idempotent by key."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, then roll everything back.")

    def show_progress(self, kind, done, total):
        self.stderr.write(f"{kind}: {done:,}/{total:,}")

    def handle(self, file, dry_run, **options):
        try:
            summary = import_catalogue(load_document(file), dry_run=dry_run, progress=self.show_progress)
        except CatalogueError as error:
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{file}: {len(error.problems)} problem(s); nothing was imported.") from error
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
