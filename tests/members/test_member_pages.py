"""The member directory and a member's profile."""

import re

import pytest

from members.models import MemberPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


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
    assert "Learned from" in html and "myGov" in html and "Exploring" in html
    assert "(PH-14)" in html


def test_query_counts_are_fixed(small_world, many_solutions, client, django_assert_max_num_queries):
    a2i = MemberPage.objects.get(key="bgd-a2i")
    client.get(a2i.url)
    many_solutions(8)
    # Wagtail's routing walks the tree (a query a level; the directory, on the way, read with its base fields
    # only; a member page child read as its specific page at once); the view restrictions are read once for
    # the page's own check and once for all its parts and sections (ssn4psi.sections.public_pages). The home
    # page's catalogue figures are kept after the first request that counts them (solutions.summary).
    pages = ((a2i.url, 19), ("/members/", 10), ("/", 17))
    counts = []
    for url, limit in pages:
        client.get(url)
        with django_assert_max_num_queries(limit) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    many_solutions(290, start=8)
    for index, (url, limit) in enumerate(pages):
        client.get(url)
        with django_assert_max_num_queries(limit) as captured:
            client.get(url)
        assert len(captured.captured_queries) == counts[index], url


def test_a_bad_directory_filter_is_named_and_the_good_ones_still_apply(small_world, client):
    html = client.get("/members/?region=mars&kind=subnational_government").content.decode()
    assert 'role="alert"' in html and "Region:" in html
    assert names(html) == ["Bangsamoro Autonomous Region in Muslim Mindanao"]
