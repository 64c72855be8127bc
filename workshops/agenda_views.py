"""Admin views of the meeting agenda of a matchmaking workshop (URLs in workshops/agenda_hooks.py).

Creating a workshop from pairings needs the Secretariat's matchmaking permission (adding exchanges). An
agenda, its hand edits and its exports are for those who manage the workshop (workshops.permissions:
the Secretariat and the focal points of its organising members). Views parse input and turn the refusals
of workshops.agenda into messages and form errors, never into a server error."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from matchmaking.explain import describe_all
from matchmaking.models import Exchange
from matchmaking.services import ExchangeError
from ssn4psi import spreadsheets
from workshops.agenda_forms import (
    AddMeetingForm,
    MatchmakingWorkshopForm,
    MeetingPlaceForm,
    ProposeAgainForm,
    slot_choices,
)
from workshops.agenda_models import Meeting
from workshops.models import WorkshopKind, WorkshopPage
from workshops.permissions import can_manage_workshop, workshops_managed_by


def agenda_services():
    """workshops.agenda, the agenda's writes, imported when a view first needs it: it loads the pairing
    optimiser (matchmaking.pairing: numpy, scipy), which a web worker then carries for good. The admin imports
    these views at start-up; the import is inside a function for that laziness only (same app, no cycle)."""
    from workshops import agenda

    return agenda


def can_create_matchmaking_workshop(user):
    """The Secretariat: superusers and those who may add exchanges (the exchanges admin's permission)."""
    return ModelPermissionPolicy(Exchange).user_has_permission(user, "add")


def agenda_url(workshop, view="agenda"):
    return reverse(f"workshops_{view}", args=[workshop.pk])


def _place_taken(agenda, meetings):
    """Meetings in a grid: one row per slot (its times), one cell per table (the meeting, or None)."""
    grid = {(m.slot, m.table): m for m in meetings}
    return [
        {
            "number": slot + 1,
            "start": agenda.slot_start(slot),
            "end": agenda.slot_end(slot),
            "cells": [grid.get((slot, table)) for table in range(1, agenda.tables + 1)],
        }
        for slot in range(agenda.slot_count)
    ]


class CreateMatchmakingWorkshopView(WagtailAdminTemplateMixin, FormView):
    """A new matchmaking workshop from selected exchanges and recommendations (?exchange=<id>&
    recommendation=<id> preselect them), then straight to its proposed agenda."""

    template_name = "workshops/agenda_create.html"
    form_class = MatchmakingWorkshopForm
    page_title = _("New matchmaking workshop")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not can_create_matchmaking_workshop(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_initial(self):
        return {
            **super().get_initial(),
            "exchanges": [pk for pk in self.request.GET.getlist("exchange") if pk.isdigit()],
            "recommendations": [pk for pk in self.request.GET.getlist("recommendation") if pk.isdigit()],
        }

    def get_form_kwargs(self):
        selected = self.request.GET.getlist("recommendation") + self.request.POST.getlist("recommendations")
        return {**super().get_form_kwargs(), "selected_recommendations": selected}

    def form_valid(self, form):
        services = agenda_services()
        data = form.cleaned_data
        try:
            workshop, proposal = services.create_matchmaking_workshop(
                title=data["title"],
                start=data["start"],
                end=data["end"],
                time_zone=data["time_zone"],
                venue=data["venue"],
                exchanges=list(data["exchanges"]),
                recommendations=list(data["recommendations"]),
                tables=data["tables"],
                max_per_learner=data["max_per_learner"],
                max_per_provider=data["max_per_provider"],
                slot_minutes=data["slot_minutes"],
                user=self.request.user,
            )
        except services.AgendaRefused as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        except ExchangeError as error:  # an exchange refused by matchmaking.services (taken meanwhile)
            form.add_error("recommendations", error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Draft workshop “%(title)s” created with %(count)s meetings proposed.")
            % {"title": workshop.title, "count": proposal.meetings},
        )
        return redirect(agenda_url(workshop))

    def form_invalid(self, form):
        messages.validation_error(self.request, _("The workshop could not be created."), form)
        return super().form_invalid(form)


class WorkshopAgendaMixin:
    """The workshop of the URL, for those who manage it (403 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        self.workshop = get_object_or_404(WorkshopPage, pk=kwargs["pk"])
        if not can_manage_workshop(request.user, self.workshop):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def agenda(self):
        return agenda_services().agenda_of(self.workshop)

    def meetings(self):
        return list(Meeting.objects.filter(workshop=self.workshop).for_agenda())


class AgendaView(WorkshopAgendaMixin, WagtailAdminTemplateMixin, TemplateView):
    """The agenda: the grid slots × tables, each meeting with its score and reasons and the controls to
    move or remove it, a form to add one, and the exchanges left out. POST `action`: move, remove, add."""

    template_name = "workshops/agenda.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Meeting agenda")

    def get_page_subtitle(self):
        return self.workshop.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("workshops_agendas"), "label": _("Meeting agendas")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.workshop.title},
        ]

    def post(self, request, *args, **kwargs):
        services = agenda_services()
        action = request.POST.get("action")
        add_form = None
        try:
            if action == "add":
                add_form = AddMeetingForm(request.POST, agenda=self.agenda)
                if add_form.is_valid():
                    data = add_form.cleaned_data
                    meeting = services.add_meeting(
                        self.workshop,
                        provider=data["provider"],
                        learner=data["learner"],
                        slot=data["slot"],
                        table=data["table"],
                        user=request.user,
                    )
                    messages.success(request, _("Meeting added: %(meeting)s.") % {"meeting": meeting})
                    return redirect(agenda_url(self.workshop))
                messages.validation_error(request, _("The meeting could not be added."), add_form)
            elif action in ("move", "remove"):
                meeting = Meeting.objects.filter(workshop=self.workshop, pk=request.POST.get("meeting") or 0).first()
                if meeting is None:
                    messages.error(request, _("This meeting is no longer on the agenda."))
                    return redirect(agenda_url(self.workshop))
                meeting.workshop = self.workshop
                if action == "remove":
                    services.remove_meeting(meeting, user=request.user)
                    messages.success(request, _("Meeting removed: %(meeting)s.") % {"meeting": meeting})
                    return redirect(agenda_url(self.workshop))
                form = MeetingPlaceForm(request.POST, agenda=self.agenda)
                if form.is_valid():
                    services.move_meeting(
                        meeting, slot=form.cleaned_data["slot"], table=form.cleaned_data["table"], user=request.user
                    )
                    messages.success(request, _("Meeting moved: %(meeting)s.") % {"meeting": meeting})
                    return redirect(agenda_url(self.workshop))
                messages.error(request, _("Choose a slot and a table of this agenda."))
            else:
                messages.error(request, _("Unknown action."))
        except services.AgendaRefused as error:
            messages.error(request, error.message)
            if add_form is not None and error.field:
                add_form.add_error(error.field, error.message)
        response = self.get(request, *args, add_form=add_form, **kwargs)
        response.status_code = 400
        return response

    def get_context_data(self, add_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = self.meetings()
        for meeting in meetings:
            meeting.sentences = describe_all(meeting.reasons)
        met = {(m.provider_id, m.learner_id) for m in meetings}
        left_out = [
            exchange
            for exchange in self.workshop.exchanges.active().select_related("provider", "learner")
            if (exchange.provider_id, exchange.learner_id) not in met
        ]
        context.update(
            workshop=self.workshop,
            agenda=self.agenda,
            meetings=meetings,
            grid=_place_taken(self.agenda, meetings),
            tables=range(1, self.agenda.tables + 1),
            slot_choices=slot_choices(self.agenda),
            left_out=left_out,
            add_form=add_form or AddMeetingForm(agenda=self.agenda),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.workshop.pk]),
        )
        return context


class ProposeAgainView(WorkshopAgendaMixin, WagtailAdminTemplateMixin, FormView):
    """Re-run the optimiser with (possibly new) settings, after a confirmation: it replaces the meetings."""

    template_name = "workshops/agenda_propose.html"
    form_class = ProposeAgainForm
    header_icon = "resubmit"

    def get_page_title(self):
        return _("Propose the agenda again")

    def get_page_subtitle(self):
        return self.workshop.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": agenda_url(self.workshop), "label": _("Meeting agenda")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        return {
            "tables": self.agenda.tables,
            "max_per_learner": self.agenda.max_meetings_per_learner,
            "max_per_provider": self.agenda.max_meetings_per_provider,
            "slot_minutes": self.agenda.slot_minutes,
        }

    def form_valid(self, form):
        services = agenda_services()
        data = form.cleaned_data
        try:
            proposal = services.propose_agenda(
                self.workshop,
                tables=data["tables"],
                max_per_learner=data["max_per_learner"],
                max_per_provider=data["max_per_provider"],
                slot_minutes=data["slot_minutes"],
                user=self.request.user,
            )
        except services.AgendaRefused as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("New agenda proposed: %(count)s meetings in %(slots)s slots.")
            % {"count": proposal.meetings, "slots": proposal.slots},
        )
        return redirect(agenda_url(self.workshop))

    def form_invalid(self, form):
        messages.validation_error(self.request, _("The agenda was not proposed again."), form)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(workshop=self.workshop, meeting_count=Meeting.objects.filter(workshop=self.workshop).count())
        return context


class PrintableAgendaView(WorkshopAgendaMixin, TemplateView):
    """The agenda to print: the grid slots × tables with both delegations' names (a page of its own,
    light, no admin chrome)."""

    template_name = "workshops/agenda_print.html"

    def get_context_data(self, **kwargs):
        meetings = self.meetings()
        return {
            **super().get_context_data(**kwargs),
            "workshop": self.workshop,
            "agenda": self.agenda,
            "grid": _place_taken(self.agenda, meetings),
            "tables": range(1, self.agenda.tables + 1),
        }


class DelegationSchedulesView(WorkshopAgendaMixin, TemplateView):
    """One printed page per delegation: its meetings in time order, with the table and the counterpart."""

    template_name = "workshops/agenda_schedules.html"

    def get_context_data(self, **kwargs):
        schedules = {}
        for meeting in self.meetings():
            meeting.start = self.agenda.slot_start(meeting.slot)
            meeting.end = self.agenda.slot_end(meeting.slot)
            for member, counterpart, role in (
                (meeting.provider, meeting.learner, _("shares with")),
                (meeting.learner, meeting.provider, _("learns from")),
            ):
                entry = schedules.setdefault(member.pk, {"member": member, "meetings": []})
                entry["meetings"].append({"meeting": meeting, "counterpart": counterpart, "role": role})
        for entry in schedules.values():
            entry["meetings"].sort(key=lambda row: row["meeting"].slot)
        return {
            **super().get_context_data(**kwargs),
            "workshop": self.workshop,
            "agenda": self.agenda,
            "schedules": sorted(schedules.values(), key=lambda entry: entry["member"].title),
        }


class AgendaCsvView(WorkshopAgendaMixin, TemplateView):
    """The agenda as CSV: one row per meeting, in time order."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agenda-{self.workshop.slug}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [_("Slot"), _("Start"), _("End"), _("Table"), _("Provider"), _("Learner"), _("Exchange"), _("Score")]
        )
        for m in self.meetings():
            row = [
                m.slot + 1,
                self.agenda.slot_start(m.slot).isoformat(),
                self.agenda.slot_end(m.slot).isoformat(),
                m.table,
                m.provider.title,
                m.learner.title,
                m.exchange.key if m.exchange else "",
                f"{m.score:.3f}",
            ]
            writer.writerow([spreadsheets.csv_cell(cell) for cell in row])
        return response


class AgendaListView(WagtailAdminTemplateMixin, TemplateView):
    """The matchmaking workshops the user manages, with links to their agendas and exports."""

    template_name = "workshops/agenda_list.html"
    page_title = _("Meeting agendas")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        workshops = workshops_managed_by(
            self.request.user, WorkshopPage.objects.filter(kind=WorkshopKind.MATCHMAKING)
        ).order_by("-start")
        return {
            **super().get_context_data(**kwargs),
            "workshops": workshops.only("title", "start", "end", "time_zone", "live"),
            "can_create": can_create_matchmaking_workshop(self.request.user),
        }
