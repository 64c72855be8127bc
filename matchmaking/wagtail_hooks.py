"""Admin screens for exchanges: list, create (prefilled from a recommendation), edit with outcome
documents, change status, history. Shown to the Secretariat (the matchmaking model permissions)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from matchmaking import views
from matchmaking.forms import ExchangeCreateForm, ExchangeForm
from matchmaking.listings import partners_for, solutions_for, ties_by_partner
from matchmaking.models import Exchange
from matchmaking.services import STATUS_CHANGE_LOG_ACTION
from members.models import MemberPage
from solutions.models import Adoption, SolutionPage
from ssn4psi.sections import MEMBER_PAGE_SECTIONS, Section, public_pages
from ssn4psi.vocabulary import LEARNER_KINDS, ExchangeStatus

#: The URL name of the "new exchange" admin view (see `exchange_create_url()` for a prefilled link).
EXCHANGE_CREATE_URL_NAME = views.url_name("add")


exchange_create_url = views.exchange_create_url


PAIRING_FIELDS = [
    MultiFieldPanel(
        [FieldPanel("provider"), FieldPanel("learner"), FieldPanel("facilitator")],
        heading=_("Pairing"),
    ),
    FieldPanel("solutions"),
    FieldPanel("date"),
    FieldPanel("summary"),
]


class ExchangeViewSet(ModelViewSet):
    """Exchanges in the admin. Creation and status changes go through matchmaking.services; the
    status is not a field of the edit form, it has its own "Change status" view."""

    model = Exchange
    name = views.URL_NAMESPACE
    url_prefix = "exchanges"
    icon = "group"
    menu_label = _("Exchanges")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False  # a copy would skip create_exchange() and its rules
    inspect_view_enabled = True
    inspect_view_fields = [
        "key",
        "provider",
        "learner",
        "facilitator",
        "solutions",
        "status",
        "date",
        "summary",
        "created_at",
    ]

    index_view_class = views.ExchangeIndexView
    add_view_class = views.ExchangeCreateView
    edit_view_class = views.ExchangeEditView
    inspect_view_class = views.ExchangeInspectView
    list_display = ["key", views.PAIRING_COLUMN, "facilitator", "status", "date"]
    list_filter = ["status"]
    search_fields = ["key", "provider__title", "learner__title"]
    search_backend_name = None
    ordering = ["-created_at"]
    template_prefix = "matchmaking/admin/"

    create_panel = ObjectList([*PAIRING_FIELDS, FieldPanel("note")], base_form_class=ExchangeCreateForm)
    edit_handler = ObjectList(
        [
            views.StatusHistoryPanel(heading=_("Status")),
            *PAIRING_FIELDS,
            InlinePanel("documents", heading=_("Outcome documents"), label=_("Document")),
        ],
        base_form_class=ExchangeForm,
    )

    def get_add_view_kwargs(self, **kwargs):
        panel = self.create_panel.bind_to_model(self.model)
        return super().get_add_view_kwargs(panel=panel, form_class=panel.get_form_class(), **kwargs)

    @property
    def status_view(self):
        return self.construct_view(
            views.ExchangeStatusView,
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("status/<id:pk>/", self.status_view, name="change_status"),
        ]


exchange_viewset = ExchangeViewSet()


@hooks.register("register_admin_viewset")
def register_exchange_viewset():
    return exchange_viewset


@hooks.register("register_log_actions")
def register_exchange_log_actions(actions):
    @actions.register_action(STATUS_CHANGE_LOG_ACTION)
    class ChangeStatus(LogFormatter):
        label = _("Change status")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            try:
                return _("Status changed from “%(from)s” to “%(to)s”") % {
                    "from": ExchangeStatus(data["from"]).label,
                    "to": ExchangeStatus(data["to"]).label,
                }
            except (KeyError, ValueError):
                return _("Status changed")

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("note", "")


@hooks.register("register_admin_urls")
def register_recommendations_url():
    return [path("recommendations/", views.RecommendationsView.as_view(), name="matchmaking_recommendations")]


class RecommendationsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.RecommendationsView.permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_menu_item")
def register_recommendations_menu_item():
    return RecommendationsMenuItem(
        _("Recommendations"), reverse("matchmaking_recommendations"), icon_name="group", order=249
    )


@hooks.register(MEMBER_PAGE_SECTIONS)
def member_partners(member, request):
    """The partners recommended to a member that learns (governments and their agencies), with the reasons."""
    if member.kind not in LEARNER_KINDS:
        return None
    partners = partners_for(
        member, members=public_pages(request, MemberPage), solutions=public_pages(request, SolutionPage)
    )
    return Section(10, "matchmaking/sections/member_partners.html", {"recommended_partners": partners})


@hooks.register(MEMBER_PAGE_SECTIONS)
def member_similar_adopters(member, request):
    """What members with adoptions like this one's took up next."""
    if member.kind not in LEARNER_KINDS:
        return None
    found = solutions_for(member, "adopters", solutions=public_pages(request, SolutionPage))
    if not found:
        return None
    return Section(20, "matchmaking/sections/member_similar_adopters.html", {"similar_adopters_solutions": found})


@hooks.register(MEMBER_PAGE_SECTIONS)
def member_ties(member, request):
    """Whom a member learned from and shared with (its adoptions both ways and its exchanges that got somewhere,
    by partner), then every exchange it takes part in, whatever its status, as Exchange.objects.listed_for() reads
    them: two queries (its adoptions both ways, its exchanges), the exchanges read once for both parts."""
    members, solutions = public_pages(request, MemberPage), public_pages(request, SolutionPage)
    exchanges = list(Exchange.objects.listed_for(member, members))
    partners = ties_by_partner(member, Adoption.objects.ties_of(member, members, solutions), exchanges)
    if not (partners or exchanges):
        return None
    return Section(40, "matchmaking/sections/member_ties.html", {"partners": partners, "exchanges": exchanges})
