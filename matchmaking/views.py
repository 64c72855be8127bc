"""Admin views for exchanges (registered by the viewset in wagtail_hooks.py).

Creating an exchange and changing its status go through `matchmaking.services`; a refusal there
(`ExchangeError`, `InvalidTransition`) is shown on the form, never as a server error."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.panels import Panel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from matchmaking.forms import ExchangeStatusForm
from matchmaking.models import Exchange
from matchmaking.services import ExchangeError, change_status, create_exchange
from ssn4psi.sections import EXCHANGE_ADMIN_PANELS, sections

#: The URL namespace of the exchange admin views: "exchanges:add", "exchanges:edit", "exchanges:change_status"...
URL_NAMESPACE = "exchanges"


def url_name(view):
    """The full URL name of one of the exchange admin views, e.g. url_name("add")."""
    return f"{URL_NAMESPACE}:{view}"


def status_changes_of(exchange):
    """The status history of `exchange`, oldest first, with their authors."""
    if exchange is None or exchange.pk is None:
        return []
    return exchange.status_changes.select_related("changed_by")


class StatusHistoryPanel(Panel):
    """The exchange's current status, its history and a link to change it (read only)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "matchmaking/admin/status_history_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["exchange"] = self.instance
            context["status_changes"] = status_changes_of(self.instance)
            if self.instance.pk:
                context["change_status_url"] = reverse(url_name("change_status"), args=[self.instance.pk])
            return context


class ExchangeIndexView(generic.IndexView):
    """The list of exchanges, with the members they pair fetched in the same query."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("provider", "learner", "facilitator")

    @cached_property
    def header_buttons(self):
        """ "Add" and, for those who may add exchanges, "Create matchmaking workshop" (a view of the workshops
        app, named by its URL name: this app does not import the apps above it), where the exchanges to pair are
        ticked."""
        buttons = super().header_buttons
        if self.add_url:
            buttons.append(
                HeaderButton(
                    _("Create matchmaking workshop"), url=reverse("workshops_matchmaking_create"), icon_name="table"
                )
            )
        return buttons


#: "Provider → learner" column of the list (Exchange.__str__).
PAIRING_COLUMN = Column("__str__", label=_("Provider → learner"))


class ExchangeCreateView(generic.CreateView):
    """A new exchange, through `create_exchange()`. GET parameters prefill it from a recommendation:
    ?provider=<member key>&learner=<member key>&facilitator=<member key>&solutions=<key>,<key>;
    unknown keys are ignored."""

    def get_initial(self):
        from members.models import MemberPage
        from solutions.models import SolutionPage

        initial = super().get_initial()
        for role in ("provider", "learner", "facilitator"):
            key = self.request.GET.get(role, "").strip()
            if key:
                member = MemberPage.objects.filter(key=key).only("pk").first()
                if member is not None:
                    initial[role] = member.pk
        keys = [key.strip() for key in self.request.GET.get("solutions", "").split(",") if key.strip()]
        if keys:
            initial["solutions"] = list(SolutionPage.objects.live().filter(key__in=keys).values_list("pk", flat=True))
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return create_exchange(
            provider=data["provider"],
            learner=data["learner"],
            facilitator=data.get("facilitator"),
            solutions=data.get("solutions") or (),
            date=data.get("date"),
            summary=data.get("summary", ""),
            note=data.get("note", ""),
            user=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ExchangeError as error:
            # The pairing was valid when the form was checked, and someone else took it since.
            form.add_error(error.field, error.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def get_success_url(self):
        # Straight to the new exchange, where its outcome documents are added later.
        return self.get_edit_url()


class ExchangeEditView(generic.EditView):
    """The descriptive fields and outcome documents of an exchange; its status has its own view."""

    def get_queryset(self):
        return Exchange.objects.select_related("provider", "learner", "facilitator")

    @cached_property
    def header_buttons(self):
        return [
            Button(
                _("Change status"),
                url=reverse(url_name("change_status"), args=[self.object.pk]),
                icon_name="resubmit",
                priority=10,
            )
        ]


class ExchangeInspectView(generic.InspectView):
    """An exchange read-only, with its status history and the panels the apps above add (EXCHANGE_ADMIN_PANELS:
    the workshops that serve it): for those who may view exchanges, not edit them."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_changes"] = status_changes_of(self.object)
        context["panels"] = sections(EXCHANGE_ADMIN_PANELS, self.object, self.request)
        return context


