"""Sections that higher apps add to a lower app's page, through a Wagtail hook.

A member page lists its needs itself, but the solutions it offers, the partners recommended to it, its
exchanges and its workshops belong to apps above `members`: each of those registers a function under the
hook the page names (`MEMBER_PAGE_SECTIONS` for a member page), and the page renders what they return in
the order they give. The page never imports them, so the apps stay layered (docs/architecture.md).

A section function takes the page and the request and returns a `Section`, or None when it has nothing to
show::

    @hooks.register(MEMBER_PAGE_SECTIONS)
    def exchanges(page, request):
        exchanges = Exchange.objects.listed_for(page)
        return Section(50, "matchmaking/sections/member_exchanges.html", {"exchanges": exchanges})
"""

from dataclasses import dataclass, field

from wagtail import hooks
from wagtail.models import Page

#: Hook name: sections of a member page (members.MemberPage), after its needs.
MEMBER_PAGE_SECTIONS = "ssn4psi_member_page_sections"
#: Hook name: panels of an exchange's admin view (matchmaking), after its own fields.
EXCHANGE_ADMIN_PANELS = "ssn4psi_exchange_admin_panels"


@dataclass(frozen=True)
class Section:
    """One part of a page contributed by another app: rendered with `template`, the page's own context and
    `context` on top, at `order` among the page's sections (lower first)."""

    order: int
    template: str
    context: dict = field(default_factory=dict)


def public_pages(request, model):
    """`model.objects.live().public()` for `request`. Wagtail's `public()` excludes `private_q()`, the pages
    under a view restriction, and reads the restrictions to build it each time it is called; here they are read
    once per request and the same exclusion serves every page model, so that a page's own parts and its sections
    (whose querysets take this as their `members`, `solutions` or `workshops` argument) add no read of them."""
    built = request.__dict__.setdefault("public_pages", {})
    if model not in built:
        if "private" not in built:
            built["private"] = Page.objects.private_q()
        built[model] = model.objects.live().exclude(built["private"])
    return built[model]


def sections(hook_name, *args):
    """The sections the functions registered under `hook_name` give for `args` (page and request, or what the
    hook documents), in their order; those that gave None are left out."""
    found = [section for function in hooks.get_hooks(hook_name) if (section := function(*args)) is not None]
    return sorted(found, key=lambda section: section.order)
