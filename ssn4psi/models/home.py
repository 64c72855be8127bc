"""The home page: what the network is, in figures, and the way into the catalogue."""

from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import BooleanField, Count
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from ssn4psi.sql import placeholders, read


@lru_cache
def _guard_sql(levels):
    """The EXISTS clause of _with_guard() for a page `levels` deep, as Django writes it for
    Page.objects.filter(Q(alias_of__isnull=False) | Q(view_restrictions__isnull=False), path__in=ancestors):
    written once per depth, where building and compiling that subquery cost half of the routing query."""
    quote = connection.ops.quote_name
    page, restriction = Page._meta.db_table, PageViewRestriction._meta.db_table
    return (
        f"EXISTS(SELECT 1 FROM {quote(page)} guard LEFT OUTER JOIN {quote(restriction)} restriction"
        f" ON (guard.{quote('id')} = restriction.{quote('page_id')})"
        f" WHERE (guard.{quote('alias_of_id')} IS NOT NULL OR restriction.{quote('id')} IS NOT NULL)"
        f" AND guard.{quote('path')} IN ({placeholders(levels)}))"
    )


def _ancestors(path):
    """The paths of the page at `path` and of its ancestors."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def _with_guard(queryset, path):
    """`queryset` with `guarded`: whether a view restriction or an alias sits on the page at `path` or on
    one of its ancestors (Page.get_view_restrictions() looks at both)."""
    ancestors = _ancestors(path)
    return queryset.annotate(guarded=RawSQL(_guard_sql(len(ancestors)), ancestors, output_field=BooleanField()))


@lru_cache
def _find_sql():
    """The routing's first query, for parameters (the last part of the path, the url_path): (id, content_type_id,
    live, path) of the page there, as Page.objects.filter(url_path=...).values_list(...).first() reads it. A
    url_path ends with the page's slug: asking for the slug too lets the database use the index on slugs (url_path
    has none), where it read every page."""
    q = connection.ops.quote_name
    columns = ", ".join(q(name) for name in ("id", "content_type_id", "live", "path"))
    return (
        f"SELECT {columns} FROM {q(Page._meta.db_table)} WHERE {q('slug')} = %s AND {q('url_path')} = %s"
        f" ORDER BY {q('id')} LIMIT 1"
    )


@lru_cache
def _page_sql(model, levels):
    """The routing's second query for a `model` page `levels` deep, for parameters (the paths of the page and its
    ancestors..., its id): every column of the page, across its tables, and `guarded` (read by ssn4psi.sql.read()), as
    _with_guard(model.objects.all(), path).get(pk=...) reads them. Written once per type and depth: building
    and compiling the ORM's version took three times as long as SQLite took to answer it."""
    q = connection.ops.quote_name
    columns = ", ".join(f"{q(field.model._meta.db_table)}.{q(field.column)}" for field in model._meta.concrete_fields)
    joins = "".join(
        f" INNER JOIN {q(parent._meta.db_table)} ON ({q(link.model._meta.db_table)}.{q(link.column)}"
        f" = {q(parent._meta.db_table)}.{q(parent._meta.pk.column)})"
        for parent in model._meta.get_parent_list()
        for link in [model._meta.get_ancestor_link(parent)]
    )
    return (
        f"SELECT {columns}, {_guard_sql(levels)} AS {q('guarded')} FROM {q(model._meta.db_table)}{joins}"
        f" WHERE {q(Page._meta.db_table)}.{q('id')} = %s"
    )


def _unguarded(page):
    """`page`, told that it has no view restriction when the routing query found none."""
    if not page.guarded:
        page.get_view_restrictions = PageViewRestriction.objects.none
    return page


class HomePage(Page):
    """The site root. Shows the network's figures, the SDG goals as a way into the catalogue and the
    most recently updated solutions."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["members.MemberIndexPage", "solutions.SolutionIndexPage", "workshops.WorkshopIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find the page for a whole path in two queries (by slug and url_path), where Wagtail's default
        walks the tree with two queries per level (/members/bangladesh/a2i/mygov/ took ten).

        The page found also learns, in the same query, whether any view restriction or alias can apply
        to it; when none can, Wagtail's view-restriction check costs no query (it took two per page).
        This page itself may be the copy that ssn4psi.routing keeps with the site, so the home page is
        loaded afresh before it is served."""
        if not path_components:
            home = _with_guard(HomePage.objects.all(), self.path).filter(pk=self.pk).first()
            if home is None or not home.live:
                raise Http404
            return RouteResult(_unguarded(home))
        url_path = self.url_path + "/".join(path_components) + "/"
        with connection.cursor() as cursor:
            cursor.execute(_find_sql(), [path_components[-1], url_path])
            found = cursor.fetchone()
        if found is not None and found[2]:
            pk, path = found[0], found[3]
            model = ContentType.objects.get_for_id(found[1]).model_class()
            if model is not None and model.route is Page.route:  # pages with routes of their own walk
                related = getattr(model, "serve_select_related", ())
                if related:
                    page = _with_guard(model.objects.select_related(*related), path).get(pk=pk)
                else:
                    ancestors = _ancestors(path)
                    page = next(iter(read(model, _page_sql(model, len(ancestors)), [*ancestors, pk])), None)
                    if page is None:  # deleted since the first query
                        raise Http404
                return RouteResult(_unguarded(page))
        return super().route(request, path_components)

    @property
    def localized_draft(self):
        """The translation of this page in the active language, or this page: as Wagtail's, with the active
        locale from memory (ssn4psi.routing) where Wagtail queries for it on every request, to route it."""
        from ssn4psi.routing import active_locale

        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return self
        locale = active_locale()
        if locale is None or locale.id == self.locale_id:
            return self
        return self.get_translation_or_none(locale) or self

    def get_context(self, request, *args, **kwargs):
        from matchmaking.models import Exchange
        from members.models import MemberIndexPage, MemberPage
        from solutions.models import SolutionIndexPage, SolutionPage
        from ssn4psi.models.vocabulary import framework

        context = super().get_context(request, *args, **kwargs)
        solutions = SolutionPage.objects.for_catalogue()
        members = MemberPage.objects.in_directory()
        goal_counts = solutions.goal_counts(total="solutions")  # and how many solutions, from the same rows
        context.update(
            catalogue=SolutionIndexPage.objects.live().first(),
            directory=MemberIndexPage.objects.live().first(),
            figures={
                **members.order_by().aggregate(members=Count("pk"), countries=Count("country", distinct=True)),
                "solutions": goal_counts.pop("solutions"),
                "exchanges": Exchange.objects.count(),
            },
            goals=list(framework().goals.values()),
            goal_counts=goal_counts,
            latest=solutions.order_by("-last_published_at")[:6],
            site_name=settings.WAGTAIL_SITE_NAME,
        )
        return context
