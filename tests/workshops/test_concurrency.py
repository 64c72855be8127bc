"""Capacity under concurrency: 200 people register and confirm at once for 30 places, on the database the run
uses (SQLite by default, PostgreSQL in CI): exactly 30 confirmed, 170 on the waiting list, nothing lost.
The same for a session of 3 places in a workshop with room for everybody."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from tests.workshops.conftest import details
from workshops import services
from workshops.models import Registration
from workshops.models import RegistrationStatus as S

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE, PLACES = 200, 30


def register_and_confirm(workshop, number, sessions=()):
    try:
        registration = services.register(workshop, **details(number), sessions=sessions)
        return services.confirm(registration).status
    finally:
        connections.close_all()  # each thread has its own connection


def test_two_hundred_at_once_for_thirty_places(make_workshop, monkeypatch):
    from workshops import tasks

    # The e-mails are counted, not sent: they have their own tests, and Celery's eager mode is not thread-safe
    # (running tasks in-process from many threads at once leaves its "inside a task" flag set).
    queued = []
    monkeypatch.setattr(tasks.send_registration_email, "delay", lambda *args: queued.append(args))
    workshop = make_workshop(capacity=PLACES)
    # SQLite serialises writers (IMMEDIATE transactions): a few threads keep its lock queue short.
    workers = 32 if connection.vendor == "postgresql" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(register_and_confirm, workshop, n) for n in range(PEOPLE)]
        statuses = [future.result() for future in futures]  # an exception here would fail the test

    assert statuses.count(S.CONFIRMED) == PLACES and statuses.count(S.WAITLISTED) == PEOPLE - PLACES
    assert Registration.objects.count() == PEOPLE
    assert Registration.objects.filter(status=S.CONFIRMED).count() == PLACES
    assert Registration.objects.filter(status=S.WAITLISTED).count() == PEOPLE - PLACES
    # One e-mail per step, for everybody: the confirmation link, then the place or the waiting list.
    events = [args[1] for args in queued]  # (registration, event, status, outbox row)
    assert events.count("confirm") == PEOPLE
    assert events.count(S.CONFIRMED) == PLACES and events.count(S.WAITLISTED) == PEOPLE - PLACES

    first_waiting = list(Registration.objects.waiting()[:5].values_list("pk", flat=True))
    for registration in Registration.objects.filter(status=S.CONFIRMED)[:5]:
        services.cancel(registration)
    promoted = set(Registration.objects.filter(status=S.PROMOTED).values_list("pk", flat=True))
    assert promoted == set(first_waiting)
    assert Registration.objects.filter(status__in=[S.CONFIRMED, S.PROMOTED]).count() == PLACES


def test_forty_at_once_for_a_session_of_three_places(make_workshop, add_session, monkeypatch):
    from workshops import tasks

    monkeypatch.setattr(tasks.send_registration_email, "delay", lambda *args: None)
    people, places = 40, 3
    workshop = make_workshop(capacity=None)
    clinic = add_session(workshop, "Clinic", capacity=places)
    plenary = add_session(workshop, "Plenary", hours=2)
    # Everybody registers first (a full session is refused at registration, not at confirmation), then all
    # confirm at once: the places are taken at confirmation, where the session rows are locked.
    registrations = [services.register(workshop, **details(n), sessions=[plenary, clinic]) for n in range(people)]
    connections.close_all()

    def confirm(registration):
        try:
            return services.confirm(registration).status
        finally:
            connections.close_all()

    workers = 16 if connection.vendor == "postgresql" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(confirm, registrations))

    assert statuses.count(S.CONFIRMED) == places and statuses.count(S.WAITLISTED) == people - places
    holding = clinic.registrations.filter(status__in=[S.CONFIRMED, S.PROMOTED, S.ATTENDED])
    assert holding.count() == places
    assert plenary.registrations.count() == people  # every choice kept, waiting or not
