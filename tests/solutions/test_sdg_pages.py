"""The SDG framework's pages: the goals with how many solutions serve each, a goal with its targets, indicators
and solutions; in a fixed number of queries."""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def test_sdg_framework_page_lists_17_goals(small_world, client):
    html = client.get("/sdg/").content.decode()
    assert html.count('class="goal goal-') == 17
    assert "12 targets" in html  # goal 16 has 12 targets (16.1-16.10, 16.a, 16.b)


def test_goal_page_lists_targets_indicators_and_solutions(small_world, client):
    html = client.get("/sdg/16/").content.decode()
    assert 'id="target-16.6"' in html and 'id="target-16.b"' in html
    assert "16.9.1" in html and "births have been registered" in html
    assert "1 solution serves this goal" in html and "myGov" in html


def test_goal_titles_follow_the_language(small_world, client):
    client.cookies["ssn4psi_language"] = "fr"
    html = client.get("/sdg/16/").content.decode()
    assert '<html lang="fr"' in html
    assert "Paix, justice et institutions efficaces" in html
    client.cookies["ssn4psi_language"] = "ar"
    html = client.get("/sdg/16/").content.decode()
    assert 'dir="rtl"' in html and "السلام" in html


def test_a_goal_page_shows_the_first_solutions_and_links_to_the_rest(small_world, many_solutions, client):
    many_solutions(17 * 13)  # 13 generated solutions per goal, and myGov for goal 16
    html = client.get("/sdg/16/").content.decode()
    assert "14 solutions serve this goal" in html
    assert html.count('<article class="card">') == 12
    assert 'href="/solutions/?goal=16">See them all in the catalogue' in html


def test_the_goal_tiles_count_the_solutions_serving_each_goal(small_world, many_solutions, client):
    many_solutions(20)  # goals 1 to 17, then 1 to 3 again
    html = client.get("/sdg/").content.decode()
    counts = dict(re.findall(r'goal-(\d+)">.*?<span class="goal-count">(\d+) solution', html, re.DOTALL))
    assert counts["1"] == counts["2"] == counts["3"] == "2"
    assert counts["16"] == "2"  # myGov too
    assert counts["17"] == "2"  # ekShop too (a whole goal)
    assert counts["4"] == "1"


def test_query_counts_are_the_same_for_10_and_300_solutions(
    small_world, many_solutions, client, django_assert_num_queries
):
    many_solutions(8)
    # The framework: goals, their targets, the catalogue's kept counts (solutions.summary; the first request
    # counts them). A goal: the goal, view restrictions, its solutions, their themes, their count, the
    # catalogue's page (and its view restrictions), its targets and their indicators.
    pages = (("/sdg/", 3), ("/sdg/16/", 10))
    for url, count in pages:
        client.get(url)
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    many_solutions(290, start=8)
    for url, count in pages:
        client.get(url)
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
