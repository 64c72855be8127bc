"""The catalogue listing: filters combine, counts are right, bad input is reported, queries are fixed."""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def titles(response):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


def test_lists_every_live_solution_with_counts(small_world, client):
    response = client.get("/solutions/")

    assert response.status_code == 200
    assert titles(response) == ["ekShop", "myGov"]
    html = response.content.decode()
    assert "2 solutions" in html
    assert 'name="goal" value="16"' in html
    assert 'E-services <span class="count">(1)</span>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("goal=16", ["myGov"]),
        ("goal=17", ["ekShop"]),  # a whole goal
        ("goal=8", ["ekShop"]),  # through target 8.3
        ("goal=16&goal=8", ["ekShop", "myGov"]),  # alternatives within a facet
        ("theme=e-commerce", ["ekShop"]),
        ("theme=e-commerce&theme=e-services", ["ekShop", "myGov"]),
        ("maturity=national", ["myGov"]),
        ("dpg=yes", ["ekShop"]),
        ("dpg=no", ["myGov"]),
        ("country=BGD", ["ekShop", "myGov"]),
        ("country=COD", []),
        ("goal=16&theme=e-services&maturity=national&dpg=no&country=BGD", ["myGov"]),  # facets combine
        ("goal=16&dpg=yes", []),
    ],
)
def test_filters(small_world, client, query, expected):
    assert titles(client.get(f"/solutions/?{query}")) == expected


def test_counts_of_a_facet_ignore_its_own_filter_and_respect_the_others(small_world, client):
    html = client.get("/solutions/?goal=16&dpg=no").content.decode()

    # goal counts are taken with dpg=no applied but not goal=16: only myGov's goal is left
    assert re.search(r'value="16" checked> 16\. [^<]+ <span class="count">\(1\)</span>', html)
    assert 'name="goal" value="17"' not in html
    # dpg counts with goal=16 applied: one non-DPG, no DPG
    assert re.search(r'value="no" checked> Other solutions <span class="count">\(1\)</span>', html)
    assert 'name="dpg" value="yes"' not in html


def test_an_empty_result_says_so(small_world, client):
    html = client.get("/solutions/?goal=1").content.decode()
    assert "No solution matches these filters" in html
    assert "0 solutions" in html
    assert "Remove filter" in html


@pytest.mark.parametrize(
    "query",
    [
        "goal=99",
        "goal=abc",
        "theme=space",
        "maturity=legendary",
        "dpg=maybe",
        "country=XXX",
        "page=abc",
        "page=999",
        "goal=16&goal=%E2%80%AE",
        "theme=" + "x" * 5000,
    ],
)
def test_bad_filters_are_reported_not_fatal(small_world, client, query):
    response = client.get(f"/solutions/?{query}")
    assert response.status_code == 200


def test_a_nul_character_in_a_filter_is_refused_with_a_message(small_world, client):
    response = client.get("/solutions/?goal=16&goal=%00")
    assert response.status_code == 400 and "(NUL)" in response.content.decode()


def test_a_bad_filter_is_named_and_the_good_ones_still_apply(small_world, client):
    html = client.get("/solutions/?goal=99&theme=e-commerce").content.decode()
    assert "Some filters were not understood" in html
    assert "SDG goal:" in html
    assert titles_from(html) == ["ekShop"]


def titles_from(html):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_pagination(small_world, many_solutions, client, settings):
    settings.CATALOGUE_PAGE_SIZE = 5
    many_solutions(7)  # 9 solutions in all

    first = client.get("/solutions/?theme=e-services")
    assert "Page 1 of" not in first.content.decode()  # 1 + 2 generated e-services solutions fit on one page
    page_two = client.get("/solutions/?page=2").content.decode()
    assert "Page 2 of 2" in page_two
    assert len(titles_from(page_two)) == 4
    assert 'href="?page=1"' in page_two


def test_unpublished_solutions_are_not_listed(small_world, client):
    from solutions.models import SolutionPage

    SolutionPage.objects.get(key="ekshop").unpublish()
    assert titles(client.get("/solutions/")) == ["myGov"]


def _queries(client, url, django_assert_num_queries, count):
    with django_assert_num_queries(count) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_query_count_is_the_same_for_10_and_300_solutions(
    small_world, many_solutions, client, django_assert_num_queries
):
    many_solutions(8)
    url = "/solutions/?goal=1&goal=2&goal=3&goal=16&theme=e-services&theme=health&maturity=national&maturity=pilot"
    # Warm the site-root cache, as every later request finds it, and let the first reader keep the catalogue's
    # counts (solutions.summary).
    client.get("/solutions/")
    # Filtered: the page (2), view restrictions (live().public()), the goals' titles, one aggregate per facet
    # (5), the page of results and its cards' themes. Without filters, the kept counts replace the five
    # aggregates.
    small = (
        _queries(client, "/solutions/", django_assert_num_queries, 12),
        _queries(client, url, django_assert_num_queries, 16),
    )

    many_solutions(290, start=8)
    client.get("/solutions/")
    large = (
        _queries(client, "/solutions/", django_assert_num_queries, 12),
        _queries(client, url, django_assert_num_queries, 16),
    )

    assert [len(queries) for queries in small] == [len(queries) for queries in large]
    # The goals are counted by the database, in one query grouped by goal over the filtered rows, not read to be
    # counted.
    counting = [sql for sql in large[1] if '"solutions_solutiongoal"' in sql and "COUNT" in sql and "GROUP BY" in sql]
    assert len(counting) == 1
    assert not [sql for sql in large[1] if sql.lstrip().startswith('SELECT "solutions_solutionpage"."goal_index"')]


def test_member_scope_lists_the_solutions_of_a_member_and_those_under_it(small_world, client):
    assert titles(client.get("/solutions/?member=bgd")) == ["ekShop", "myGov"]
    assert titles(client.get("/solutions/?member=bgd-a2i&dpg=yes")) == ["ekShop"]
    assert titles(client.get("/solutions/?member=cod")) == []
    html = client.get("/solutions/?member=bgd").content.decode()
    assert "Government of Bangladesh" in html and 'type="hidden" name="member" value="bgd"' in html


def test_a_member_page_links_to_the_rest_of_its_solutions(small_world, many_solutions, client):
    from members.models import MemberPage

    many_solutions(30)
    html = client.get(MemberPage.objects.get(key="bgd-a2i").url).content.decode()
    assert html.count('<article class="card">') == 12
    assert 'href="/solutions/?member=bgd-a2i">See all 17 solutions in the catalogue' in html
