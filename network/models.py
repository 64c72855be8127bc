"""The home page (what the network is, in figures, and the way into the catalogue) and the network page (the
network seen as a whole: who learned from whom, which goals it serves)."""

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models import Count, F, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from matchmaking.models import Exchange
from members.models import MemberIndexPage, MemberPage
from network.charts import OTHERS, bar_chart, flow_diagram
from network.overview import (
    NetworkCounts,
    NetworkFilterForm,
    NetworkOverview,
    country_label,
    other_countries_label,
)
from solutions.models import CatalogueSummary, SolutionIndexPage, SolutionPage
from ssn4psi.models import SdgGoal
from ssn4psi.regions import REGIONS


class HomePage(Page):
    """The site root. Shows the network's figures, the SDG goals as a way into the catalogue and the
    most recently updated solutions. Everything it counts or lists is live and public."""

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = [
        "members.MemberIndexPage",
        "solutions.SolutionIndexPage",
        "workshops.WorkshopIndexPage",
        "ssn4psi.InformationPage",
        "network.NetworkPage",
    ]
    max_count = 1

    class Meta:
        # The table it had when the home page lived in the core app (migrations move the model, not the rows).
        db_table = "ssn4psi_homepage"
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Wagtail's routing (Page.route), with a child on the way to a deeper page (the directory on the way to
        a member) read in one query as its specific page with only the base page's fields, which is all its own
        route() uses; Wagtail reads the base page and then the specific one. A child served itself is routed by
        Wagtail, with all its fields."""
        if len(path_components) > 1:
            child = self.get_children().filter(slug=path_components[0]).specific(defer=True).first()
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The catalogue's figures are kept current on write (solutions.summary), the rest is counted.
        summary = CatalogueSummary.objects.current()
        members = MemberPage.objects.in_directory()
        latest = {
            solution.pk: solution for solution in SolutionPage.objects.for_catalogue().filter(pk__in=summary["latest"])
        }
        context.update(
            catalogue=SolutionIndexPage.objects.live().public().first(),
            directory=MemberIndexPage.objects.live().public().first(),
            figures={
                **members.order_by().aggregate(members=Count("pk"), countries=Count("country", distinct=True)),
                "solutions": summary["total"],
                "exchanges": Exchange.objects.public(members).count(),
            },
            goals=SdgGoal.objects.all(),
            goal_counts=summary["facets"]["goal"],
            latest=[latest[pk] for pk in summary["latest"] if pk in latest],
            site_name=settings.WAGTAIL_SITE_NAME,
        )
        return context


def node_label(key, countries):
    """The name of a node of the flow diagram: a country's, or how many countries the other ones are."""
    return other_countries_label(countries) if key is OTHERS else country_label(key)


