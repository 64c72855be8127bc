"""Reminders: an e-mail to each confirmed participant some time before the workshop starts
(settings.WORKSHOP_REMINDER_HOURS), sent once per registration. Run every few minutes by Celery beat
(workshops.tasks.send_reminders)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from workshops.models import Registration, RegistrationStatus


def reminder_due(now=None):
    """Confirmed registrations of workshops starting within the reminder delay, not reminded yet."""
    now = now or timezone.now()
    hours = getattr(settings, "WORKSHOP_REMINDER_HOURS", 24)
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
        workshop__start__gt=now,
        workshop__start__lte=now + timedelta(hours=hours),
    )


def send_reminders(now=None):
    """Record `reminded_at` on every registration due a reminder and queue its e-mail after the commit.
    Each registration is marked in the same transaction that queues its e-mail, under its row's lock, so two
    runs at once (or a run retried) never remind anybody twice. Returns how many were queued."""
    from workshops.outbox import owe

    now = now or timezone.now()
    sent = 0
    for pk in list(reminder_due(now).values_list("pk", flat=True)):
        with transaction.atomic():
            registration = reminder_due(now).select_for_update(of=("self",)).filter(pk=pk).first()
            if registration is None:  # reminded by another run, or its status changed meanwhile
                continue
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            owe(registration, "reminder")
            sent += 1
    return sent
