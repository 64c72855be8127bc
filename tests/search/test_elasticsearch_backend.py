"""The Elasticsearch backend through the official client with a recording node (no server): the requests it
sends, the alias swap of a rebuild, and the indexing hook that updates the index when content is committed."""

import pytest
from elastic_transport import ConnectionError as TransportConnectionError

from search.backends.base import SearchDocument, SearchQuery
from search.backends.elasticsearch import SearchBackend, index_body, search_body
from tests.search.fake_elasticsearch import fake_client
from tests.search.test_elasticsearch_queries import RESPONSE

ALIAS = "ssn4psi-test"
OLD = "ssn4psi-test-20240101000000000000"


def backend_answering(respond):
    backend = SearchBackend({"URL": "http://search.test:9200", "INDEX": ALIAS})
    backend.client, calls = fake_client(respond)
    return backend, calls


def ok(method, path, body):
    if path.endswith("/_bulk"):
        items = [
            {next(iter(op)): {"_id": op[next(iter(op))]["_id"], "status": 201}}
            for op in body
            if len(op) == 1 and next(iter(op)) in ("index", "delete")
        ]
        return 200, {"took": 1, "errors": False, "items": items}
    if method == "HEAD" and path.startswith("/_alias/"):
        return 200, None
    if method == "GET" and path.startswith("/_alias/"):
        return 200, {OLD: {"aliases": {ALIAS: {}}}}
    if path.endswith("/_search"):
        return 200, RESPONSE
    return 200, {"acknowledged": True}


def test_importing_the_backend_connects_to_nothing():
    backend = SearchBackend({"URL": "http://nowhere.invalid:9200", "INDEX": "x"})
    assert "client" not in backend.__dict__


def test_a_search_sends_the_body_to_the_alias_and_reads_no_database():
    """No database access is allowed in this test: a search neither reads nor writes the database."""
    backend, calls = backend_answering(ok)
    query = SearchQuery.build("services", {"goal": ["16"]}, language="fr")
    results = backend.search(query)
    assert calls == [("POST", f"/{ALIAS}/_search", search_body(query))]
    assert results.total == 27 and results.hits[0].title == "myGov"


def test_a_refused_search_gives_an_empty_page():
    backend, _calls = backend_answering(
        lambda m, p, b: (400, {"error": {"type": "search_phase_execution_exception"}, "status": 400})
    )
    results = backend.search(SearchQuery.build("anything"))
    assert (results.total, results.hits) == (0, [])


def test_suggest_skips_junk_and_similar_asks_for_the_source_first():
    backend, calls = backend_answering(ok)
    assert backend.suggest("'") == [] and backend.suggest("<>") == [] and calls == []

    def respond(method, path, body):
        if method == "GET" and path == f"/{ALIAS}/_doc/solution-12":
            return 200, {
                "_index": OLD,
                "_id": "solution-12",
                "found": True,
                "_source": {"type": "solution", "pk": 12, "language": "en", "translation_key": "k"},
            }
        if method == "GET" and path.startswith(f"/{ALIAS}/_doc/"):
            return 404, {"_index": OLD, "_id": path.rsplit("/", 1)[1], "found": False}
        return ok(method, path, body)

    backend, calls = backend_answering(respond)
    assert backend.similar_solutions(999) == []
    hits = backend.similar_solutions(12)
    assert [hit.pk for hit in hits] == [3]  # itself never, even if Elasticsearch returned it
    assert calls[-1][2]["query"]["bool"]["must"][0]["more_like_this"]["like"] == [
        {"_index": ALIAS, "_id": "solution-12"}
    ]


def test_update_indexes_and_deletes_through_the_alias():
    backend, calls = backend_answering(ok)
    backend.update([SearchDocument(type="solution", pk=1, language="en", title="myGov", url="/m/")], [("need", 4)])
    ((method, path, body),) = calls
    assert (method, path) == ("PUT", f"/{ALIAS}/_bulk")
    assert body[0] == {"index": {"_id": "solution-1"}} and body[2] == {"delete": {"_id": "need-4"}}
    backend.update([], [])
    assert len(calls) == 1  # nothing to send, nothing sent


def test_a_bulk_error_is_raised_but_deleting_a_missing_document_is_not_one():
    def respond(method, path, body):
        return 200, {
            "took": 1,
            "errors": True,
            "items": [{"delete": {"_id": "need-4", "status": 404, "result": "not_found", "error": {"type": "x"}}}],
        }

    backend, _calls = backend_answering(respond)
    backend.update([], [("need", 4)])

    def refuse(method, path, body):
        return 200, {
            "took": 1,
            "errors": True,
            "items": [{"index": {"_id": "solution-1", "status": 400, "error": {"type": "mapper_parsing_exception"}}}],
        }

    backend, _calls = backend_answering(refuse)
    with pytest.raises(RuntimeError, match="refused 1"):
        backend.update([SearchDocument(type="solution", pk=1, language="en", title="x", url="/")])


