"""Routing is Wagtail's own: the site, the home page, translations and view restrictions as Wagtail finds them,
at once after an edit."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, PageViewRestriction, Site

from members.models import MemberPage
from network.models import HomePage
from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

MYGOV = "/members/government-of-bangladesh/aspire-to-innovate-a2i/mygov/"


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


def test_an_alias_of_a_restricted_page_is_restricted_too(small_world, client):
    notice = HomePage.objects.get().add_child(instance=Page(title="Notice", slug="notice"))
    alias = notice.create_alias(parent=MemberPage.objects.get(key="cod"), update_slug="notice-alias")
    assert client.get(alias.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=notice, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Insiders"))
    response = client.get(alias.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_setup_site_prints_working_addresses_on_the_configured_host(site, client, settings, capsys):
    from django.core.management import call_command

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    call_command("setup_site")
    printed = capsys.readouterr().out
    lines = dict(line.split(": ", 1) for line in printed.splitlines() if ": " in line)
    assert lines["Catalogue"] == "http://127.0.0.1:8123/solutions/"
    assert lines["Directory"] == "http://127.0.0.1:8123/members/"
    for address in lines.values():
        path = address.removeprefix("http://127.0.0.1:8123")
        assert client.get(path).status_code in (200, 302), address
