"""Participants' privacy: see, download and delete their data through their manage link, and the purge of old
registrations (`manage.py purge_registrations`).

Deleting anonymises: the person's name, e-mail address, job title, accessibility needs, answers and the words
of their feedback are wiped, and their manage link stops working (workshops.tokens refuses an anonymised
registration). The row stays, with its status, member, organisation, country, language, sessions, dates and
feedback rating, so the network's statistics (how many came, from which kind of organisation and country)
still add up. A registration that held or awaited a place is first cancelled through services.cancel, so the
next person on the waiting list is offered the place."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from ssn4psi.page_cache import content_changed
from workshops import services
from workshops.models import Feedback, Registration, RegistrationStatus

S = RegistrationStatus
#: Statuses services.cancel accepts: the registration still holds or awaits a place.
OPEN = (S.PENDING_CONFIRMATION, S.PENDING_APPROVAL, S.CONFIRMED, S.WAITLISTED, S.PROMOTED)
#: Fields that some registrations may carry (added by other features); wiped to their default when present.
OPTIONAL_PERSONAL_FIELDS = ("answers",)
#: What the admin's history calls a registration once anonymised, followed by its id (stored, in the
#: language of the data: English, as Wagtail stores its own labels).
ANONYMISED_LABEL = "Anonymised registration"


def retention_days():
    """Days after a workshop's end before its registrations are anonymised by the purge (a setting)."""
    return int(getattr(settings, "WORKSHOPS_REGISTRATION_RETENTION_DAYS", 365))


def personal_data(registration):
    """Everything held about the person of `registration`, as JSON-ready data (the export and the page)."""
    workshop = registration.workshop
    data = {
        "workshop": {
            "title": workshop.title,
            "start": workshop.start.isoformat(),
            "end": workshop.end.isoformat(),
            "time_zone": workshop.time_zone,
        },
        "registration": {
            "name": registration.name,
            "email": registration.email,
            "organisation_in_the_network": registration.member.title if registration.member else None,
            "organisation": registration.organisation,
            "country": registration.country,
            "job_title": registration.job_title,
            "role": registration.role,
            "sessions": [session.title for session in registration.sessions.all()],
            "accessibility_needs": registration.accessibility_needs,
            "privacy_consent": registration.privacy_consent,
            "public_listing": registration.public_listing,
            "language": registration.language,
            "status": registration.status,
            "registered": registration.created_at.isoformat(),
            "email_confirmed": _iso(registration.confirmed_at),
            "on_the_waiting_list_since": _iso(registration.waitlisted_at),
            "offer_expires": _iso(registration.offer_expires_at),
            "status_changed": _iso(registration.status_changed_at),
        },
        "feedback": None,
    }
    for name in OPTIONAL_PERSONAL_FIELDS:
        if _has_field(name):
            data["registration"][name] = getattr(registration, name)
    feedback = Feedback.objects.filter(registration=registration).first()
    if feedback:
        data["feedback"] = {
            "rating": feedback.rating,
            "most_useful": feedback.most_useful,
            "next_steps": feedback.next_steps,
            "wants_follow_up": feedback.wants_follow_up,
            "given": feedback.created_at.isoformat(),
            "last_changed": feedback.updated_at.isoformat(),
        }
    return data


def anonymise(registration, *, user=None):
    """Delete the person's data at their request: cancel the registration if it holds or awaits a place (the
    next person on the waiting list is offered it), then wipe. Doing it twice changes nothing."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.anonymised_at:
            return registration
        if registration.status in OPEN:
            services.cancel(registration)
        _wipe(Registration.objects.filter(pk=registration.pk))
    registration.refresh_from_db()
    return registration


def registrations_to_purge(older_than_days, now=None):
    """Registrations not yet anonymised of workshops that ended more than `older_than_days` days ago."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    return Registration.objects.not_anonymised().filter(workshop__end__lt=cutoff)


def purge_registrations(*, older_than_days, dry_run=False, user=None, now=None):
    """Anonymise the registrations of workshops that ended more than `older_than_days` days ago (their
    statuses stay: the workshop is over). Returns how many; with `dry_run`, only counts."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    with transaction.atomic():
        registrations = registrations_to_purge(older_than_days, now).select_for_update()
        ids = list(registrations.values_list("pk", flat=True))
        if not dry_run and ids:
            _wipe(Registration.objects.filter(pk__in=ids))
    return len(ids)


def _wipe(registrations):
    """Wipe the personal data of `registrations` (a queryset) in two UPDATE statements. The e-mail becomes
    anonymised-<id>@invalid: unique per row, so the one-active-registration-per-address rule still holds."""
    changes = {
        "name": "",
        "email": Concat(Value("anonymised-"), Cast("pk", CharField()), Value("@invalid")),
        "job_title": "",
        "accessibility_needs": "",
        "public_listing": False,
        "anonymised_at": timezone.now(),
    }
    for name in OPTIONAL_PERSONAL_FIELDS:
        if _has_field(name):
            changes[name] = Registration._meta.get_field(name).get_default()
    Feedback.objects.filter(registration__in=registrations.values("pk")).update(most_useful="", next_steps="")
    # The admin's history names the registration as it was ("Amina – workshop") in each entry: renamed too.
    ids = [str(pk) for pk in registrations.values_list("pk", flat=True)]
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration), object_id__in=ids
    ).update(label=Concat(Value(ANONYMISED_LABEL + " "), "object_id"), data={})
    registrations.update(**changes)
    content_changed()  # the public participant lists lose them; UPDATE statements send no signal


def _has_field(name):
    return any(field.name == name for field in Registration._meta.concrete_fields)


def _iso(value):
    return value.isoformat() if value else None


def your_data(request, token):
    """The participant's data page: everything held, a download, and the way to delete it."""
    from workshops.views import _registration_or_problem

    registration, problem = _registration_or_problem(request, token, "manage")
    if problem:
        return problem
    context = {
        "registration": registration,
        "workshop": registration.workshop,
        "data": personal_data(registration),
        "manage_token": token,
    }
    return TemplateResponse(request, "workshops/your_data.html", context)


def export_data(request, token):
    """The participant's data as a JSON file."""
    from workshops.views import _registration_or_problem

    registration, problem = _registration_or_problem(request, token, "manage")
    if problem:
        return problem
    response = JsonResponse(personal_data(registration), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-registration.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def delete_data(request, token):
    """GET: what deleting means and a button; POST: anonymise, then say it is done (the link is now dead)."""
    from workshops.views import _registration_or_problem

    registration, problem = _registration_or_problem(request, token, "manage")
    if problem:
        return problem
    context = {"registration": registration, "workshop": registration.workshop, "manage_token": token}
    if request.method == "POST":
        anonymise(registration)
        context["deleted"] = True
    return TemplateResponse(request, "workshops/delete_data.html", context)
