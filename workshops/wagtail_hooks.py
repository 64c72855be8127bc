"""Registrations in the admin: list, filter by workshop and status, search, CSV export (with the answers to
the workshop's questions), and the organisers' steps (approve, decline, check in) on each registration.

Who sees what is workshops.permissions: the Secretariat sees every registration; a focal point of a
workshop's organising member sees and manages that workshop's registrations only (the list, the export and
every screen of one registration are limited to them; another's is refused). Nobody else reaches them."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, Panel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

import workshops.agenda_hooks  # noqa: F401  (the meeting agenda's admin screens)
from members.models import MemberPage
from ssn4psi import spreadsheets
from ssn4psi.sections import EXCHANGE_ADMIN_PANELS, MEMBER_PAGE_SECTIONS, Section, public_pages
from workshops import services
from workshops.models import Registration, RegistrationStatus, WorkshopPage
from workshops.permissions import RegistrationPermissionPolicy, can_manage_workshop, workshops_managed_by

permission_policy = RegistrationPermissionPolicy(Registration)
register_permission_policy(Registration, permission_policy)

STEPS = {
    "approve": (services.approve, _("Approve")),
    "decline": (services.decline, _("Decline")),
    "check_in": (services.mark_attended, _("Check in")),
}


def _workshops_of(request):
    return workshops_managed_by(request.user, WorkshopPage.objects.order_by("-start")).only("title")


class RegistrationFilterSet(WagtailFilterSet):
    """Filters of the list; the workshops offered are those the user manages."""

    workshop = django_filters.ModelChoiceFilter(label=_("Workshop"), queryset=_workshops_of)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RegistrationStatus.choices)

    class Meta:
        model = Registration
        fields = ["workshop", "status"]


class ManagedRegistrationMixin:
    """One registration's screens: refused (403) unless the user manages its workshop."""

    def get_object(self, queryset=None):
        registration = super().get_object(queryset)
        if not can_manage_workshop(self.request.user, registration.workshop):
            raise PermissionDenied
        return registration


class RegistrationIndexView(generic.IndexView):
    def preprocess_field_value(self, field, value, export_format):
        # What participants typed, made safe to open in a spreadsheet (ssn4psi.spreadsheets).
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheets.csv_cell(value) if export_format == self.FORMAT_CSV else spreadsheets.xlsx_cell(value)

    def get_base_queryset(self):
        # The list and its CSV export: only the registrations of the workshops the user manages.
        return (
            super()
            .get_base_queryset()
            .filter(workshop__in=workshops_managed_by(self.request.user).values("pk"))
            .select_related("workshop", "member")
        )


class AnswersPanel(Panel):
    """The answers to the workshop's questions, read-only, with the labels as they were asked."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workshops/admin/answers_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.answers)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["answers"] = self.instance.answer_list()
            return context


class RegistrationInspectView(ManagedRegistrationMixin, generic.InspectView):
    pass


class RegistrationDeleteView(ManagedRegistrationMixin, generic.DeleteView):
    pass


class RegistrationEditView(ManagedRegistrationMixin, generic.EditView):
    """A registration's details; its status moves only through the steps (buttons in the header)."""

    @property
    def header_buttons(self):
        buttons = []
        for step, (_function, label) in STEPS.items():
            url = reverse("workshops_registration_step", args=[self.object.pk, step])
            buttons.append(Button(label, url=url, icon_name="resubmit", priority=10))
        return buttons


class RegistrationStepView(View):
    """POST: run one organiser step on a registration; a refusal is a message, never an error page."""

    def dispatch(self, request, *args, **kwargs):
        if not permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_registration(self, pk, **related):
        """The registration, if the user manages its workshop (403 otherwise, 404 if there is none)."""
        registration = get_object_or_404(Registration.objects.select_related("workshop"), pk=pk)
        if not can_manage_workshop(self.request.user, registration.workshop):
            raise PermissionDenied
        return registration

    def get(self, request, pk, step):
        """A confirmation page: the step itself needs a POST (a link alone must never change anything)."""
        from django.template.response import TemplateResponse

        registration = self.get_registration(pk)
        if step not in STEPS:
            messages.error(request, _("Unknown step."))
            return redirect(reverse(RegistrationViewSet.name + ":edit", args=[pk]))
        context = {"registration": registration, "step_label": STEPS[step][1], "header_title": STEPS[step][1]}
        return TemplateResponse(request, "workshops/admin/registration_step.html", context)

    def post(self, request, pk, step):
        registration = self.get_registration(pk)
        function, label = STEPS.get(step, (None, None))
        if function is None:
            messages.error(request, _("Unknown step."))
        else:
            try:
                function(registration, user=request.user)
            except services.RegistrationError as error:
                messages.error(request, error.message)
            else:
                registration.refresh_from_db()
                messages.success(
                    request,
                    _("%(name)s: %(status)s.")
                    % {"name": registration.name, "status": registration.get_status_display()},
                )
        return redirect(reverse(RegistrationViewSet.name + ":edit", args=[pk]))


