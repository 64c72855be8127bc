"""The home page: what the network is, in figures, and the way into the catalogue."""

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from matchmaking.models import Exchange
from members.models import MemberIndexPage, MemberPage
from solutions.models import CatalogueSummary, SolutionIndexPage, SolutionPage
from ssn4psi.models import SdgGoal


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
