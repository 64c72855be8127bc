"""The database backend reads Wagtail's full-text index directly (SQLite's FTS5 table, PostgreSQL's tsvector
columns), once per search for every kind, and finds what Wagtail's own search querysets find."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import get_backend
from search.backends.base import SearchQuery
from search.backends.database import SearchBackend, words_of
from search.kinds import KINDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_world")]

WORDS = [
    "services",
    "public services",
    "one stop",
    "portal",
    "mygov",
    "digital identity",
    "nothing-like-this",
    "the public services",  # a stop word is ignored
    "the",  # stop words only find nothing
    "mygov services",  # one word in the title, the other in the body
]


def wagtail_ids(words):
    """{kind type: {pk}} as Wagtail's search queryset finds them (the fallback path)."""
    from wagtail.search.backends import get_search_backend

    found = {}
    for kind in KINDS:
        results = get_search_backend().search(" ".join(words), kind.model, operator="and", order_by_relevance=False)
        found[kind.type] = set(results.get_queryset().values_list("pk", flat=True))
    return found


def direct_path_is_used(engine_sql):
    backend = get_backend("search.backends.database")
    with CaptureQueriesContext(connection) as captured:
        results = backend.search(SearchQuery.build("services"))
    assert results.total
    sqls = [query["sql"] for query in captured.captured_queries]
    direct = [sql for sql in sqls if sql.startswith("SELECT e.content_type_id, e.object_id")]
    assert len(direct) == 1 and engine_sql in direct[0]
    # Wagtail's queryset path joins the index through the ORM ("wagtailsearch_indexentry"."object_id").
    assert not any('"wagtailsearch_indexentry"."object_id"' in sql for sql in sqls)


def finds_what_wagtail_finds():
    for text in WORDS:
        words = words_of(text)
        direct = {type_: set(ids) for type_, ids in SearchBackend._fulltext_ids(words).items()}
        assert direct == wagtail_ids(words), text
    assert SearchBackend._fulltext_ids(["services"])["solution"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the database is not SQLite")
def test_sqlite_searches_the_fts5_table_directly():
    direct_path_is_used("MATCH")
    finds_what_wagtail_finds()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DATABASE_URL is not PostgreSQL")
def test_postgresql_searches_the_tsvector_columns_directly():
    direct_path_is_used("to_tsquery")
    finds_what_wagtail_finds()


def test_other_databases_go_through_wagtails_querysets(monkeypatch):
    monkeypatch.setattr(SearchBackend, "_fulltext_ids", staticmethod(lambda words: None))
    results = get_backend("search.backends.database").search(SearchQuery.build("services"))
    assert "One-stop access to public services" in {hit.title for hit in results.hits}
