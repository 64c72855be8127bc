"""Registrations in the admin, for staff (the workshops model permissions): list, filter by workshop and
status, search, CSV export, and the organisers' steps (approve, decline, check in) on each registration.
Personal data: nobody without those permissions reaches these screens."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy

import workshops.agenda_hooks  # noqa: F401  (the meeting agenda's admin screens)
from workshops import services
from workshops.models import Registration, RegistrationStatus

STEPS = {
    "approve": (services.approve, _("Approve")),
    "decline": (services.decline, _("Decline")),
    "check_in": (services.mark_attended, _("Check in")),
}


class RegistrationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("workshop", "member")


class RegistrationEditView(generic.EditView):
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

    permission_policy = ModelPermissionPolicy(Registration)

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, step):
        """A confirmation page: the step itself needs a POST (a link alone must never change anything)."""
        from django.template.response import TemplateResponse

        registration = get_object_or_404(Registration.objects.select_related("workshop"), pk=pk)
        if step not in STEPS:
            messages.error(request, _("Unknown step."))
            return redirect(reverse(RegistrationViewSet.name + ":edit", args=[pk]))
        context = {"registration": registration, "step_label": STEPS[step][1], "header_title": STEPS[step][1]}
        return TemplateResponse(request, "workshops/admin/registration_step.html", context)

    def post(self, request, pk, step):
        registration = get_object_or_404(Registration, pk=pk)
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
    list_display = ["name", "email", "workshop", "status", "created_at"]
    list_filter = ["workshop", "status"]
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
        "created_at",
    ]
    export_filename = "registrations"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("email", read_only=True)]),
            FieldRowPanel([FieldPanel("member"), FieldPanel("organisation")]),
            FieldRowPanel([FieldPanel("country"), FieldPanel("job_title"), FieldPanel("role")]),
            FieldPanel("accessibility_needs"),
            FieldPanel("status", read_only=True),
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
            "registrations/<int:pk>/step/<str:step>/",
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

    return [path("workshops/<int:pk>/feedback/", feedback_summary_view, name="workshops_feedback_summary")]
