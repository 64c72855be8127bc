"""The site's own pages (about the network, contact, the privacy notice): made by setup_site, once; linked from
the footer of every page while they are live and public, at no query per page."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from ssn4psi import site_pages
from ssn4psi.models import InformationPage
from tests.visibility import HIDDEN, hide

pytestmark = pytest.mark.django_db

ROLES = ("about", "contact", "privacy")


def footer(html):
    return html[html.index('<footer class="site-footer">') :]


def information_pages():
    return {page.role: page for page in InformationPage.objects.select_related("locale")}


def test_setup_site_makes_the_three_pages_under_the_home_page(site):
    pages = information_pages()
    assert set(pages) == set(ROLES)
    for role, page in pages.items():
        assert page.live and page.get_parent().specific == site.home
        assert page.slug == role and page.locale.language_code == "en"
        assert page.last_published_at is not None and page.latest_revision is not None  # a first revision
        assert page.intro and page.body
    assert [pages[role].title for role in ROLES] == ["About the network", "Contact", "Privacy notice"]
    assert site.information["privacy"].pk == pages["privacy"].pk


def test_setup_site_twice_changes_nothing(site, capsys):
    before = {
        page.pk: (page.title, page.slug, page.body, page.latest_revision_id) for page in InformationPage.objects.all()
    }
    call_command("setup_site")
    call_command("setup_site")
    after = {
        page.pk: (page.title, page.slug, page.body, page.latest_revision_id) for page in InformationPage.objects.all()
    }
    assert after == before and len(after) == 3


def test_setup_site_leaves_an_edited_moved_or_unpublished_page_alone_and_makes_a_missing_one(site):
    pages = information_pages()
    about = pages["about"]
    about.body = "<p>Our own words.</p>"
    about.save_revision().publish()
    pages["contact"].unpublish()
    pages["privacy"].delete()
    # An editor gave the slug "privacy" to another page meanwhile.
    site.home.add_child(instance=InformationPage(title="Privacy at events", slug="privacy"))
    call_command("setup_site")
    pages = information_pages()
    assert pages["about"].body == "<p>Our own words.</p>"
    assert not pages["contact"].live
    assert pages["privacy"].live and pages["privacy"].slug == "privacy-2"
    assert InformationPage.objects.filter(role="privacy").count() == 1


def test_the_texts_link_each_other_and_the_site_and_state_the_settings(site, client, settings):
    pages = information_pages()
    about = client.get(pages["about"].url).content.decode()
    assert "proposed in 2016 by the Prime Minister of Bangladesh" in about
    assert "45 members" in about and "ekShop" in about and "UNOSSC" in about
    for path in ("/members/", "/solutions/", "/workshops/", "/data/", "/contact/"):
        assert f'href="{path}"' in about, path
    contact = client.get(pages["contact"].url).content.decode()
    address = settings.CONTACT_EMAIL
    assert f'href="mailto:{address}"' in contact and 'href="/privacy/"' in contact
    privacy = client.get(pages["privacy"].url).content.decode()
    assert f"for {settings.WORKSHOPS_REGISTRATION_RETENTION_DAYS} days after it ends" in privacy
    assert f"for {settings.WORKSHOPS_FEEDBACK_DAYS} days after the workshop ends" in privacy
    assert f"a reminder {settings.WORKSHOP_REMINDER_HOURS} hours before the start" in privacy
    assert "accessibility needs" in privacy and "public list of participants" in privacy
    assert "API" in privacy and f"mailto:{address}" in privacy and 'href="/contact/"' in privacy


def test_the_texts_follow_the_settings_in_force_when_they_are_written(db, settings):
    from network.site import ensure_site

    settings.WORKSHOPS_REGISTRATION_RETENTION_DAYS = 180
    settings.CONTACT_EMAIL = "secretariat@example.org"
    settings.RATE_LIMITS = {}
    structure = ensure_site()
    privacy = structure.information["privacy"].body
    assert "for 180 days after it ends" in privacy and "mailto:secretariat@example.org" in privacy
    assert "one-way hash" not in privacy  # no rate limit: nothing counted
    assert "mailto:secretariat@example.org" in structure.information["contact"].body


def test_the_footer_links_the_three_pages(site, client):
    html = footer(client.get("/").content.decode())
    assert '<a href="/about/">About the network</a>' in html
    assert '<a href="/contact/">Contact</a>' in html
    assert '<a href="/privacy/">Privacy notice</a>' in html
    assert '<nav aria-label="About this site">' in html


@pytest.mark.parametrize("url", ["/solutions/", "/sdg/", "/data/", "/search/?q=x", "/no-such-page/"])
def test_the_footer_is_on_every_kind_of_page(site, client, url):
    assert '<a href="/privacy/">Privacy notice</a>' in footer(client.get(url).content.decode())


@pytest.mark.parametrize("how", [how for how in HIDDEN if how != "restricted parent"])
def test_a_hidden_page_leaves_the_footer_at_once(site, client, how):
    assert 'href="/contact/"' in footer(client.get("/").content.decode())  # now kept in the cache
    hide(information_pages()["contact"], how)
    html = footer(client.get("/").content.decode())
    assert 'href="/contact/"' not in html and 'href="/about/"' in html and 'href="/privacy/"' in html


def test_pages_under_a_restricted_parent_are_not_linked(site):
    assert len(site_pages.footer_links()) == 3
    hide(information_pages()["contact"], "restricted parent")  # the home page: every page under it
    assert site_pages.footer_links() == []


def test_a_page_published_again_or_moved_shows_its_new_address(site, client):
    assert 'href="/about/"' in footer(client.get("/").content.decode())
    about = information_pages()["about"]
    about.slug = "the-network"
    about.save_revision().publish()
    assert 'href="/the-network/"' in footer(client.get("/").content.decode())
    restriction = PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert 'href="/the-network/"' not in footer(client.get("/").content.decode())
    restriction.delete()
    assert 'href="/the-network/"' in footer(client.get("/").content.decode())
    about.delete()
    assert "About the network" not in footer(client.get("/").content.decode())


def test_a_draft_change_of_role_changes_no_link(site, client):
    contact = information_pages()["contact"]
    contact.role = ""
    contact.save_revision()  # not published: the live page keeps its role
    assert 'href="/contact/"' in footer(client.get("/").content.decode())


def test_without_the_pages_the_footer_has_no_links(site, client):
    InformationPage.objects.all().delete()
    html = footer(client.get("/").content.decode())
    assert "About this site" not in html and "Open data" in html


def test_the_addresses_are_read_once_and_kept(site, django_assert_num_queries):
    site_pages.addresses()
    with django_assert_num_queries(0):
        assert site_pages.url_of("privacy") == "/privacy/"
        assert [url for _label, url in site_pages.footer_links()] == ["/about/", "/contact/", "/privacy/"]


@pytest.mark.parametrize("url", ["/", "/sdg/", "/about/"])
def test_the_footer_costs_no_query_once_its_addresses_are_kept(site, client, url, django_assert_max_num_queries):
    # The same page with and without the pages to link, once the addresses are kept: the same queries.
    client.get(url)
    with django_assert_max_num_queries(30) as linked:
        assert 'href="/privacy/"' in client.get(url).content.decode()
    InformationPage.objects.exclude(role="about").delete()
    client.get(url)
    with django_assert_max_num_queries(30) as unlinked:
        assert 'href="/privacy/"' not in client.get(url).content.decode()
    assert [query["sql"] for query in linked.captured_queries] == [query["sql"] for query in unlinked.captured_queries]


def test_the_link_is_to_the_readers_language_else_the_sites(site):
    from django.core.cache import cache
    from django.utils import translation

    # As kept once a page has a translation (wagtail-localize) linked with the same role.
    cache.set(site_pages.CACHE_KEY, {"privacy": {"en": "/privacy/", "fr": "/fr/confidentialite/"}})
    with translation.override("fr"):
        assert site_pages.url_of("privacy") == "/fr/confidentialite/"
    with translation.override("es"):
        assert site_pages.url_of("privacy") == "/privacy/"
        assert site_pages.url_of("about") is None


def test_one_page_per_role_and_language(site, admin_client):
    pages = information_pages()
    second = InformationPage(title="Another privacy notice", slug="privacy-again", role="privacy")
    with pytest.raises(Exception, match="already linked as"):
        site.home.add_child(instance=second)
    # In the editor, the role field says so.
    response = admin_client.post(
        f"/admin/pages/add/ssn4psi/informationpage/{site.home.pk}/",
        {"title": "Another", "slug": "another", "role": "contact", "intro": "", "action-publish": "1"},
    )
    assert response.status_code == 200 and "already linked as" in response.content.decode()
    assert InformationPage.objects.filter(role="contact").get() == pages["contact"]


def test_copying_a_page_leaves_its_role_behind(site):
    contact = information_pages()["contact"]
    copy = contact.copy(update_attrs={"slug": "contact-copy", "title": "Contact (copy)"})
    assert copy.specific.role == "" and InformationPage.objects.filter(role="contact").count() == 1


def test_the_admin_edits_the_pages(site, admin_client):
    for page in information_pages().values():
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert admin_client.get(f"/admin/pages/add/ssn4psi/informationpage/{site.home.pk}/").status_code == 200


def test_the_page_shows_its_text_sanitised_and_when_it_was_updated(site, client):
    about = information_pages()["about"]
    about.body = '<p>Hello <a href="javascript:alert(1)">there</a></p><script>alert(2)</script>'
    about.save_revision().publish()
    html = client.get("/about/").content.decode()
    assert "<h1>About the network</h1>" in html and '<p class="lead">' in html
    assert "javascript:" not in html and "alert(2)" not in html and "Hello" in html
    assert "Last updated:" in html and "<time datetime=" in html


def test_the_page_is_kept_for_anonymous_visitors_and_forgotten_on_publish(site, client):
    assert client.get("/privacy/")["X-Page-Cache"] == "miss"
    assert client.get("/privacy/")["X-Page-Cache"] == "hit"
    privacy = information_pages()["privacy"]
    privacy.intro = "A new introduction."
    privacy.save_revision().publish()
    response = client.get("/privacy/")
    assert response["X-Page-Cache"] == "miss" and "A new introduction." in response.content.decode()


def test_only_the_home_page_takes_information_pages(site):
    from network.models import HomePage

    assert InformationPage in HomePage.allowed_subpage_models()
    assert InformationPage.allowed_subpage_models() == []


def test_with_the_cache_off_a_page_reads_the_addresses_once(site, client, settings):
    """The footer's three links and a form's privacy link are read once per request, with the sites' root paths
    the page's own links read (no read per link), when no cache keeps them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/solutions/")

    assert response.status_code == 200 and 'href="/privacy/"' in response.text
    table = InformationPage._meta.db_table
    assert sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries) == 1
