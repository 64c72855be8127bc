"""`manage.py search_index --rebuild`, against the recording Elasticsearch client (no server)."""

import io

import pytest
from django.core.management import CommandError, call_command
from elastic_transport import ConnectionError as TransportConnectionError

from search.documents import public_pks
from search.management.commands.search_index import progress_bar
from tests.search.fake_elasticsearch import fake_client
from tests.search.test_elasticsearch_backend import ALIAS, ok

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def configured(settings):
    from search.backends import _load, get_backend

    settings.SEARCH_BACKEND = {
        "BACKEND": "search.backends.elasticsearch",
        "URL": "http://search.test:9200",
        "INDEX": ALIAS,
    }
    _load.cache_clear()
    yield get_backend()
    _load.cache_clear()


def test_the_bar():
    assert progress_bar(0, 4, width=4) == "[....] 0/4"
    assert progress_bar(2, 4, width=4) == "[##..] 2/4"
    assert progress_bar(0, 0, width=4) == "[####] 0/0"


def test_rebuild_indexes_every_public_object_and_says_how_many(small_world, configured):
    configured.client, calls = fake_client(ok)
    out = Terminal()
    call_command("search_index", "--rebuild", stdout=out)

    total = sum(len(pks) for pks in public_pks().values())
    assert total == 2 + 6 + 1 + 1  # solutions, members, the need, the exchange (no workshops in the small world)
    text = out.getvalue()
    assert f"Indexing {total} documents with the elasticsearch backend." in text
    assert f"\r{progress_bar(total, total)}" in text and f"{total} documents indexed." in text
    sent = [op for _m, path, body in calls if path.endswith("/_bulk") for op in body if "index" in op]
    assert len(sent) == total
    assert [path for _m, path, _b in calls][-2:] == ["/_aliases", "/ssn4psi-test-20240101000000000000"]


def test_no_bar_when_not_on_a_terminal(small_world, configured):
    configured.client, _calls = fake_client(ok)
    out = io.StringIO()
    call_command("search_index", "--rebuild", stdout=out)
    assert "[" not in out.getvalue() and "10 documents indexed." in out.getvalue()


def test_an_unreachable_server_is_a_clear_error(small_world, configured):
    def down(method, path, body):
        raise TransportConnectionError("Connection refused")

    configured.client, _calls = fake_client(down)
    with pytest.raises(CommandError, match="http://search.test:9200 cannot be reached"):
        call_command("search_index", "--rebuild", stdout=io.StringIO())


def test_it_asks_what_to_do(db):
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("search_index", stdout=io.StringIO())
