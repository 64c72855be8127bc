"""Helpers for the tests of what happens after a workshop: participants in a given status, workshops moved
into the past (registration is closed for a past workshop, so people register first, then time passes)."""

import datetime

from django.utils import timezone

from tests.workshops.conftest import details
from workshops import services
from workshops.models import WorkshopPage


def participant(workshop, number, *, attended=False, **changes):
    """Participant `number` registered and confirmed (a place, or the waiting list if full); checked in."""
    registration = services.confirm(services.register(workshop, **details(number, **changes)))
    if attended:
        registration = services.mark_attended(registration)
    return registration


def move(workshop, *, started_days_ago, hours=2):
    """Move the workshop in time: it started `started_days_ago` days ago (negative: in the future)."""
    start = timezone.now() - datetime.timedelta(days=started_days_ago)
    WorkshopPage.objects.filter(pk=workshop.pk).update(start=start, end=start + datetime.timedelta(hours=hours))
    workshop.refresh_from_db()
    return workshop
