"""Admin registration of the meeting agenda (imported by workshops/wagtail_hooks.py): its URLs, the
"Meeting agendas" menu item, a "Meeting agenda" button on a matchmaking workshop's admin page, and the
audit-log action of agenda changes."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter

from workshops import agenda_views as views
from workshops.agenda_models import AGENDA_LOG_ACTION
from workshops.permissions import is_secretariat, member_keys_of


@hooks.register("register_admin_urls")
def register_agenda_urls():
    return [
        path("agendas/", views.AgendaListView.as_view(), name="workshops_agendas"),
        path(
            "agendas/new-workshop/",
            views.CreateMatchmakingWorkshopView.as_view(),
            name="workshops_matchmaking_create",
        ),
        path("agendas/<id:pk>/", views.AgendaView.as_view(), name="workshops_agenda"),
        path("agendas/<id:pk>/propose/", views.ProposeAgainView.as_view(), name="workshops_agenda_propose"),
        path("agendas/<id:pk>/print/", views.PrintableAgendaView.as_view(), name="workshops_agenda_print"),
        path("agendas/<id:pk>/schedules/", views.DelegationSchedulesView.as_view(), name="workshops_agenda_schedules"),
        path("agendas/<id:pk>/agenda.csv", views.AgendaCsvView.as_view(), name="workshops_agenda_csv"),
    ]


class AgendasMenuItem(MenuItem):
    def is_shown(self, request):
        return is_secretariat(request.user) or bool(member_keys_of(request.user))


@hooks.register("register_admin_menu_item")
def register_agendas_menu_item():
    return AgendasMenuItem(_("Meeting agendas"), reverse("workshops_agendas"), icon_name="table", order=265)


@hooks.register("register_page_header_buttons")
def agenda_page_header_button(page, user, view_name, next_url=None):
    """On a matchmaking workshop's admin pages: a link to its meeting agenda, for those who manage it."""
    from workshops.models import WorkshopKind, WorkshopPage
    from workshops.permissions import can_manage_workshop

    specific = page.specific_deferred if page.specific_class is WorkshopPage else None
    if specific is None or specific.kind != WorkshopKind.MATCHMAKING or not can_manage_workshop(user, specific):
        return
    yield Button(_("Meeting agenda"), url=views.agenda_url(specific), icon_name="table", priority=40)


@hooks.register("register_log_actions")
def register_agenda_log_actions(actions):
    @actions.register_action(AGENDA_LOG_ACTION)
    class AgendaChange(LogFormatter):
        label = _("Change the meeting agenda")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            messages = {
                "propose": _("Meeting agenda proposed"),
                "move": _("Meeting moved: %(meeting)s"),
                "remove": _("Meeting removed: %(meeting)s"),
                "add": _("Meeting added: %(meeting)s"),
            }
            return messages.get(data.get("change"), _("Meeting agenda changed")) % {"meeting": data.get("meeting", "")}
