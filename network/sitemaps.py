"""/sitemap.xml and /robots.txt: what search engines may find on the site.

The sitemap lists every live and public page (Wagtail's `live().public()`: no draft, nothing under a view
restriction) and the public pages that are views rather than Wagtail pages (the SDG framework and goals, the open
data). It is served by wagtail.contrib.sitemaps' view with Django's sitemap template, and kept by the page cache
like any public page. Its addresses are on the host the request came to, as the pages' canonical links and the
open-data API's links are: Wagtail's own `Sitemap` writes the Site record's hostname (`localhost` until an
administrator changes it) and loads every page's specific fields, where a path needs only the base page's.
"""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.models import Page, Site

from ssn4psi.models import SdgGoal

#: Paths search engines are asked not to crawl: the admin, personal links, and the search page (endless
#: combinations of words and facets; what it finds has its own pages).
ROBOTS_DISALLOWED = ["/admin/", "/registrations/", "/search/"]


class PageSitemap(Sitemap):
    """The live and public Wagtail pages of the request's site, each with when it was last published."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def pages(self):
        site = Site.find_for_request(self.request)
        if site is None:
            return []
        pages = Page.objects.descendant_of(site.root_page, inclusive=True).live().public()
        # What get_url_parts() and lastmod read: the path comes from the sites' root paths Wagtail keeps.
        pages = pages.order_by("path").only("url_path", "last_published_at", "latest_revision_created_at")
        listed = []
        for page in pages:
            _site, _root, page.sitemap_path = page.get_url_parts(self.request) or (None, None, None)
            if page.sitemap_path:  # a page no URL leads to is left out
                listed.append(page)
        return listed

    def items(self):
        return self.pages

    def location(self, page):
        return page.sitemap_path

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at


class ViewSitemap(Sitemap):
    """The public pages that are views, not Wagtail pages: the SDG framework and each goal's page, open data."""

    @cached_property
    def views(self):
        goals = SdgGoal.objects.order_by("number").values_list("number", flat=True)
        return [("sdg_framework", ()), *(("sdg_goal", (number,)) for number in goals), ("open_data", ())]

    def items(self):
        return self.views

    def location(self, view):
        name, args = view
        return reverse(name, args=args)


@require_GET
def sitemap(request):
    """/sitemap.xml: the site's public pages for search engines."""
    sitemaps = {"pages": PageSitemap(request), "views": ViewSitemap()}
    return wagtail_sitemap_views.sitemap(request, sitemaps=sitemaps)


@require_GET
def robots_txt(request):
    """/robots.txt: what crawlers should leave alone, and where the sitemap is (on the host asked)."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