class RegistrationViewSet(ModelViewSet):
    model = Registration
    name = "registrations"
    url_prefix = "registrations"
    icon = "user"
    menu_label = _("Registrations")
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = RegistrationIndexView
    edit_view_class = RegistrationEditView
    inspect_view_class = RegistrationInspectView
    delete_view_class = RegistrationDeleteView
    filterset_class = RegistrationFilterSet
    list_display = ["name", "email", "workshop", "status", "created_at"]
    search_fields = ["name", "email", "organisation"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_export = [
        "workshop",
        "name",
        "email",
        "member",
        "organisation",
        "country",
        "job_title",
        "role",
        "status",
        "accessibility_needs",
        "public_listing",
        "answers_text",
        "created_at",
    ]
    export_headings = {"answers_text": _("Answers")}
    export_filename = "registrations"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("email", read_only=True)]),
            FieldRowPanel([FieldPanel("member"), FieldPanel("organisation")]),
            FieldRowPanel([FieldPanel("country"), FieldPanel("job_title"), FieldPanel("role")]),
            FieldPanel("accessibility_needs"),
            FieldPanel("status", read_only=True),
            AnswersPanel(heading=_("Answers to the workshop's questions")),
        ]
    )


registration_viewset = RegistrationViewSet()


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return registration_viewset


@hooks.register("register_admin_urls")
def register_registration_step_url():
    return [
        path(
            "registrations/<id:pk>/step/<str:step>/",
            RegistrationStepView.as_view(),
            name="workshops_registration_step",
        )
    ]


__all__ = ["RegistrationStatus"]


# After the event: check-in at the door and the feedback summary, from the workshop's page in the admin.
def _after_the_event_buttons(page, user):
    from workshops.models import WorkshopPage
    from workshops.permissions import can_manage_workshop

    if page.specific_class is not WorkshopPage or not can_manage_workshop(user, page):
        return
    yield Button(_("Check-in"), url=reverse("workshop_check_in", args=[page.pk]), icon_name="tick", priority=80)
    yield Button(
        _("Feedback"), url=reverse("workshops_feedback_summary", args=[page.pk]), icon_name="comment", priority=81
    )


@hooks.register("register_page_listing_more_buttons")
def after_the_event_listing_buttons(page, user, next_url=None):
    yield from _after_the_event_buttons(page, user)


@hooks.register("register_page_header_buttons")
def after_the_event_header_buttons(page, user, view_name=None, next_url=None):
    yield from _after_the_event_buttons(page, user)


@hooks.register("register_admin_urls")
def register_feedback_summary_url():
    from workshops.feedback import feedback_summary_view

    return [path("workshops/<id:pk>/feedback/", feedback_summary_view, name="workshops_feedback_summary")]


#: The workshops a member page shows at most, latest first.
MEMBER_PAGE_WORKSHOPS = 20


@hooks.register(MEMBER_PAGE_SECTIONS)
def member_workshop_records(member, request):
    """The workshops a member took part in, with their materials and outcomes."""
    workshops = public_pages(request, WorkshopPage)
    records = list(workshops.records_of(member, members=public_pages(request, MemberPage))[:MEMBER_PAGE_WORKSHOPS])
    if not records:
        return None
    return Section(60, "workshops/sections/member_workshop_records.html", {"workshop_records": records})


@hooks.register(EXCHANGE_ADMIN_PANELS)
def exchange_workshop_records(exchange, request):
    """On an exchange's admin view: the workshops that serve it, live or not, with their materials and
    outcomes."""
    records = WorkshopPage.objects.for_exchange_admin(exchange)
    return Section(10, "workshops/admin/exchange_workshops.html", {"workshop_records": records})
