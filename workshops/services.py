"""Writes about registrations: register, confirm, approve or decline, cancel, offer freed places, accept.

Places are taken in one transaction that locks the workshop's row (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite every write transaction starts IMMEDIATE and so runs alone), counts the places held and writes:
a workshop never has more confirmed participants than places. A registration holding a place holds one in
each session it chose: the rows of those sessions are locked too (always after the workshop's, in the order
of their keys, so two transactions never wait on each other), and a session never has more participants
than its capacity.

A full session: the form says which session is full and nothing is written (a person who chose a
session came for it; a place in the workshop without it is not what they asked for). When the session
fills up between registering and confirming, the person goes on the waiting list, and is offered a place
when one frees up both in the workshop and in every session they chose; people waiting for a full session
keep their rank while those behind them, who chose sessions with room, are offered the places.

Every status change queues an e-mail to the participant, sent by a Celery task once the transaction
commits (a rolled-back change sends nothing)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workshops.models import HOLDING_A_PLACE, Registration, RegistrationStatus, Session, WorkshopPage

S = RegistrationStatus


class RegistrationError(Exception):
    """A registration cannot be written as asked; `message` says why, for the person."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)

    def __str__(self):
        return str(self.message)


class RegistrationClosed(RegistrationError):
    """The workshop does not take registrations now."""


class AlreadyRegistered(RegistrationError):
    """This e-mail address already has an active registration for the workshop."""


class InvalidStep(RegistrationError):
    """The registration's status does not allow this step."""


class SessionFull(RegistrationError):
    """A session chosen has no place left; `session` is the first of them."""

    def __init__(self, session):
        self.session = session
        super().__init__(_("The session “%(title)s” is full: choose another one.") % {"title": session.title})


class ConsentRequired(RegistrationError):
    """The person has not consented to the privacy notice (a delegate registered by a focal point)."""


def register(workshop, *, name, email, language="en", sessions=(), **details):
    """Register a person (pending confirmation of the e-mail address) and send the confirmation link.

    `details`: member, organisation, country, job_title, role, accessibility_needs, privacy_consent,
    public_listing, answers (see workshops.questions). Raises RegistrationClosed, AlreadyRegistered, or
    SessionFull (nothing is written)."""
    if not workshop.registration_is_open():
        raise RegistrationClosed(_("Registration for this workshop is closed."))
    email = email.strip().lower()
    try:
        with transaction.atomic():
            if Registration.objects.active().filter(workshop=workshop, email=email).exists():
                raise AlreadyRegistered(_("This e-mail address is already registered for this workshop."))
            check_sessions(workshop, sessions)
            registration = Registration.objects.create(
                workshop=workshop, name=name.strip(), email=email, language=language, **details
            )
            if sessions:
                registration.sessions.set(sessions)
            _notify(registration, "confirm")
    except IntegrityError:  # the same address, registered at the same moment by another request
        raise AlreadyRegistered(_("This e-mail address is already registered for this workshop.")) from None
    return registration


def send_links(workshop, email):
    """E-mail the person registered to `workshop` with `email` their links again (to confirm, when not confirmed
    yet, and to see or cancel the registration); nothing when the address has no registration that is not over.
    Whoever asks gets the same answer either way (the caller shows it), so that nobody learns who is registered.
    Returns how many e-mails were owed (0 or 1), for the tests."""
    email = email.strip().lower()
    with transaction.atomic():
        registration = Registration.objects.active().filter(workshop=workshop, email=email).first()
        if registration is None:
            return 0
        _notify(registration, "links")
    return 1


def confirm(registration, *, privacy_consent=False, public_listing=False):
    """The person confirmed the e-mail address: pending approval, or a place (confirmed) or the waiting list.

    A delegate registered by a focal point has not consented yet: `privacy_consent` records the consent
    they give on the confirmation page (and `public_listing` their choice to appear on the public list);
    without it, ConsentRequired and nothing changes."""
    with transaction.atomic():
        workshop = _lock(registration.workshop_id)
        registration = _reload(registration)
        if registration.status != S.PENDING_CONFIRMATION:
            raise InvalidStep(_("This registration was already confirmed."))
        if not registration.privacy_consent:
            if not privacy_consent:
                raise ConsentRequired(_("Confirming needs your consent to the privacy notice."))
            registration.privacy_consent = True
            registration.public_listing = public_listing
        registration.confirmed_at = timezone.now()
        if workshop.requires_approval:
            _set(registration, S.PENDING_APPROVAL)
        else:
            _take_place(workshop, registration)
    return registration


def approve(registration, *, user=None):
    """An organiser approves a registration pending approval: a place, or the waiting list."""
    with transaction.atomic():
        workshop = _lock(registration.workshop_id)
        registration = _reload(registration)
        if registration.status != S.PENDING_APPROVAL:
            raise InvalidStep(_("Only a registration pending approval can be approved."))
        _take_place(workshop, registration)
    return registration


def decline(registration, *, user=None):
    """An organiser declines a registration that does not hold a place yet."""
    with transaction.atomic():
        _lock(registration.workshop_id)
        registration = _reload(registration)
        if registration.status not in (S.PENDING_CONFIRMATION, S.PENDING_APPROVAL, S.WAITLISTED):
            raise InvalidStep(_("This registration can no longer be declined."))
        _set(registration, S.DECLINED)
    return registration


