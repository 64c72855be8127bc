"""Template helpers for the public pages."""

import unicodedata

from django import template
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


# -- the foot of every page (base.html) ---------------------------------------------------------------------------


@register.simple_tag
def site_page_url(role):
    """{% site_page_url "privacy" as privacy_url %}: the address of the page linked as `role` (about, contact,
    privacy) in the reader's language, or None; from the addresses kept in the cache (ssn4psi.site_pages)."""
    return site_pages.url_of(role)


@register.simple_tag
def site_footer_links():
    """{% site_footer_links as links %}: [(label, URL)] of the site's own pages the footer links (about the
    network, contact, privacy notice) that are live and public; no query while their addresses are kept."""
    return site_pages.footer_links()
