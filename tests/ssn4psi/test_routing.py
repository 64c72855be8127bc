"""Routing from memory (ssn4psi.routing, HomePage.route): the site, the home page and view restrictions
stay exactly as Wagtail would find them after an edit."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, PageViewRestriction, Site

from members.models import MemberPage
from solutions.models import SolutionPage
from ssn4psi.models import HomePage

pytestmark = pytest.mark.django_db

MYGOV = "/members/government-of-bangladesh/aspire-to-innovate-a2i/mygov/"


def test_the_site_is_looked_up_once_then_kept(small_world, client, django_assert_max_num_queries):
    client.get("/members/")
    with django_assert_max_num_queries(20) as captured:
        assert client.get("/members/").status_code == 200
    assert not any('FROM "wagtailcore_site"' in query["sql"] for query in captured.captured_queries)


def test_a_home_page_edit_shows_at_once(small_world, client):
    assert client.get("/").status_code == 200
    home = HomePage.objects.get()
    home.intro = "A brand new introduction"
    home.save_revision().publish()
    assert "A brand new introduction" in client.get("/").content.decode()


def test_a_changed_site_is_seen_at_once(small_world, client):
    assert client.get(MYGOV).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = Page.objects.get(depth=1)  # the tree's root: no page under it has these slugs
    site.save()
    assert client.get(MYGOV).status_code == 404


def test_an_unpublished_home_page_is_not_served(small_world, client):
    assert client.get("/").status_code == 200
    HomePage.objects.get().unpublish()
    assert client.get("/").status_code == 404


@pytest.mark.parametrize("restricted", ["page", "ancestor", "home"])
def test_view_restrictions_still_apply(small_world, client, restricted):
    solution = SolutionPage.objects.get(key="mygov")
    assert client.get(MYGOV).status_code == 200
    target = {
        "page": solution,
        "ancestor": MemberPage.objects.get(key="bgd"),
        "home": HomePage.objects.get(),
    }[restricted]
    restriction = PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Insiders"))
    response = client.get(MYGOV)
    assert response.status_code == 302 and "login" in response["Location"]
    home = client.get("/")
    assert home.status_code == (302 if restricted == "home" else 200)


def test_a_password_restriction_asks_for_the_password(small_world, client):
    PageViewRestriction.objects.create(
        page=SolutionPage.objects.get(key="mygov"), restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.get(MYGOV)
    assert response.status_code == 200 and 'name="password"' in response.content.decode()


def test_the_active_locale_is_looked_up_once_then_kept(small_world, client, django_assert_max_num_queries):
    client.get("/members/")
    with django_assert_max_num_queries(20) as captured:
        assert client.get("/members/").status_code == 200
    assert not any('FROM "wagtailcore_locale"' in query["sql"] for query in captured.captured_queries)


def _translate_home(title):
    home = HomePage.objects.get()
    french = home.copy_for_translation(Locale.objects.get_or_create(language_code="fr")[0])
    french.title = title
    french.save_revision().publish()


def test_the_home_page_is_served_in_the_visitors_language(small_world, client):
    _translate_home("Accueil du réseau")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "<h1>Accueil du réseau</h1>" in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Accueil du réseau" not in client.get("/").content.decode()


def test_a_new_locale_is_seen_at_once(small_world, client):
    Locale.objects.filter(language_code="fr").delete()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Accueil du réseau" not in client.get("/").content.decode()  # the default locale meanwhile
    _translate_home("Accueil du réseau")
    assert "<h1>Accueil du réseau</h1>" in client.get("/").content.decode()


def _request(path="/"):
    from django.test import RequestFactory

    from ssn4psi.routing import site_for_request

    request = RequestFactory().get(path)
    request._wagtail_site = site_for_request(request)
    return request


def test_page_urls_are_the_ones_wagtail_gives(small_world):
    from ssn4psi.routing import page_url

    bare = MemberPage.objects.get(key="cod").add_child(
        instance=MemberPage(
            title="Ministère", slug="ministère-du-numérique", key="cod-num", kind="government_agency", country="COD"
        )
    )
    pages = [*Page.objects.filter(depth__gt=1).specific(), bare]
    request = _request()
    assert len(pages) > 10
    for page in pages:
        assert page_url(page, request) == page.get_url(request=request), page.url_path
    assert (
        page_url(bare, request)
        == "/members/government-of-the-democratic-republic-of-the-congo/minist%C3%A8re-du-num%C3%A9rique/"
    )


def test_page_urls_on_several_sites_are_the_ones_wagtail_gives(small_world):
    from ssn4psi.routing import page_url

    other_home = Page.get_first_root_node().add_child(instance=Page(title="Other site", slug="other-site"))
    other_page = other_home.add_child(instance=Page(title="About", slug="about"))
    Site.objects.create(hostname="other.example.org", root_page=other_home)
    request = _request()
    for page in Page.objects.filter(depth__gt=1).specific():
        assert page_url(page, request) == page.get_url(request=request), page.url_path
    assert page_url(other_page, request) == "http://other.example.org/about/"


def test_an_alias_of_a_restricted_page_is_restricted_too(small_world, client):
    notice = HomePage.objects.get().add_child(instance=Page(title="Notice", slug="notice"))
    alias = notice.create_alias(parent=MemberPage.objects.get(key="cod"), update_slug="notice-alias")
    assert client.get(alias.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=notice, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Insiders"))
    response = client.get(alias.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_site_read_before_the_commit_is_looked_up_again_after_it(
    small_world, client, django_capture_on_commit_callbacks
):
    """Another process may read the old site between the save and the commit (it cannot see the new row yet)
    and keep it under the bumped version: the commit bumps the version again."""
    from ssn4psi import routing

    assert client.get(MYGOV).status_code == 200
    old_sites = dict(routing._sites)  # what a process reading the committed rows keeps
    site = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        site.root_page = Page.objects.get(depth=1)
        site.save()
    routing._sites, routing._sites_version = old_sites, routing.VERSION.current()  # the other process's read
    assert client.get(MYGOV).status_code == 200
    for callback in callbacks:
        callback()
    assert client.get(MYGOV).status_code == 404


def test_links_read_by_hand_give_the_urls_of_their_pages(small_world):
    from ssn4psi.routing import PageLink, page_url

    request = _request()
    for page in Page.objects.filter(depth__gt=1).specific():
        link = PageLink(type(page), id=page.pk, title=page.title, url_path=page.url_path, locale_id=page.locale_id)
        assert page_url(link, request) == page.get_url(request=request)
        assert link.get_url(request) == page.get_url(request=request)  # the long way, as on several sites
        assert link == page and str(link) == page.title


def test_the_routing_query_reads_every_field_of_the_page(small_world, client):
    from ssn4psi.models.home import _ancestors, _page_sql

    for page in Page.objects.filter(depth__gt=2).specific():
        model = type(page)
        ancestors = _ancestors(page.path)
        (read,) = model.objects.raw(_page_sql(model, len(ancestors)), [*ancestors, page.pk])
        for field in model._meta.concrete_fields:
            assert getattr(read, field.attname) == getattr(page, field.attname), (model, field.name)
        assert not read.guarded
        assert client.get(page.url).status_code in (200, 302)
