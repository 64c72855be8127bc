"""A workshop to register to (tests/conftest.py: make_workshop): DR Congo's knowledge-sharing session."""

import datetime

import pytest


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
