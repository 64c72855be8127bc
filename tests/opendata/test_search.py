"""The site search through the API: words in, records of one kind out by relevance, as their lists give them,
narrowed by the search's own facets."""

import pytest

from network.catalogue.importer import import_catalogue

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def indexed(site, small_world_document, django_capture_on_commit_callbacks, eager_tasks):
    """The small world, imported with its search indexing run as a commit would run it."""
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(small_world_document)


def found(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [item["key"] for item in response.json()["results"]]


def test_words_find_records_of_one_kind_by_relevance(client, indexed):
    assert found(client, "/api/search/solutions/", q="commerce") == ["ekshop"]
    assert found(client, "/api/search/members/", q="Congo") == ["cod"]
    assert found(client, "/api/search/needs/", q="one-stop") == ["cod-one-stop"]
    hit = client.get("/api/search/solutions/", {"q": "commerce"}).json()["results"][0]
    assert hit["labels"]["owner"] == "Aspire to Innovate (a2i)" and hit["dpg"] is True


def test_the_search_facets_narrow_the_hits(client, indexed):
    assert found(client, "/api/search/solutions/", q="services", dpg="false") == ["mygov"]
    assert found(client, "/api/search/solutions/", q="commerce", goal="16") == []
    assert found(client, "/api/search/solutions/", q="commerce", country="BGD") == ["ekshop"]


def test_a_search_without_words_or_with_a_list_filter_is_a_400(client, indexed):
    assert client.get("/api/search/solutions/").json() == {"q": ["This field is required."]}
    assert list(client.get("/api/search/solutions/", {"q": "portal", "owner": "bgd"}).json()) == ["owner"]
    assert client.get("/api/search/solutions/", {"q": "portal", "per_page": 51}).status_code == 400
