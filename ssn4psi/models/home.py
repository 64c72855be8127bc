"""The home page: what the network is, in figures, and the way into the catalogue."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.url_routing import RouteResult


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
        """Find the page for a whole path in two queries (url_path is indexed), where Wagtail's default
        walks the tree with two queries per level (/members/bangladesh/a2i/mygov/ took ten)."""
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            found = Page.objects.filter(url_path=url_path).values_list("pk", "content_type_id", "live").first()
            if found is not None and found[2]:
                model = ContentType.objects.get_for_id(found[1]).model_class()
                if model is not None and model.route is Page.route:  # pages with routes of their own walk
                    related = getattr(model, "serve_select_related", ())
                    return RouteResult(model.objects.select_related(*related).get(pk=found[0]))
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from matchmaking.models import Exchange
        from members.models import MemberIndexPage, MemberPage
        from solutions.models import SolutionIndexPage, SolutionPage
        from ssn4psi.models import SdgGoal

        context = super().get_context(request, *args, **kwargs)
        solutions = SolutionPage.objects.for_catalogue()
        members = MemberPage.objects.in_directory()
        context.update(
            catalogue=SolutionIndexPage.objects.live().first(),
            directory=MemberIndexPage.objects.live().first(),
            figures={
                "members": members.count(),
                "countries": members.order_by().values("country").distinct().count(),
                "solutions": solutions.count(),
                "exchanges": Exchange.objects.count(),
            },
            goals=SdgGoal.objects.all(),
            goal_counts=solutions.goal_counts(),
            latest=solutions.order_by("-last_published_at")[:6],
            site_name=settings.WAGTAIL_SITE_NAME,
        )
        return context