class NetworkPage(Page):
    """The network as a whole (/network/): its figures; who learned from whom between countries, drawn as a flow
    diagram with the same data as a table and a CSV download (network.views.flows_csv); how many solutions serve
    each SDG goal and target and how many needs ask for it; exchanges and adoptions by year. Filterable by region
    and goal. Everything it counts is live and public; its reads are network.overview's, a fixed number of
    queries, and its pictures network.charts'."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["network.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("network page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = NetworkFilterForm.from_query(request.GET)
        filters = form.filters()
        overview = NetworkOverview(request, filters)
        counts = network_counts(overview)
        pairs = counts.pairs()
        years, undated = counts.timeline()
        coverage = counts.coverage()
        goal = next((row.goal for row in coverage if row.goal.number == filters.get("goal")), None)
        context.update(
            form=form,
            filters=filters,
            region_label=dict(REGIONS).get(filters.get("region")),
            chosen_goal=goal,
            figures=counts.figures(overview.attendance()),
            exchange_statuses=counts.exchange_statuses(),
            adoption_statuses=counts.adoption_statuses(),
            pair_count=len(pairs),
            # Two pictures: adoptions (the Digital Public Goods' deployments alone are thousands) would leave the
            # network's own exchanges too thin to see in one.
            flow_diagrams=[
                (kind, flow_diagram(pairs, weight=kind, label=node_label)) for kind in ("exchanges", "adoptions")
            ],
            within_countries=counts.within_countries(),
            chart=bar_chart(years),
            years=years,
            undated=undated,
            coverage=coverage,
            csv_url=reverse("network_flows_csv") + (f"?{urlencode(filters)}" if filters else ""),
        )
        return context


def network_counts(overview):
    """NetworkCounts of `overview`: for the whole network (no filter) the kept summary (NetworkSummary), counted
    afresh when a change emptied it; with filters, counted."""
    if overview.filters:
        return NetworkCounts(overview.counts())
    return NetworkCounts(NetworkSummary.objects.current(overview.counts))


class NetworkSummaryManager(models.Manager):
    """Reads and empties the kept counts of the whole network (network.summary says when they are emptied)."""

    #: The one row's primary key.
    ROW = 1

    def current(self, count):
        """The whole network's counts (NetworkOverview.counts()) from the kept row, one query; when a change emptied
        it, or the catalogue's summary moved since (CatalogueSummary's version: the importer's bulk writes move it),
        `count()` them and keep the result, unless a write came in meanwhile."""
        row = self._read()
        if row is not None and row[3] is not None and row[1] == row[2]:
            return row[3]
        if row is None or row[2] is None:
            # Made first, so that a write committed while this reader counts moves their versions (the catalogue's
            # summary's too: its version is what the importer moves).
            self.get_or_create(pk=self.ROW)
            CatalogueSummary.objects.get_or_create(pk=CatalogueSummary.objects.ROW)
            row = self._read()
        counts = count()
        self._store(row[0], row[2], counts)
        return counts

    def _read(self):
        """(version, catalogue version kept with, catalogue summary's version now, counts) of the row, or None."""
        catalogue = CatalogueSummary.objects.filter(pk=CatalogueSummary.objects.ROW).values("version")
        return (
            self.filter(pk=self.ROW)
            .annotate(catalogue_now=Subquery(catalogue))
            .values_list("version", "catalogue_version", "catalogue_now", "counts")
            .first()
        )

    def changed(self):
        """Empty the kept counts, in the current transaction (the writer's), so that the next reader counts again."""
        self.filter(pk=self.ROW).update(version=F("version") + 1, counts=None)

    def _store(self, version, catalogue_version, counts):
        try:
            with transaction.atomic():
                # Only if no write came in since the versions were read; on PostgreSQL, without waiting for a
                # writer that holds the row (it empties it when it commits).
                row = self.select_for_update(skip_locked=True).filter(pk=self.ROW, version=version)
                catalogue = CatalogueSummary.objects.filter(pk=CatalogueSummary.objects.ROW, version=catalogue_version)
                if row.exists() and catalogue.exists():
                    row.update(counts=counts, catalogue_version=catalogue_version)
        except DatabaseError:  # SQLite busy with another writer: a later reader stores it
            pass


class NetworkSummary(models.Model):
    """The whole network's counts as the network page shows them without filters (NetworkOverview.counts(): members,
    solutions, exchanges and adoptions by pair of countries, year and status, solutions and needs by goal and
    target), kept so that the page reads one row instead of counting every adoption. `counts` is emptied, and
    `version` moved, by any write that could change them, in the writer's transaction (network.summary); a kept
    value is also stale once the catalogue's summary moved past `catalogue_version`. The next reader counts again
    and stores the result only if no write came in between."""

    version = models.PositiveBigIntegerField(default=0)
    catalogue_version = models.PositiveBigIntegerField(null=True, blank=True)
    counts = models.JSONField(null=True, blank=True)

    objects = NetworkSummaryManager()

    class Meta:
        verbose_name = _("network summary")

    def __str__(self):
        return f"network summary v{self.version}"
