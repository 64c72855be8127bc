"""The member directory and a member's profile."""

import re

import pytest

from members.models import MemberPage

pytestmark = pytest.mark.django_db


def names(html):
    return re.findall(r"<strong>([^<]+)</strong></a>", html)


def test_directory_lists_members_in_name_order(small_world, client):
    html = client.get("/members/").content.decode()
    assert names(html) == [
        "Aspire to Innovate (a2i)",
        "Bangsamoro Autonomous Region in Muslim Mindanao",
        "Government of Bangladesh",
        "Government of the Democratic Republic of the Congo",
        "Government of Türkiye",
        "UNDP",
    ]
    assert "6 members" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=africa", ["Government of the Democratic Republic of the Congo"]),
        ("region=americas", ["UNDP"]),
        ("kind=subnational_government", ["Bangsamoro Autonomous Region in Muslim Mindanao"]),
        ("country=BGD", ["Aspire to Innovate (a2i)", "Government of Bangladesh"]),
        ("region=asia&kind=national_government", ["Government of Bangladesh", "Government of Türkiye"]),
        ("region=oceania", []),
    ],
)
def test_directory_filters(small_world, client, query, expected):
    assert names(client.get(f"/members/?{query}").content.decode()) == expected


@pytest.mark.parametrize("query", ["region=mars", "kind=empire", "country=ZZZ", "page=-1", "country=" + "A" * 3000])
def test_directory_bad_filters_are_reported(small_world, client, query):
    response = client.get(f"/members/?{query}")
    assert response.status_code == 200
    if "page" not in query:
        assert 'role="alert"' in response.content.decode()


def test_member_page_shows_parent_children_solutions_and_languages(small_world, client):
    bangladesh = MemberPage.objects.get(key="bgd")
    a2i = MemberPage.objects.get(key="bgd-a2i")

    parent_html = client.get(bangladesh.url).content.decode()
    assert "Members under it" in parent_html and "Aspire to Innovate (a2i)" in parent_html
    assert "myGov" in parent_html  # solutions of child members are shown too

    html = client.get(a2i.url).content.decode()
    assert "Part of" in html and "Government of Bangladesh" in html
    assert "Bengali, English" in html
    assert "myGov" in html and "ekShop" in html
    assert "<strong>digital</strong>" in html
    assert "Government of the Democratic Republic of the Congo" in html  # its exchange
    assert "Knowledge shared" in html


def test_member_page_shows_needs_and_adoptions(small_world, client):
    cod = MemberPage.objects.get(key="cod")
    html = client.get(cod.url).content.decode()
    assert "One-stop access to public services" in html
    assert "High priority" in html
    assert "SDG 16.6" in html and "E-services" in html and "Virtual session" in html

    barmm = MemberPage.objects.get(key="phl-barmm")
    html = client.get(barmm.url).content.decode()
    assert "Solutions taken up" in html and "myGov" in html and "Exploring" in html
    assert "(PH-14)" in html


def test_query_counts_are_fixed(small_world, many_solutions, client, django_assert_max_num_queries):
    a2i = MemberPage.objects.get(key="bgd-a2i")
    client.get(a2i.url)
    many_solutions(8)
    # a2i: its sections read the pages they link to through live().public(), each reading the view restrictions.
    pages = ((a2i.url, 26), ("/members/", 10), ("/", 20))
    counts = []
    for url, limit in pages:
        with django_assert_max_num_queries(limit) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    many_solutions(290, start=8)
    for index, (url, limit) in enumerate(pages):
        with django_assert_max_num_queries(limit) as captured:
            client.get(url)
        assert len(captured.captured_queries) == counts[index], url


def test_a_bad_directory_filter_is_named_and_the_good_ones_still_apply(small_world, client):
    html = client.get("/members/?region=mars&kind=subnational_government").content.decode()
    assert 'role="alert"' in html and "Region:" in html
    assert names(html) == ["Bangsamoro Autonomous Region in Muslim Mindanao"]


def test_the_solutions_offered_are_the_catalogues_first_ones_under_the_member(small_world, many_solutions):
    from django.db.models import Count, Window

    from solutions.models import SolutionPage, solutions_offered_by

    many_solutions(20)
    SolutionPage.objects.get(key="generated-3").unpublish()
    for key in ("bgd", "bgd-a2i", "cod", "tur"):
        member = MemberPage.objects.get(key=key)
        expected = list(
            SolutionPage.objects.for_catalogue().descendant_of(member).annotate(total=Window(Count("pk")))[:5]
        )
        offered, count = solutions_offered_by(member, 5)
        assert [(s.pk, s.title, s.summary, s.dpg, s.maturity, s.member.title) for s in offered] == [
            (s.pk, s.title, s.summary, s.dpg, s.maturity, s.member.title) for s in expected
        ]
        assert [list(s.themes.all()) for s in offered] == [list(s.themes.all()) for s in expected]
        assert count == (expected[0].total if expected else 0)


def test_the_card_themes_are_the_solutions_themes_in_vocabulary_order(small_world, many_solutions):
    from solutions.models import SolutionPage, attach_card_themes

    many_solutions(12)
    solutions = list(SolutionPage.objects.for_catalogue())
    attach_card_themes(solutions)
    assert any(s.card_themes for s in solutions)
    assert [s.card_themes for s in solutions] == [list(s.themes.all()) for s in solutions]
