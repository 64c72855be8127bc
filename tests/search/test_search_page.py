"""The search page (/search/), the suggestions (/search/suggest/), the header box and the similar solutions
block: what a visitor gets, for good, bad and hostile input, with pinned query counts and no writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_world")]

HOSTILE = ['a"b', "NEAR(", "*", "'; DROP TABLE wagtailcore_page; --", "<script>alert(1)</script>", "x" * 10_000]


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def test_the_empty_page_helps(client):
    response = client.get("/search/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/solutions/"' in body and 'href="/members/"' in body
    assert 'name="q"' in body


def test_words_give_hits_facets_and_counts(client):
    response = client.get("/search/", {"q": "services"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "myGov" in body and "One-stop access to public services" in body
    assert '<input type="checkbox" name="type" value="solution"' in body
    assert "<mark>services</mark>" in body


@pytest.mark.parametrize("filters", [{"goal": "16"}, {"theme": "e-commerce"}, {"maturity": "national"}, {"dpg": "yes"}])
def test_solution_counts_agree_with_the_catalogue_listing(client, filters):
    catalogue = client.get("/solutions/", filters).context["page_obj"].paginator.count
    results = client.get("/search/", {"type": "solution", **filters}).context["results"]
    assert results.total == catalogue
    listed = client.get("/solutions/").context["facets"]
    searched = {f["name"]: f["options"] for f in client.get("/search/", {"type": "solution"}).context["facets"]}
    for facet in ("goal", "theme", "maturity", "dpg"):
        assert {o["value"]: o["count"] for o in listed[facet]} == {o["value"]: o["count"] for o in searched[facet]}


def test_two_facets_narrow_and_the_form_keeps_them(client):
    response = client.get("/search/", {"q": "services", "type": "solution", "goal": "16"})
    body = response.content.decode()
    assert [hit.title for hit in response.context["results"].hits] == ["myGov"]
    assert 'name="type" value="solution" checked' in body and 'name="goal" value="16" checked' in body


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_give_a_normal_page(client, text):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": text, "goal": "<b>", "page": "-1"})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert writes(queries) == []


def test_bad_page_numbers_and_junk_parameters(client):
    for params in ({"q": "services", "page": "abc"}, {"q": "services", "page": "9999"}, {"type": "nothing"}):
        assert client.get("/search/", params).status_code == 200
    assert client.post("/search/", {"q": "x"}).status_code == 405


def test_nothing_found_offers_a_spelling_and_the_catalogue(client):
    body = client.get("/search/", {"q": "ekshpo"}).content.decode()
    assert 'Did you mean <a href="?q=ekshop">ekshop</a>?' in body
    assert 'href="/solutions/"' in body


def test_did_you_mean_is_one_sentence_in_every_language(client):
    client.cookies["ssn4psi_language"] = "ar"
    body = client.get("/search/", {"q": "ekshpo"}).content.decode()
    assert 'هل تقصد <a href="?q=ekshop">ekshop</a>؟' in body


def test_a_search_writes_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/", {"q": "services", "goal": "16", "type": "solution"})
        client.get("/search/", {"q": "ekshpo"})
        client.get("/search/suggest/", {"q": "my"})
    assert writes(queries) == []


@pytest.mark.parametrize("size", [5, 40])
def test_query_count_does_not_grow_with_the_data(
    client, many_solutions, committed, django_assert_max_num_queries, size
):
    with committed():
        many_solutions(size)
    client.get("/search/", {"q": "generated"})  # warm the site root paths cache
    # View restrictions, the words, their pages' translations, the solutions' facet columns and themes, the
    # page of hits, the goals' labels, and the savepoint around the search (a test runs in a transaction): 9
    # for 5 or 40 solutions.
    with django_assert_max_num_queries(9):
        response = client.get("/search/", {"q": "generated", "theme": "health", "region": "asia"})
    assert response.context["results"].total == len([i for i in range(size) if i % 5 == 1 and i % 2])


def test_french_and_arabic_readers(client):
    client.cookies["ssn4psi_language"] = "fr"
    response = client.get("/search/", {"q": "institutions transparentes"})
    assert "myGov" in {hit.title for hit in response.context["results"].hits}
    client.cookies["ssn4psi_language"] = "ar"
    response = client.get("/search/", {"q": "فعالة"})
    assert response.status_code == 200
    assert "myGov" in {hit.title for hit in response.context["results"].hits}
    # English results on a right-to-left page keep their own language and direction.
    body = response.content.decode()
    assert 'lang="en" dir="auto">myGov</a>' in body and '<p lang="en" dir="auto">' in body


def test_a_focal_points_draft_never_appears(client, focal_point, committed):
    from members.models import MemberPage

    with committed():
        draft = SolutionPage(title="Unpublished zebra portal", slug="zebra", key="zebra", live=False)
        MemberPage.objects.get(key="cod").add_child(instance=draft)
        draft.save_revision(user=focal_point)
    response = client.get("/search/", {"q": "zebra"})
    assert response.context["results"].total == 0
    assert "Unpublished zebra portal" not in response.content.decode()
    assert client.get("/search/suggest/", {"q": "unpubl"}).json() == {"suggestions": []}


def test_deleting_a_page_removes_it(client, committed):
    assert client.get("/search/", {"q": "ekshop"}).context["results"].total == 1
    with committed():
        SolutionPage.objects.get(key="ekshop").delete()
    assert client.get("/search/", {"q": "ekshop"}).context["results"].total == 0


def test_suggestions_are_json_and_link_to_pages(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        data = client.get("/search/suggest/", {"q": "eks"}).json()
    assert data["suggestions"] == [
        {
            "title": "ekShop",
            "url": SolutionPage.objects.get(key="ekshop").url,
            "type": "solution",
            "type_label": "Solutions",
        }
    ]
    assert client.get("/search/suggest/", {"q": '"'}).json() == {"suggestions": []}


def test_the_header_box_is_on_every_page(client):
    for url in ("/", "/solutions/", "/search/?q=services"):
        body = client.get(url).content.decode()
        assert 'role="search"' in body and 'action="/search/"' in body and "js/search-suggest.js" in body


def test_a_solution_page_shows_similar_solutions(client, many_solutions, committed):
    with committed():
        many_solutions(6)
    mygov = SolutionPage.objects.get(key="mygov")
    response = client.get(mygov.url)
    similar = response.context["similar"]
    assert similar and all(hit.pk != mygov.pk for hit in similar)
    assert "Similar solutions" in response.content.decode()
