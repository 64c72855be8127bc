"""Check-in at the door, from a phone: the organisers' list of a workshop's participants, searchable by name
with a plain text box, one big button per person to mark them attended (and one to undo a mistaken tap).

Organisers only: the Secretariat and the focal points of the organising members (workshops.permissions).
Anyone else is sent to the login page (anonymous) or refused (403). The list works without JavaScript;
a small script filters it as one types."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from workshops import services
from workshops.models import Registration, RegistrationStatus, WorkshopPage
from workshops.permissions import can_manage_workshop

S = RegistrationStatus
#: Who is expected at the door: people holding a place.
AT_THE_DOOR = (S.CONFIRMED, S.PROMOTED, S.ATTENDED)


def organiser_view(view):
    """Decorate a view taking `pk` (a workshop): load the workshop, send anonymous people to the admin login,
    refuse (403) anyone who may not manage its registrations. The view receives the workshop."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        workshop = get_object_or_404(WorkshopPage, pk=pk)
        if not can_manage_workshop(request.user, workshop):
            raise PermissionDenied
        return view(request, workshop, *args, **kwargs)

    return wrapper


def participants_at_the_door(workshop, query=""):
    """The workshop's participants holding a place (confirmed, offered a freed place, attended), by name;
    `query` keeps those whose name or organisation contains it."""
    registrations = (
        Registration.objects.filter(workshop=workshop, status__in=AT_THE_DOOR)
        .not_anonymised()
        .select_related("member")
        .only("name", "organisation", "status", "member__title", "workshop_id")
        .order_by("name", "pk")
    )
    query = query.strip()
    if query:
        registrations = registrations.filter(
            Q(name__icontains=query) | Q(organisation__icontains=query) | Q(member__title__icontains=query)
        )
    return registrations


def undo_check_in(registration, *, user=None):
    """Undo a check-in made by mistake: the participant is confirmed again (their place is kept).
    Raises services.InvalidStep when the registration is not marked attended."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != S.ATTENDED:
            raise services.InvalidStep(_("Only a participant marked attended can be unmarked."))
        registration.status = S.CONFIRMED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
    return registration


@organiser_view
def check_in_list(request, workshop):
    """GET: the list at the door, filtered by `?q=`."""
    query = request.GET.get("q", "")[:100]
    participants = list(participants_at_the_door(workshop, query))
    context = {
        "workshop": workshop,
        "participants": participants,
        "query": query,
        "attended": Registration.objects.filter(workshop=workshop, status=S.ATTENDED).count(),
        "expected": Registration.objects.filter(workshop=workshop, status__in=AT_THE_DOOR).count(),
    }
    return TemplateResponse(request, "workshops/check_in.html", context)


@require_POST
@organiser_view
def check_in_step(request, workshop, registration_pk):
    """POST `action=attended|undo` for one participant of the workshop, then back to the list (same search)."""
    registration = get_object_or_404(Registration.objects.not_anonymised(), pk=registration_pk, workshop=workshop)
    action = request.POST.get("action")
    step = {"attended": services.mark_attended, "undo": undo_check_in}.get(action)
    from django.contrib import messages

    if step is None:
        messages.error(request, _("Unknown step."))
    else:
        try:
            registration = step(registration, user=request.user)
        except services.RegistrationError as error:
            messages.error(request, f"{registration.name}: {error.message}")
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.") % {"name": registration.name, "status": registration.get_status_display()},
            )
    url = reverse("workshop_check_in", args=[workshop.pk])
    query = request.POST.get("q", "").strip()[:100]
    return redirect(f"{url}?{urlencode({'q': query})}#r{registration.pk}" if query else f"{url}#r{registration.pk}")
