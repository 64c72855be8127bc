"""Where the site's own pages are (about the network, contact, the privacy notice), for the footer of every page
and the consent box of every registration form, without a query per page.

Their addresses are read together (two queries: the view restrictions, the pages) and kept in the default cache,
beside the sites' root paths that Wagtail keeps there and reads for every page it serves. They are forgotten when
something could move or hide one of them: a page published, unpublished, moved or deleted (a publish can change
a parent's slug, hence its children's addresses), a view restriction or a site saved or deleted. Forgotten at
once and again when the transaction commits: another process may have read them in between, from the rows as
they were before the commit. PAGE_CACHE_TIMEOUT bounds what a process whose cache missed a change (a per-process
cache in development) may show late.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from ssn4psi.models import InformationPage, InformationPageRole

CACHE_KEY = "ssn4psi:site-pages"


def addresses(request=None):
    """{role: {language code: URL}} of the live and public information pages that have a role: read from the
    cache, or from the database and then kept; once per `request` whatever the cache (with the cache off, a page
    that asks for several reads them once, with the sites' root paths its own links read)."""
    found = getattr(request, "site_page_addresses", None)
    if found is not None:
        return found
    found = cache.get(CACHE_KEY)
    if found is None:
        found = {}
        for page in InformationPage.objects.linked():
            url = page.get_url(request)  # relative on a one-site install; from the sites' root paths
            if url:
                found.setdefault(page.role, {})[page.locale.language_code] = url
        cache.set(CACHE_KEY, found, settings.PAGE_CACHE_TIMEOUT)
    if request is not None:
        request.site_page_addresses = found
    return found


def url_of(role, request=None):
    """The URL of the page linked as `role` (an InformationPageRole) in the active language, else in the site's
    default language, else in any; None when no such page is live and public."""
    urls = addresses(request).get(role)
    if not urls:
        return None
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return urls.get(language) or urls.get(settings.LANGUAGE_CODE) or next(iter(urls.values()))


def footer_links(request=None):
    """[(label, URL)] of the pages the footer links, in the roles' order, leaving out those missing."""
    links = []
    for role in InformationPageRole:
        url = url_of(role, request)
        if url:
            links.append((role.label, url))
    return links


def forget(**kwargs):
    """Forget the kept addresses, now and once the current transaction commits."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY), using=kwargs.get("using"))


def connect_signals():
    """Forget the addresses on every change that could move, hide or show one (called from the app's ready())."""
    from wagtail import signals as wagtail_signals
    from wagtail.models import PageViewRestriction, Site

    for model in (InformationPage, PageViewRestriction, Site):
        label = model._meta.label_lower
        post_save.connect(forget, sender=model, dispatch_uid=f"site_pages_save_{label}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"site_pages_delete_{label}")
    wagtail_signals.page_published.connect(forget, dispatch_uid="site_pages_published")
    wagtail_signals.page_unpublished.connect(forget, dispatch_uid="site_pages_unpublished")
    wagtail_signals.post_page_move.connect(forget, dispatch_uid="site_pages_moved")