def test_rebuild_fills_a_new_index_then_swaps_the_alias_in_one_call():
    backend, calls = backend_answering(ok)
    documents = (SearchDocument(type="member", pk=n, language="en", title=f"M{n}", url="/") for n in range(1, 1203))
    seen = []
    count = backend.rebuild(documents, progress=seen.append)

    assert count == 1202 and seen == [500, 1000, 1202]
    new = calls[0][1].lstrip("/")
    assert new.startswith(f"{ALIAS}-") and new != OLD
    assert calls[0] == ("PUT", f"/{new}", index_body())
    assert [(m, p) for m, p, _b in calls] == [
        ("PUT", f"/{new}"),
        ("PUT", f"/{new}/_bulk"),
        ("PUT", f"/{new}/_bulk"),
        ("PUT", f"/{new}/_bulk"),
        ("POST", f"/{new}/_refresh"),
        ("HEAD", f"/_alias/{ALIAS}"),
        ("GET", f"/_alias/{ALIAS}"),
        ("POST", "/_aliases"),
        ("DELETE", f"/{OLD}"),
    ]
    assert calls[7][2] == {
        "actions": [{"remove": {"index": OLD, "alias": ALIAS}}, {"add": {"index": new, "alias": ALIAS}}]
    }


def test_a_first_rebuild_just_adds_the_alias_and_a_failed_one_leaves_the_old_index():
    def first(method, path, body):
        if method == "HEAD" and path.startswith("/_alias/"):
            return 404, None
        return ok(method, path, body)

    backend, calls = backend_answering(first)
    assert backend.rebuild([]) == 0
    assert calls[-1][1] == "/_aliases" and len(calls[-1][2]["actions"]) == 1

    def failing(method, path, body):
        if path.endswith("/_bulk"):
            raise TransportConnectionError("connection reset")
        return ok(method, path, body)

    backend, calls = backend_answering(failing)
    with pytest.raises(TransportConnectionError):
        backend.rebuild([SearchDocument(type="member", pk=1, language="en", title="M", url="/")])
    new = calls[0][1]
    assert calls[-1] == ("DELETE", new, None)  # the half-built index goes; the alias never moved
    assert not any(path == "/_aliases" for _m, path, _b in calls)


@pytest.fixture
def elasticsearch_configured(settings):
    from search.backends import _load, get_backend

    settings.SEARCH_BACKEND = {
        "BACKEND": "search.backends.elasticsearch",
        "URL": "http://search.test:9200",
        "INDEX": ALIAS,
    }
    _load.cache_clear()
    backend = get_backend()
    backend.client, calls = fake_client(ok)
    yield calls
    _load.cache_clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_tasks")
def test_publishing_and_deleting_update_the_index_once_committed(
    small_world, elasticsearch_configured, django_capture_on_commit_callbacks
):
    from solutions.models import SolutionPage

    calls = elasticsearch_configured
    mygov = SolutionPage.objects.get(key="mygov")
    with django_capture_on_commit_callbacks(execute=True):
        mygov.save_revision().publish()
        assert calls == []  # nothing before the commit
    # One bulk per model (the fixture's import, never committed in a test, is sent with this first batch).
    bulk = [body for _m, path, body in calls if path == f"/{ALIAS}/_bulk"]
    assert any({"index": {"_id": f"solution-{mygov.pk}"}} in body for body in bulk)

    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mygov.unpublish()
    assert {"delete": {"_id": f"solution-{mygov.pk}"}} in calls[0][2]

    calls.clear()
    pk = mygov.pk
    with django_capture_on_commit_callbacks(execute=True):
        SolutionPage.objects.get(pk=pk).delete()
    assert [body for _m, _p, body in calls] == [[{"delete": {"_id": f"solution-{pk}"}}]]


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_tasks")
def test_an_import_is_sent_in_one_bulk_per_model(
    site, small_world_document, elasticsearch_configured, django_capture_on_commit_callbacks
):
    from network.catalogue.importer import import_catalogue

    calls = elasticsearch_configured
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(small_world_document)
    indexed = {op["index"]["_id"] for _m, _p, body in calls for op in body if "index" in op}
    assert {"solution-" in i for i in indexed} == {True, False}
    assert sum(i.startswith("solution-") for i in indexed) == 2 and sum(i.startswith("member-") for i in indexed) == 6
    assert sum(i.startswith("need-") for i in indexed) == 1
