"""A workshop to register to: DR Congo's knowledge-sharing session, virtual, 30 places by default."""

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def make_workshop(small_world):
    from network.site import ensure_site
    from workshops.models import WorkshopPage

    index = ensure_site().workshops

    def make(**fields):
        start = timezone.now() + datetime.timedelta(days=10)
        values = {
            "title": "DR Congo and a2i: knowledge-sharing session",
            "kind": "knowledge_sharing",
            "format": "virtual",
            "start": start,
            "end": start + datetime.timedelta(hours=2),
            "time_zone": "Africa/Kinshasa",
            "online_link": "https://meet.example.org/cod-a2i",
            "summary": "a2i presents myGov and the SDG Tracker.",
            "capacity": 30,
            **fields,
        }
        return index.add_child(instance=WorkshopPage(**values))

    return make


@pytest.fixture
def workshop(make_workshop):
    return make_workshop()


def details(number=0, **changes):
    """Keyword arguments of services.register for participant `number`."""
    return {
        "name": f"Participant {number}",
        "email": f"participant{number}@gouv.cd",
        "organisation": "Ministère du Numérique",
        "country": "COD",
        "privacy_consent": True,
        **changes,
    }


@pytest.fixture
def add_session():
    """Return a function that adds a session to a workshop: `hours` after its start, lasting one hour."""
    from workshops.models import Session

    def add(workshop, title, *, hours=0, track="", capacity=None, days=0):
        start = workshop.start + datetime.timedelta(days=days, hours=hours)
        return Session.objects.create(
            workshop=workshop,
            title=title,
            track=track,
            start=start,
            end=start + datetime.timedelta(hours=1),
            capacity=capacity,
        )

    return add


def form_data(number=0, **changes):
    """The POST data of the registration form for participant `number`."""
    return {
        "name": f"Participant {number}",
        "email": f"participant{number}@gouv.cd",
        "organisation": "Ministère du Numérique",
        "role": "delegate",
        "privacy_consent": "on",
        **changes,
    }
