"""Sessions: their own places, taken with the workshop's place; the form's choice by track; the timetable."""

import datetime

import pytest
from django.utils import timezone

from tests.workshops.conftest import details, form_data
from workshops import services
from workshops.models import Registration
from workshops.models import RegistrationStatus as S

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture(autouse=True)
def eager(eager_tasks):
    """E-mails sent in the test's process."""


def confirmed(workshop, number, sessions=()):
    return services.confirm(services.register(workshop, **details(number), sessions=sessions))


def test_a_session_place_is_taken_with_the_workshop_place(workshop, add_session):
    small = add_session(workshop, "Clinic", capacity=1)
    first = confirmed(workshop, 1, [small])
    assert first.status == S.CONFIRMED
    # The form (and the service) refuse a full session: nothing written, the session named.
    with pytest.raises(services.SessionFull, match="“Clinic” is full"):
        services.register(workshop, **details(2), sessions=[small])
    assert Registration.objects.count() == 1


def test_a_session_that_fills_before_confirming_means_the_waiting_list(workshop, add_session):
    small = add_session(workshop, "Clinic", capacity=1)
    other = add_session(workshop, "Plenary")
    early, late, third = (services.register(workshop, **details(n), sessions=[small]) for n in (1, 2, 3))
    behind = services.register(workshop, **details(4), sessions=[other])
    assert services.confirm(early).status == S.CONFIRMED
    assert services.confirm(late).status == S.WAITLISTED  # the workshop has room, the session has none
    assert services.confirm(third).status == S.WAITLISTED
    assert services.confirm(behind).status == S.CONFIRMED
    # A plenary place frees up: the people waiting for the clinic keep waiting (it is still full).
    services.cancel(behind)
    assert Registration.objects.get(pk=late.pk).status == S.WAITLISTED
    # The clinic's place frees up: the first waiting for it is offered it, the second still waits.
    services.cancel(early)
    assert Registration.objects.get(pk=late.pk).status == S.PROMOTED
    assert Registration.objects.get(pk=third.pk).status == S.WAITLISTED
    assert small.registrations.filter(status__in=[S.CONFIRMED, S.PROMOTED]).count() == 1


def test_people_waiting_for_a_full_session_keep_their_rank_while_others_get_places(make_workshop, add_session):
    workshop = make_workshop(capacity=2)
    small = add_session(workshop, "Clinic", capacity=1)
    holder = services.register(workshop, **details(1), sessions=[small])
    waiting_for_clinic = services.register(workshop, **details(3), sessions=[small])
    holder = services.confirm(holder)
    other = confirmed(workshop, 2)
    waiting_for_clinic = services.confirm(waiting_for_clinic)  # the workshop is full: waiting list
    waiting_for_any = confirmed(workshop, 4)
    assert (waiting_for_clinic.status, waiting_for_any.status) == (S.WAITLISTED, S.WAITLISTED)
    services.cancel(other)  # one workshop place: the clinic is still full, so the next person gets it
    assert Registration.objects.get(pk=waiting_for_clinic.pk).status == S.WAITLISTED
    assert Registration.objects.get(pk=waiting_for_any.pk).status == S.PROMOTED
    assert holder.status == S.CONFIRMED


def test_a_session_of_another_workshop_is_refused(make_workshop, add_session):
    first, second = make_workshop(), make_workshop(title="Another")
    elsewhere = add_session(second, "Elsewhere")
    with pytest.raises(services.RegistrationError, match="not part of this workshop"):
        services.register(first, **details(1), sessions=[elsewhere])
    assert not Registration.objects.exists()


def test_the_form_groups_sessions_by_track_with_places_left_and_refuses_a_full_one(client, workshop, add_session):
    clinic = add_session(workshop, "Clinic", track="Practice", capacity=1)
    add_session(workshop, "Design lab", track="Practice", hours=1, capacity=5)
    plenary = add_session(workshop, "Opening", track="Plenary")
    html = client.get(workshop.url).content.decode()
    assert "<legend>Sessions" in html
    assert "Practice" in html and "Plenary" in html
    assert "Clinic — " in html and "(1 place left)" in html and "(5 places left)" in html
    confirmed(workshop, 1, [clinic])
    html = client.get(workshop.url).content.decode()
    assert "Clinic — " in html and "(full)" in html
    response = client.post(workshop.url, form_data(2, sessions=[clinic.pk, plenary.pk]))
    assert response.status_code == 400 and "The session “Clinic” is full" in response.content.decode()
    assert Registration.objects.count() == 1
    response = client.post(workshop.url, form_data(2, sessions=["999999"]))  # not a session of this workshop
    assert response.status_code == 400 and Registration.objects.count() == 1
    response = client.post(workshop.url, form_data(2, sessions=[plenary.pk]))
    assert response.status_code == 200
    assert list(Registration.objects.get(email="participant2@gouv.cd").sessions.all()) == [plenary]


def test_the_timetable_by_day_and_track_in_local_time(
    client, make_workshop, add_session, django_assert_max_num_queries
):
    start = datetime.datetime(2031, 3, 4, 8, 0, tzinfo=datetime.UTC)  # 09:00 in Kinshasa (UTC+1)
    workshop = make_workshop(start=start, end=start + datetime.timedelta(days=2))
    add_session(workshop, "Opening", track="Plenary")
    add_session(workshop, "Clinic", track="Practice", hours=2, capacity=3)
    add_session(workshop, "Field visit", days=1, track="Visits")
    html = client.get(workshop.url).content.decode()
    assert "Times are local to the venue (Africa/Kinshasa)" in html
    assert "4 March 2031, 09:00</time>" in html  # the workshop's own dates, in local time too
    assert html.index("Tuesday 4 March 2031") < html.index("Opening") < html.index("Wednesday 5 March 2031")
    assert html.index("Wednesday 5 March 2031") < html.index("Field visit")
    assert "09:00</time>–<time" in html and "11:00</time>" in html  # local times, not UTC
    assert "<h4>Practice</h4>" in html and "(3 places left)" in html
    with django_assert_max_num_queries(40) as few:
        client.get(workshop.url)
    for n in range(12):
        session = add_session(workshop, f"Extra {n}", track=f"Track {n % 4}", hours=n % 6, capacity=10)
        confirmed(workshop, n, [session])
    with django_assert_max_num_queries(40) as many:
        html = client.get(workshop.url).content.decode()
    assert "Extra 11" in html and "(9 places left)" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_session_cannot_end_before_it_starts(workshop):
    from django.core.exceptions import ValidationError

    from workshops.models import Session

    session = Session(
        workshop=workshop, title="Backwards", start=timezone.now(), end=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        session.full_clean()
