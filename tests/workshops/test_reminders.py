"""Reminders: once per confirmed registration, some hours before the start, in the participant's language,
with the online link (virtual and hybrid workshops) and the calendar file; never to anyone else."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from tests.workshops.conftest import details
from workshops import services
from workshops.models import Registration
from workshops.models import RegistrationStatus as S
from workshops.reminders import send_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture(autouse=True)
def eager(eager_tasks, settings):
    settings.WORKSHOP_REMINDER_HOURS = 24


def soon(make_workshop, **fields):
    start = timezone.now() + datetime.timedelta(hours=20)
    return make_workshop(start=start, end=start + datetime.timedelta(hours=2), **fields)


def test_a_reminder_once_to_confirmed_participants_only(make_workshop, django_capture_on_commit_callbacks):
    workshop = soon(make_workshop, capacity=1)
    confirmed = services.confirm(services.register(workshop, language="fr", **details(1)))
    waitlisted = services.confirm(services.register(workshop, **details(2)))
    pending = services.register(workshop, **details(3))
    cancelled = services.register(workshop, **details(4))
    services.cancel(cancelled)
    assert (confirmed.status, waitlisted.status) == (S.CONFIRMED, S.WAITLISTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    [message] = mail.outbox
    assert message.to == ["participant1@gouv.cd"]
    assert "Rappel" in message.subject or "Reminder" in message.subject
    assert "https://meet.example.org/cod-a2i" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == "workshop.ics" and "meet.example.org" in str(
        Calendar.from_ical(content).walk("VEVENT")[0]["location"]
    )
    assert Registration.objects.get(pk=confirmed.pk).reminded_at is not None
    # Once only: the next runs send nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
        assert send_reminders(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    for registration in (waitlisted, pending, cancelled):
        assert Registration.objects.get(pk=registration.pk).reminded_at is None


def test_the_reminder_is_in_the_participants_language(make_workshop, django_capture_on_commit_callbacks, settings):
    workshop = soon(make_workshop)
    services.confirm(services.register(workshop, language="fr", **details(1)))
    services.confirm(services.register(workshop, language="en", **details(2)))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["participant2@gouv.cd"].startswith("Reminder:")
    # French when the catalogue has it; the English text otherwise (translations are added at merge time).
    assert subjects["participant1@gouv.cd"] in (f"Rappel : {workshop.title}", f"Reminder: {workshop.title}")


def test_not_too_early_not_after_the_start(make_workshop, django_capture_on_commit_callbacks):
    later = make_workshop(title="In ten days")  # starts in 10 days
    services.confirm(services.register(later, **details(1)))
    started = make_workshop(
        title="Started",
        start=timezone.now() - datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=1),
    )
    Registration.objects.create(workshop=started, name="Late", email="late@gouv.cd", status=S.CONFIRMED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
        # Nine days and a half later, the first workshop is within 24 hours.
        assert send_reminders(now=timezone.now() + datetime.timedelta(days=9, hours=12)) == 1
    assert len(mail.outbox) == 1


def test_no_online_link_for_an_in_person_workshop(make_workshop, django_capture_on_commit_callbacks):
    workshop = soon(make_workshop, format="in_person", venue="Kinshasa, Palais du Peuple")
    services.confirm(services.register(workshop, **details(1)))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
    [message] = mail.outbox
    assert "Palais du Peuple" in message.body and "meet.example.org" not in message.body


def test_a_cancellation_after_the_reminder_was_queued_sends_nothing(make_workshop):
    from workshops.tasks import send_registration_email

    workshop = soon(make_workshop)
    registration = services.confirm(services.register(workshop, **details(1)))
    services.cancel(registration)
    mail.outbox.clear()
    assert send_registration_email(registration.pk, "reminder", S.CONFIRMED) is False
    assert mail.outbox == []


def test_reminders_run_on_a_schedule():
    from django.conf import settings

    import workshops.tasks  # noqa: F401 - registers the task, as the worker's autodiscovery does
    from ssn4psi.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["send-workshop-reminders"]
    assert entry["task"] in app.tasks and entry["schedule"] <= 3600
