"""`manage.py search_index --rebuild`: rebuild the site search's index from the database.

With the database backend, Wagtail's index of our models is brought up to date; with Elasticsearch, a new
index is filled and swapped in behind the alias (searches keep working meanwhile). A progress bar is drawn
when the output is a terminal; the count of indexed documents is printed at the end. An unreachable server
ends the command with a clear message and a non-zero exit status.
"""

from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend
from search.documents import all_documents, public_pks

BAR_WIDTH = 30


def progress_bar(done, total, width=BAR_WIDTH):
    """ "[#########.....]  120/400" (a total of 0 shows a full bar)."""
    filled = width if not total else min(width, width * done // total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done:>{len(str(total))}}/{total}"


class Command(BaseCommand):
    help = "Rebuild the site search's index (database or Elasticsearch, as configured) from the database."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Index every public object again.")
        parser.add_argument(
            "--backend", help="A backend module (search.backends.elasticsearch...); default: the configured one."
        )

    def handle(self, *args, rebuild=False, backend=None, **options):
        if not rebuild:
            raise CommandError("Say what to do: --rebuild.")
        search_backend = get_backend(backend)
        pks = public_pks()
        total = sum(len(values) for values in pks.values())
        on_terminal = self.stdout.isatty()

        def progress(done):
            if on_terminal:
                self.stdout.write("\r" + progress_bar(done, total), ending="")
                self.stdout.flush()

        self.stdout.write(f"Indexing {total} documents with the {search_backend.name} backend.")
        try:
            count = search_backend.rebuild(all_documents(pks), progress=progress)
        except Exception as error:
            if not _is_connection_error(error):
                raise
            where = search_backend.params.get("URL", "")
            raise CommandError(f"The search server {where} cannot be reached: {error}") from error
        if on_terminal:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{count} documents indexed."))


def _is_connection_error(error):
    try:
        from elastic_transport import ConnectionError as TransportConnectionError
        from elastic_transport import ConnectionTimeout
    except ImportError:  # pragma: no cover - the client is a dependency
        return False
    return isinstance(error, TransportConnectionError | ConnectionTimeout)
