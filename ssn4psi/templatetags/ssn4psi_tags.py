"""Template helpers for the public pages."""

import unicodedata

from django import template
from django.conf import settings
from django.template.defaultfilters import stringfilter
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.rich_text import expand_db_html

from ssn4psi import site_pages
from ssn4psi.richtext import sanitise_html

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ counts|get_item:goal.number }}: a dictionary look-up in a template."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter(is_safe=True)
@stringfilter
def clip(value, length):
    """{{ text|clip:260 }}: what truncatechars gives, without its walk over every character of a text that fits
    (a card's summary usually does: that walk was a fifth of a card's time)."""
    try:
        length = int(length)
    except ValueError:
        return value
    if length > 0 and len(value) <= length:  # no more characters than that, so none to cut
        return unicodedata.normalize("NFC", value)
    return Truncator(value).chars(length)


@register.filter
def safe_richtext(value):
    """Render stored rich text (Wagtail's link format expanded), sanitised once more on the way out."""
    return mark_safe(sanitise_html(expand_db_html(value or "")))


@register.simple_tag(takes_context=True)
def remove_filter_url(context, facet, value):
    """The current URL without one filter value (and back on the first page)."""
    query = context["request"].GET.copy()
    query.setlist(facet, [item for item in query.getlist(facet) if item != str(value)])
    query.pop("page", None)
    return "?" + query.urlencode() if query else context["request"].path


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """{% render_section section %}: a section another app added to this page (ssn4psi.sections.Section),
    rendered with its template, the page's context and the section's own on top."""
    template = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return template.render(context)


# -- the head and foot of every page (base.html) ------------------------------------------------------------------

#: Open Graph's name of each interface language (language_TERRITORY, as link previews expect).
OPEN_GRAPH_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES", "ar": "ar_AR"}
#: The most characters of a page's description in its head: what search engines and link previews show.
DESCRIPTION_LENGTH = 200


@register.simple_tag(takes_context=True)
def page_meta(context):
    """What the head of a page tells search engines and link previews (base.html): its title, description,
    canonical address, the site's name and the locales; `public` is False for a page nobody else should find (a
    personal link, the answer to a form sent), which says `noindex` instead.

    The title and description are the view's `meta_title` and `meta_description` when it gives them (pages that
    are not Wagtail pages), else the page's SEO title or title, and its search description, else its
    introduction or summary (plain text, clipped to DESCRIPTION_LENGTH). The address is on the host the request
    came to, as the open-data API's links are, without the query string but a page number."""
    request = context.get("request")
    if request is None:
        return {"public": False}
    if request.method not in ("GET", "HEAD") or getattr(request, "is_personal_page", False):
        return {"public": False}
    page = context.get("page")
    title = context.get("meta_title") or getattr(page, "seo_title", "") or getattr(page, "title", "")
    description = (
        context.get("meta_description")
        or getattr(page, "search_description", "")
        or getattr(page, "intro", "")
        or getattr(page, "summary", "")
    )
    description = " ".join(str(description).split())
    url = request.build_absolute_uri(request.path)
    number = request.GET.get("page", "")
    if number.isascii() and number.isdigit() and len(number) <= 5 and int(number) > 1:  # "²" is a digit too
        url += f"?page={int(number)}"
    language = (context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE).split("-")[0]
    return {
        "public": True,
        "title": str(title) or settings.WAGTAIL_SITE_NAME,
        "description": Truncator(description).chars(DESCRIPTION_LENGTH),
        "url": url,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "locale": OPEN_GRAPH_LOCALES.get(language, language),
        "alternate_locales": [
            OPEN_GRAPH_LOCALES.get(code, code) for code, _name in settings.LANGUAGES if code != language
        ],
    }


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """{% absolute_url image.url %}: `url` whole, on the host the request came to (for og:image: link previews
    need the whole address)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.simple_tag(takes_context=True)
def site_page_url(context, role):
    """{% site_page_url "privacy" as privacy_url %}: the address of the page linked as `role` (about, contact,
    privacy) in the reader's language, or None; from the addresses kept in the cache (ssn4psi.site_pages)."""
    return site_pages.url_of(role, context.get("request"))


@register.simple_tag(takes_context=True)
def site_footer_links(context):
    """{% site_footer_links as links %}: [(label, URL)] of the site's own pages the footer links (about the
    network, contact, privacy notice) that are live and public; no query while their addresses are kept."""
    return site_pages.footer_links(context.get("request"))
