"""Delegations: a member's focal point registers several people of that member to a workshop at once.

Each delegate is registered as anybody is (pending confirmation of the e-mail address) and receives the
confirmation link: the focal point cannot consent to the privacy notice for them, so each delegate confirms
their own address and gives their own consent on the confirmation page; only then do they take a place (in
the workshop and the sessions chosen for them), or join the waiting list, in the order they confirm.

The whole delegation is recorded in one transaction, or nothing is: every row is checked first (an e-mail
address already registered, a session full), and the errors come back row by row."""

from collections import Counter

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from workshops.models import Registration
from workshops.permissions import members_represented_by
from workshops.services import (
    RegistrationClosed,
    RegistrationError,
    _lock,
    _notify,
    check_sessions,
)


class NotTheMembersFocalPoint(RegistrationError):
    """The user is not a focal point of the member (nor of a member above it)."""


class DelegationError(RegistrationError):
    """Some rows cannot be registered; nothing was written. `rows`: {row index: (field or None, message)}."""

    def __init__(self, rows):
        self.rows = rows
        super().__init__(_("Nothing was recorded: please correct the rows marked below."))


def can_register_delegation(user, member):
    """Whether `user` may register a delegation for `member` (its focal point, or one of a member above)."""
    return members_represented_by(user).filter(pk=member.pk).exists()


def register_delegation(workshop, member, people, *, user, language="en"):
    """Register `people` (dicts: name, email, and optionally job_title, role, sessions, accessibility_needs,
    answers, language) for `member`, all pending confirmation of their e-mail address, and send each one the
    confirmation link. Returns the registrations.

    Raises NotTheMembersFocalPoint, RegistrationClosed, or DelegationError (nothing is written)."""
    if not can_register_delegation(user, member):
        raise NotTheMembersFocalPoint(_("Only a focal point of this member can register its delegation."))
    if not workshop.registration_is_open():
        raise RegistrationClosed(_("Registration for this workshop is closed."))
    emails = [person["email"].strip().lower() for person in people]
    rows = {}
    for index, email in enumerate(emails):
        if email in emails[:index]:
            rows[index] = ("email", _("This e-mail address is already in the delegation."))
    try:
        with transaction.atomic():
            _lock(workshop.pk)  # one delegation at a time per workshop: the session checks hold until commit
            active = Registration.objects.active().filter(workshop=workshop, email__in=emails)
            already = set(active.values_list("email", flat=True))
            asked = Counter()
            for index, person in enumerate(people):
                if emails[index] in already:
                    rows.setdefault(index, ("email", _("This e-mail address is already registered for this workshop.")))
                sessions = list(person.get("sessions", ()))
                try:
                    check_sessions(workshop, sessions, also_taken=asked)
                except RegistrationError as error:
                    rows.setdefault(index, ("sessions", error.message))
                asked.update(session.pk for session in sessions)
            if rows:
                raise DelegationError(rows)
            registrations = []
            for index, person in enumerate(people):
                registration = Registration.objects.create(
                    workshop=workshop,
                    name=person["name"].strip(),
                    email=emails[index],
                    member=member,
                    organisation=member.title,
                    country=member.country,
                    job_title=person.get("job_title", ""),
                    role=person.get("role") or Registration.Role.DELEGATE,
                    accessibility_needs=person.get("accessibility_needs", ""),
                    answers=person.get("answers") or {},
                    language=person.get("language") or language,
                    privacy_consent=False,  # given by the delegate when confirming
                    registered_by=user,
                )
                registration.sessions.set(person.get("sessions", ()))
                _notify(registration, "delegate_confirm")
                registrations.append(registration)
    except IntegrityError:  # one of the addresses registered at the same moment by another request
        raise DelegationError(
            {0: (None, _("Someone in the delegation registered at the same moment: please send the form again."))}
        ) from None
    return registrations