class ExchangeStatusView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Move an exchange to another status of its life cycle, through `change_status()`."""

    model = Exchange
    permission_required = "change"
    form_class = ExchangeStatusForm
    template_name = "matchmaking/admin/change_status.html"
    page_title = _("Change status")
    header_icon = "resubmit"
    index_url_name = None
    edit_url_name = None

    @cached_property
    def object(self):
        return get_object_or_404(
            Exchange.objects.select_related("provider", "learner", "facilitator"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": Exchange._meta.verbose_name_plural.capitalize()},
            {"url": reverse(self.edit_url_name, args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": self.page_title, "sublabel": str(self.object)},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "exchange": self.object}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            change_status(
                self.object, data["status"], date=data.get("date"), note=data.get("note", ""), user=self.request.user
            )
        except ExchangeError as error:
            form.add_error("status", error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Exchange '%(exchange)s' is now “%(status)s”.")
            % {"exchange": self.object, "status": self.object.get_status_display()},
        )
        return redirect(self.edit_url_name, self.object.pk)

    def form_invalid(self, form):
        messages.validation_error(self.request, _("The status could not be changed."), form)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            exchange=self.object,
            status_changes=status_changes_of(self.object),
            action_url=reverse(url_name("change_status"), args=[self.object.pk]),
            submit_button_label=_("Change status"),
            submit_button_active_label=_("Changing…"),
        )
        return context


class RecommendationsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The matcher's recommendations for staff: across the network (each learner's best pairings, the
    strongest first) or for one learner (`?learner=<key>`), each with its reasons, the suggested
    facilitators and a button that opens a new exchange prefilled with the pairing. A POST queues a
    recomputation."""

    template_name = "matchmaking/admin/recommendations.html"
    page_title = _("Recommendations")
    header_icon = "group"
    permission_policy = ModelPermissionPolicy(Exchange)
    permission_required = "view"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    #: Network-wide, a learner's first pairings only: the list stays readable at any size.
    NETWORK_RANKS = 3
    PER_PAGE = 50

    def dispatch(self, request, *args, **kwargs):
        self.can_create = self.permission_policy.user_has_permission(request.user, "add")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.can_create:
            raise PermissionDenied
        from matchmaking.tasks import request_refresh

        request_refresh()
        messages.success(request, _("The recommendations are being recomputed; reload this page in a minute."))
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        from matchmaking.explain import describe_all
        from matchmaking.models import PartnerRecommendation
        from members.models import MemberPage
        from ssn4psi.vocabulary import LEARNER_KINDS

        context = super().get_context_data(**kwargs)
        learners = MemberPage.objects.filter(kind__in=LEARNER_KINDS).order_by("title").only("key", "title")
        learner = learners.filter(key=self.request.GET.get("learner") or "").first()
        rows = PartnerRecommendation.objects.select_related("learner", "provider").only(
            *[f"{side}__{field}" for side in ("learner", "provider") for field in ("key", "title")],
            "rank",
            "score",
            "solutions",
            "reasons",
            "facilitators",
            "computed_at",
        )
        if learner is not None:
            rows = rows.filter(learner=learner).order_by("rank")
            page = None
        else:
            rows = rows.filter(rank__lte=self.NETWORK_RANKS).order_by("-score", "learner__title", "rank")
            page = Paginator(rows, self.PER_PAGE).get_page(self.request.GET.get("page"))
            rows = page.object_list
        rows = list(rows)
        titles = _solution_titles({key for row in rows for key in row.solutions})
        names = _member_titles({f["key"] for row in rows for f in row.facilitators})
        for row in rows:
            row.sentences = describe_all(row.reasons)
            row.solution_titles = [titles.get(key, key) for key in row.solutions]
            row.facilitator_keys = [f["key"] for f in row.facilitators]
            row.facilitator_titles = [names.get(key, key) for key in row.facilitator_keys]
            if self.can_create:
                row.create_url = exchange_create_url(
                    row.provider.key,
                    row.learner.key,
                    row.facilitator_keys[0] if row.facilitator_keys else None,
                    row.solutions,
                )
        context.update(
            learners=learners,
            learner=learner,
            unknown_learner=bool(self.request.GET.get("learner")) and learner is None,
            rows=rows,
            page_obj=page,
            can_create=self.can_create,
            computed_at=rows[0].computed_at if rows else None,
        )
        return context


def _member_titles(keys):
    from members.models import MemberPage

    if not keys:
        return {}
    return dict(MemberPage.objects.filter(key__in=keys).values_list("key", "title"))


def _solution_titles(keys):
    from solutions.models import SolutionPage

    if not keys:
        return {}
    return dict(SolutionPage.objects.filter(key__in=keys).values_list("key", "title"))


def exchange_create_url(provider_key=None, learner_key=None, facilitator_key=None, solution_keys=()):
    """The admin URL that opens the "new exchange" form prefilled with these members and solutions
    (given by key), e.g. to turn a recommended pairing into an exchange."""
    params = {
        name: value
        for name, value in (("provider", provider_key), ("learner", learner_key), ("facilitator", facilitator_key))
        if value
    }
    if solution_keys:
        params["solutions"] = ",".join(solution_keys)
    url = reverse(url_name("add"))
    return f"{url}?{urlencode(params)}" if params else url
