"""/sitemap.xml lists the live and public pages only, on the host asked, in a fixed number of queries; /robots.txt
points to it."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Page

from members.models import MemberPage
from solutions.models import SolutionPage
from tests.visibility import HIDDEN, draft_change, hide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client, **extra):
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS) for url in root}


def test_the_sitemap_lists_the_pages_and_views_of_the_site(client):
    urls = sitemap(client)
    expected_pages = Page.objects.live().public().exclude(depth=1)
    assert {f"http://testserver{page.url}" for page in expected_pages} <= set(urls)
    for path in ("/", "/solutions/", "/members/", "/workshops/", "/about/", "/contact/", "/privacy/"):
        assert f"http://testserver{path}" in urls, path
    assert "http://testserver" + SolutionPage.objects.get(key="mygov").url in urls
    assert (
        "http://testserver/sdg/" in urls and "http://testserver/sdg/16/" in urls and "http://testserver/sdg/17/" in urls
    )
    assert "http://testserver/data/" in urls
    assert urls["http://testserver/about/"]  # when it was last published
    assert len(urls) == expected_pages.count() + 1 + 17 + 1


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_page_is_not_listed(client, how):
    ekshop = SolutionPage.objects.get(key="ekshop")
    cod = MemberPage.objects.get(key="cod")
    hide(ekshop, how)
    hide(cod, how)
    urls = sitemap(client)
    assert "http://testserver" + ekshop.url not in urls
    assert "http://testserver" + cod.url not in urls
    if how == "restricted parent":  # a2i, owner of ekShop, and the directory, parent of DR Congo
        assert "http://testserver" + MemberPage.objects.get(key="bgd-a2i").url not in urls
        assert "http://testserver/members/" not in urls
        assert "http://testserver" + SolutionPage.objects.get(key="mygov").url not in urls
    else:
        assert "http://testserver" + MemberPage.objects.get(key="bgd-a2i").url in urls
        assert "http://testserver" + SolutionPage.objects.get(key="mygov").url in urls  # a2i's other solution


def test_a_draft_change_does_not_show(client):
    mygov = SolutionPage.objects.get(key="mygov")
    draft_change(mygov, "myGov renamed")
    mygov.slug = "renamed"  # the live page keeps its slug
    assert "http://testserver/members/government-of-bangladesh/aspire-to-innovate-a2i/mygov/" in sitemap(client)


def test_the_addresses_are_on_the_host_asked(client, settings):
    settings.ALLOWED_HOSTS = ["ssn4psi.example.org"]
    urls = sitemap(client, HTTP_HOST="ssn4psi.example.org", secure=True)
    assert "https://ssn4psi.example.org/solutions/" in urls
    assert all(url.startswith("https://ssn4psi.example.org/") for url in urls)


def test_the_sitemap_is_kept_for_the_next_visitor_and_forgotten_at_a_change(client):
    assert client.get("/sitemap.xml")["X-Page-Cache"] == "miss"
    assert client.get("/sitemap.xml")["X-Page-Cache"] == "hit"
    SolutionPage.objects.get(key="ekshop").unpublish()
    response = client.get("/sitemap.xml")
    assert response["X-Page-Cache"] == "miss" and b"/ekshop/" not in response.content


def test_the_queries_do_not_grow_with_the_catalogue(client, many_solutions, django_assert_num_queries):
    # The request's site, the view restrictions, the pages, the SDG goals.
    many_solutions(8)
    with django_assert_num_queries(4):
        small = sitemap(client)
    many_solutions(290, start=8)
    with django_assert_num_queries(4):
        large = sitemap(client)
    assert len(large) == len(small) + 290


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /registrations/" in lines
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"
