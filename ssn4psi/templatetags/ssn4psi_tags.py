"""Template helpers for the public pages."""

import unicodedata

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.rich_text import expand_db_html

from ssn4psi.richtext import sanitise_html
from ssn4psi.routing import page_url as _page_url

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


@register.tag
def page_url(parser, token):
    """{% page_url page %}: the URL {% pageurl page %} gives, at a fraction of its cost (ssn4psi.routing.page_url).
    A node of its own, where a simple tag spent as long again on its arguments as on the URL: a member page has
    forty links."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% page_url %} takes one page.")
    return PageUrlNode(parser.compile_filter(bits[1]))


class PageUrlNode(template.Node):
    def __init__(self, page):
        self.page = page

    def render(self, context):
        url = _page_url(self.page.resolve(context), getattr(context, "request", None))
        return conditional_escape(url) if context.autoescape else url


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """{% render_section section %}: a section another app added to this page (ssn4psi.sections.Section),
    rendered with its template, the page's context and the section's own on top."""
    template = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return template.render(context)