def cancel(registration):
    """The person cancels. A place it held is offered to the next person on the waiting list."""
    with transaction.atomic():
        workshop = _lock(registration.workshop_id)
        registration = _reload(registration)
        if registration.status in (S.CANCELLED, S.DECLINED, S.ATTENDED):
            raise InvalidStep(_("This registration is already closed."))
        freed = registration.status in HOLDING_A_PLACE
        _set(registration, S.CANCELLED)
        if freed:
            offer_freed_places(workshop)
    return registration


def accept_offer(registration):
    """The person takes the freed place offered to them."""
    with transaction.atomic():
        _lock(registration.workshop_id)
        registration = _reload(registration)
        if registration.status != S.PROMOTED:
            raise InvalidStep(_("There is no place on offer for this registration."))
        if registration.offer_expires_at and registration.offer_expires_at < timezone.now():
            raise InvalidStep(_("The offer has expired."))
        registration.offer_expires_at = None
        _set(registration, S.CONFIRMED)
    return registration


def offer_freed_places(workshop):
    """Offer every free place to the next people on the waiting list, in order (call with the workshop locked).
    A person whose chosen sessions are still full keeps their rank and is passed over this time.
    An offered place is held until the offer expires."""
    free = None if workshop.capacity is None else workshop.capacity - _places_taken(workshop)
    if free is not None and free <= 0:
        return []
    waiting = list(workshop.registrations.waiting().prefetch_related("sessions"))
    if not waiting:
        return []
    sessions = {session.pk: session for session in _lock_sessions(Session.objects.filter(workshop=workshop))}
    taken = _session_places_taken(sessions.values())
    offered = []
    for registration in waiting:
        if free is not None and free <= 0:
            break
        chosen = [sessions[session.pk] for session in registration.sessions.all() if session.pk in sessions]
        if any(session.capacity is not None and taken[session.pk] >= session.capacity for session in chosen):
            continue
        registration.offer_expires_at = timezone.now() + timedelta(hours=workshop.promotion_hours)
        _set(registration, S.PROMOTED)
        offered.append(registration)
        free = None if free is None else free - 1
        for session in chosen:
            taken[session.pk] += 1
    return offered


def expire_offers(now=None):
    """Cancel the offers nobody accepted in time and offer those places to the next people. Returns how many."""
    now = now or timezone.now()
    expired = 0
    workshop_ids = (
        Registration.objects.filter(status=S.PROMOTED, offer_expires_at__lt=now)
        .values_list("workshop_id", flat=True)
        .distinct()
    )
    for workshop_id in list(workshop_ids):
        with transaction.atomic():
            workshop = _lock(workshop_id)
            for registration in workshop.registrations.filter(status=S.PROMOTED, offer_expires_at__lt=now):
                _set(registration, S.CANCELLED)
                expired += 1
            offer_freed_places(workshop)
    return expired


def mark_attended(registration, *, user=None):
    """Check-in: a confirmed participant attended."""
    with transaction.atomic():
        registration = _reload(registration)
        if registration.status != S.CONFIRMED:
            raise InvalidStep(_("Only a confirmed participant can be checked in."))
        _set(registration, S.ATTENDED)
    return registration


def _lock(workshop_id):
    """The workshop's row, locked until the transaction ends (the capacity's guard)."""
    return WorkshopPage.objects.select_for_update().get(pk=workshop_id)


def _reload(registration):
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _places_taken(workshop):
    return Registration.objects.filter(workshop=workshop, status__in=HOLDING_A_PLACE).count()


def check_sessions(workshop, sessions, *, also_taken=None):
    """Refuse sessions of another workshop (RegistrationError) and full ones (SessionFull). `also_taken`:
    {session pk: places} asked for in the same request (a delegation), counted as taken."""
    sessions = list(sessions)
    if any(session.workshop_id != workshop.pk for session in sessions):
        raise RegistrationError(_("A session chosen is not part of this workshop."))
    taken = _session_places_taken(sessions)
    for session in sorted(sessions, key=lambda session: (session.start is None, session.start or 0, session.pk)):
        wanted = taken[session.pk] + (also_taken or {}).get(session.pk, 0)
        if session.capacity is not None and wanted >= session.capacity:
            raise SessionFull(session)


def _lock_sessions(sessions):
    """Lock the rows of `sessions` (a queryset), in the order of their keys, after the workshop's."""
    return list(sessions.select_for_update().order_by("pk"))


def _session_places_taken(sessions):
    """{session pk: registrations holding a place in it} for `sessions`."""
    counts = (
        Registration.sessions.through.objects.filter(
            session__in=[session.pk for session in sessions], registration__status__in=HOLDING_A_PLACE
        )
        .values_list("session_id")
        .annotate(taken=Count("pk"))
    )
    taken = {session.pk: 0 for session in sessions}
    taken.update(dict(counts))
    return taken


def _take_place(workshop, registration):
    """A place in the workshop and in every session chosen (confirmed), or the waiting list."""
    sessions = _lock_sessions(Session.objects.filter(registrations=registration))
    taken = _session_places_taken(sessions)
    sessions_have_room = all(session.capacity is None or taken[session.pk] < session.capacity for session in sessions)
    if sessions_have_room and (workshop.capacity is None or _places_taken(workshop) < workshop.capacity):
        _set(registration, S.CONFIRMED)
    else:
        registration.waitlisted_at = timezone.now()
        _set(registration, S.WAITLISTED)


def _set(registration, status):
    registration.status = status
    registration.status_changed_at = timezone.now()
    registration.save()
    _notify(registration, status)


def _notify(registration, event):
    """Owe the e-mail of this step (workshops.outbox): sent after the commit by a Celery task, and again
    later if it could not be queued then."""
    from workshops.outbox import owe

    owe(registration, event)
