"""HTTP as API clients expect it: CORS for reads from any origin, conditional GETs, a cached answer forgotten when
content changes, throttling per client address with 429 and Retry-After, and fixed query counts whatever the
catalogue's size."""

import pytest
from django.test import override_settings

from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db]

LISTS = [
    "/api/solutions/",
    "/api/members/",
    "/api/needs/",
    "/api/adoptions/",
    "/api/exchanges/",
    "/api/outcomes/",
    "/api/workshops/",
    "/api/sdg/goals/",
    "/api/sdg/targets/",
    "/api/sdg/indicators/",
    "/api/themes/",
]


def test_any_origin_may_read_and_ask_first(client, small_world):
    response = client.get("/api/solutions/", HTTP_ORIGIN="https://portal.example.gov")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/solutions/",
        HTTP_ORIGIN="https://portal.example.gov",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert client.post("/api/solutions/", {}, content_type="application/json").status_code == 401  # no token


def test_a_conditional_get_is_answered_304_until_content_changes(client, small_world):
    first = client.get("/api/solutions/mygov/")
    assert first.status_code == 200 and first["ETag"] and first["Cache-Control"].startswith("public")
    assert "Last-Modified" in first or first["X-Page-Cache"] == "miss"
    again = client.get("/api/solutions/mygov/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    mygov = SolutionPage.objects.get(key="mygov")
    mygov.summary = "Every government service in one place."
    mygov.save_revision().publish()
    changed = client.get("/api/solutions/mygov/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert changed.json()["summary"] == "Every government service in one place."


@override_settings(PAGE_CACHE_ENABLED=False)
def test_without_the_page_cache_the_api_still_answers_304(client, small_world):
    first = client.get("/api/members/")
    assert first.status_code == 200 and first["ETag"]
    assert client.get("/api/members/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@override_settings(API_THROTTLE_RATE="3/minute", PAGE_CACHE_ENABLED=False)
def test_too_many_requests_from_one_address_get_429_with_retry_after(client, small_world):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get("/api/themes/", REMOTE_ADDR="10.0.0.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/themes/", REMOTE_ADDR="10.0.0.7")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled")
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/themes/", REMOTE_ADDR="10.0.0.8").status_code == 200  # another address
    cache.clear()


@pytest.mark.parametrize("url", LISTS)
def test_each_list_reads_a_fixed_number_of_queries_whatever_its_size(
    client, many_solutions, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERIES[url]) as small:
        assert client.get(url, {"per_page": 100}).status_code == 200
    many_solutions(60)
    with django_assert_max_num_queries(QUERIES[url]) as large:
        assert client.get(url, {"per_page": 100}).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


#: The queries of each list (per_page=100), pinned: the view restrictions, the count, the page, its prefetches, and
#: the site's root paths for the pages' addresses.
QUERIES = {
    "/api/solutions/": 8,
    "/api/members/": 5,
    "/api/needs/": 6,
    "/api/adoptions/": 3,
    "/api/exchanges/": 4,
    "/api/outcomes/": 4,
    "/api/workshops/": 10,
    "/api/sdg/goals/": 2,
    "/api/sdg/targets/": 2,
    "/api/sdg/indicators/": 2,
    "/api/themes/": 2,
}


#: The queries of each detail, pinned (the view restrictions, the row and its prefetches, the site's root paths).
DETAILS = {
    "/api/solutions/mygov/": 7,
    "/api/members/bgd-a2i/": 3,
    "/api/members/cod/recommendations/": 4,
    "/api/needs/cod-one-stop/": 5,
    "/api/adoptions/mygov/phl-barmm/": 2,
    "/api/exchanges/cod-a2i/": 3,
    "/api/solutions/ekshop/dpg-nominee.json": 7,
    "/api/sdg/goals/16/": 3,
    "/api/themes/e-services/": 1,
}


@pytest.mark.parametrize("url", DETAILS)
def test_each_detail_reads_a_fixed_number_of_queries(client, small_world, url, django_assert_num_queries):
    with django_assert_num_queries(DETAILS[url]):
        assert client.get(url).status_code == 200
