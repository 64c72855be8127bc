"""Links to pages read by hand-written SQL (PageLink) and their URLs: what is left of the hand-written read path
while it is replaced by Wagtail's own (page instances and {% pageurl %})."""

import contextlib
import re
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import Page


class PageLink:
    """A page as a link shows it (title and URL), for pages read by hand-written SQL: building a Wagtail page
    instance for each cost more than the query that read them (20 µs a page, sixty pages on a member page).

    `{% page_url %}` works its URL out from url_path like a page's; where the short way does not apply (several
    sites, a page type with URL parts of its own), `page()` builds the page itself from the values read."""

    __slots__ = ("model", "values", "pk", "title", "url_path", "key", "live")

    def __init__(self, model, **values):
        self.model = model
        self.values = values
        self.pk = values.get("id")
        self.title = values.get("title", "")
        self.url_path = values.get("url_path")
        self.key = values.get("key")
        self.live = bool(values.get("live", True))

    @property
    def id(self):
        return self.pk

    def __str__(self):
        return self.title

    def __repr__(self):
        return f"<PageLink {self.model.__name__} {self.pk}: {self.title}>"

    def __eq__(self, other):
        return isinstance(other, PageLink | Page) and self.pk is not None and self.pk == other.pk

    def __hash__(self):
        return hash(self.pk)

    def page(self):
        """The `model` page with only the values read loaded, as the database would have given it."""
        names = [field.attname for field in self.model._meta.concrete_fields if field.attname in self.values]
        return self.model.from_db(None, names, [self.values[name] for name in names])

    def get_url(self, request=None):
        return self.page().get_url(request=request)

    @property
    def url(self):
        return self.page().url


def set_link(instance, relation, link):
    """Make `instance.<relation>` (a foreign key to a page) read `link`, a PageLink or None: kept where Django
    keeps a loaded relation, as assigning would refuse anything but a page instance."""
    instance._meta.get_field(relation).set_cached_value(instance, link)


#: What a row read by hand may carry of a related page, as <relation>_<name>, for link_relation().
LINK_VALUES = ("key", "title", "url_path", "locale_id", "live")


def link_relation(instance, relation, model):
    """Make `instance.<relation>` a link to the `model` page whose values the row read by hand carries as
    <relation>_id, <relation>_title, <relation>_url_path... (any of LINK_VALUES), or None without an id."""
    pk = getattr(instance, f"{relation}_id")
    link = None
    if pk is not None:
        values = {
            name: getattr(instance, f"{relation}_{name}")
            for name in LINK_VALUES
            if hasattr(instance, f"{relation}_{name}")
        }
        link = PageLink(model, id=pk, page_ptr_id=pk, **values)
    set_link(instance, relation, link)


#: A page path that Wagtail's serve pattern (wagtail.urls, with WAGTAIL_APPEND_SLASH) matches.
_SERVE_PATH = re.compile(r"(?:[\w\-]+/)*")


def page_url(page, request):
    """The URL `{% pageurl page %}` gives (Page.get_url(request)), worked out in one pass where Wagtail reverses
    the serve view for every link, inside a switch of the active language: a tenth of a member page's time.

    The short way covers a single site, the usual case; anything else (several sites, pages with URL parts
    of their own, a path the serve view would not match) is left to Wagtail."""
    model = page.model if isinstance(page, PageLink) else type(page)
    if request is None or not WAGTAIL_APPEND_SLASH or model.get_url_parts is not Page.get_url_parts:
        return page.get_url(request=request)
    roots = _site_roots(request)
    if roots is None:  # several sites
        return page.get_url(request=request)
    root = next((root for root in roots if page.url_path.startswith(root[0])), None)
    if root is None:
        return None  # not routable
    rest = page.url_path[len(root[0]) :]
    if not _SERVE_PATH.fullmatch(rest):
        return page.get_url(request=request)
    return root[1] + quote(rest, safe=RFC3986_SUBDELIMS + "/~:@")


def _site_roots(request):
    """[(root path, serve prefix)] of the single site's roots (one per language), or None when there are several
    sites: worked out once per request and active language."""
    language = translation.get_language()
    cache = request.__dict__.setdefault("_ssn4psi_site_roots", {})
    if language not in cache:
        root_paths = Page._get_site_root_paths(None, request)  # kept on the request by Wagtail
        cache[language] = (
            [(root.root_path, _serve_prefix(root.language_code)) for root in root_paths]
            if len({root.site_id for root in root_paths}) == 1
            else None
        )
    return cache[language]


def _serve_prefix(site_language):
    """The serve view's URL for a site root, reversed as Wagtail does (in the site's language, or the active
    variant of it)."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return reverse("wagtail_serve", args=("",))
    language = site_language
    with contextlib.suppress(LookupError):
        if get_supported_content_language_variant(translation.get_language()) == site_language:
            language = translation.get_language()
    with translation.override(language):
        return reverse("wagtail_serve", args=("",))
