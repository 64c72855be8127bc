"""Registration: every status change, the e-mails and their links, tokens, capacity and the waiting list."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.utils import timezone
from icalendar import Calendar

from tests.workshops.conftest import details
from workshops import services
from workshops.models import Registration
from workshops.models import RegistrationStatus as S
from workshops.tokens import InvalidToken, make_token, read_token

# Real commits, so the e-mails queued on commit are sent as each step commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def eager(eager_tasks):
    """Tasks in the test's process (a worker would read another database)."""


def link(message, route):
    return re.search(rf"https?://\S+/registrations/{route}/[^/\s]+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_register_sends_a_confirmation_link_in_the_participants_language(workshop):
    registration = services.register(workshop, language="fr", **details(1))
    assert registration.status == S.PENDING_CONFIRMATION and registration.email == "participant1@gouv.cd"
    [message] = mail.outbox
    assert message.to == ["participant1@gouv.cd"]
    assert "Confirmez votre inscription" in message.subject
    assert read_token(link(message, "confirm").rsplit("/", 2)[1], "confirm") == registration


def test_confirming_takes_a_place_and_sends_the_calendar_with_the_link(workshop, client):
    services.register(workshop, **details(1))
    confirm_url = path_of(link(mail.outbox[0], "confirm"))
    page = client.get(confirm_url)
    assert page.status_code == 200 and "Confirm my registration" in page.content.decode()
    assert Registration.objects.get().status == S.PENDING_CONFIRMATION  # a GET (a mail scanner) changes nothing
    response = client.post(confirm_url)
    assert response.status_code == 302 and "/registrations/manage/" in response.url
    registration = Registration.objects.get()
    assert registration.status == S.CONFIRMED and registration.confirmed_at
    message = mail.outbox[-1]
    assert "You are registered" in message.subject and "https://meet.example.org/cod-a2i" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("workshop.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == workshop.title
    assert event.decoded("dtstart") == workshop.start.replace(microsecond=0)
    assert "meet.example.org" in str(event["location"])
    manage = client.get(response.url).content.decode()
    assert "Confirmed" in manage and "https://meet.example.org/cod-a2i" in manage


def test_a_full_workshop_waitlists_then_offers_a_freed_place(make_workshop):
    workshop = make_workshop(capacity=2)
    people = [services.register(workshop, **details(n)) for n in range(4)]
    for person in people:
        services.confirm(person)
    assert [Registration.objects.get(pk=p.pk).status for p in people] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
        S.WAITLISTED,
    ]
    assert "waiting list" in mail.outbox[-1].subject
    services.cancel(people[0])
    third = Registration.objects.get(pk=people[2].pk)
    assert third.status == S.PROMOTED and third.offer_expires_at > timezone.now()
    assert Registration.objects.get(pk=people[3].pk).status == S.WAITLISTED
    offer = mail.outbox[-1]
    assert offer.to == ["participant2@gouv.cd"] and "A place is free for you" in offer.subject
    services.accept_offer(third)
    assert Registration.objects.get(pk=third.pk).status == S.CONFIRMED
    assert workshop.places_left() == 0


def test_unaccepted_offers_expire_and_pass_on(make_workshop):
    workshop = make_workshop(capacity=1)
    first, second, third = [services.register(workshop, **details(n)) for n in range(3)]
    for person in (first, second, third):
        services.confirm(person)
    services.cancel(first)
    assert Registration.objects.get(pk=second.pk).status == S.PROMOTED
    assert services.expire_offers(now=timezone.now() + datetime.timedelta(hours=49)) == 1
    assert Registration.objects.get(pk=second.pk).status == S.CANCELLED
    assert Registration.objects.get(pk=third.pk).status == S.PROMOTED
    with pytest.raises(services.InvalidStep, match="no place on offer"):
        services.accept_offer(Registration.objects.get(pk=second.pk))


def test_approval_and_decline(make_workshop):
    workshop = make_workshop(requires_approval=True)
    first, second = services.register(workshop, **details(1)), services.register(workshop, **details(2))
    services.confirm(first)
    services.confirm(second)
    assert Registration.objects.get(pk=first.pk).status == S.PENDING_APPROVAL
    assert "awaiting approval" in mail.outbox[-1].subject
    services.approve(first)
    services.decline(second)
    assert Registration.objects.get(pk=first.pk).status == S.CONFIRMED
    assert Registration.objects.get(pk=second.pk).status == S.DECLINED
    assert "not accepted" in mail.outbox[-1].subject
    with pytest.raises(services.InvalidStep):
        services.approve(Registration.objects.get(pk=second.pk))


def test_check_in_marks_attendance(workshop):
    registration = services.register(workshop, **details(1))
    with pytest.raises(services.InvalidStep, match="Only a confirmed participant"):
        services.mark_attended(registration)
    services.confirm(registration)
    assert services.mark_attended(registration).status == S.ATTENDED


def test_one_active_registration_per_email_and_again_after_cancelling(workshop):
    first = services.register(workshop, **details(1))
    with pytest.raises(services.AlreadyRegistered):
        services.register(workshop, **details(1, email="PARTICIPANT1@gouv.cd "))
    services.cancel(first)
    assert services.register(workshop, **details(1)).status == S.PENDING_CONFIRMATION


def test_registration_outside_the_window_is_refused(make_workshop):
    closed = make_workshop(registration_closes=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(services.RegistrationClosed):
        services.register(closed, **details(1))
    assert not Registration.objects.exists()


def test_forged_expired_and_reused_tokens_are_refused(workshop, client, monkeypatch):
    registration = services.register(workshop, **details(1))
    token = make_token(registration, "confirm")
    with pytest.raises(InvalidToken, match="forged"):
        read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "confirm")
    with pytest.raises(InvalidToken, match="forged"):
        read_token(make_token(registration, "manage"), "confirm")  # a link made for another purpose
    forged = signing.dumps({"r": registration.pk, "p": "confirm", "s": "pending_confirmation"}, salt="wrong")
    assert client.post(f"/registrations/confirm/{forged}/").status_code == 400
    monkeypatch.setitem(__import__("workshops.tokens").tokens.MAX_AGE, "confirm", -1)
    with pytest.raises(InvalidToken, match="expired"):
        read_token(token, "confirm")
    monkeypatch.undo()
    assert client.post(f"/registrations/confirm/{token}/").status_code == 302
    response = client.post(f"/registrations/confirm/{token}/")
    assert response.status_code == 400 and "already used" in response.content.decode()
    assert Registration.objects.get().status == S.CONFIRMED


def test_cancel_through_the_manage_link_promotes_the_next(make_workshop, client):
    workshop = make_workshop(capacity=1)
    first, second = services.register(workshop, **details(1)), services.register(workshop, **details(2))
    services.confirm(first)
    services.confirm(second)
    token = make_token(first, "manage")
    response = client.post(f"/registrations/manage/{token}/", {"action": "cancel"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=first.pk).status == S.CANCELLED
    assert Registration.objects.get(pk=second.pk).status == S.PROMOTED
    again = client.post(f"/registrations/manage/{token}/", {"action": "cancel"})
    assert again.status_code == 400 and "already closed" in again.content.decode()


def test_the_registration_form_on_the_page(workshop, client):
    page = client.get(workshop.url).content.decode()
    assert 'name="privacy_consent"' in page and "30 places left" in page
    response = client.post(workshop.url, {"name": "Amina", "email": "not-an-email", "organisation": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address" in html and "consent to the privacy notice" in html
    assert "Choose your organisation in the list or write its name" in html
    assert not Registration.objects.exists()
    response = client.post(
        workshop.url,
        {
            "name": "Amina",
            "email": "amina@gouv.cd",
            "organisation": "Présidence",
            "role": "delegate",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert Registration.objects.get().email == "amina@gouv.cd"


def test_participants_data_stays_off_public_pages(workshop, client):
    registration = services.register(workshop, **details(1))
    services.confirm(registration)
    for url in (workshop.url, "/workshops/", f"/workshops/{workshop.pk}.ics", "/workshops.ics"):
        body = client.get(url).content.decode()
        assert "participant1@gouv.cd" not in body and "Participant 1" not in body
    # The online link is for confirmed participants only.
    assert "meet.example.org" not in client.get(workshop.url).content.decode()
    assert "meet.example.org" not in client.get(f"/workshops/{workshop.pk}.ics").content.decode()


def test_calendar_files_parse_back(workshop, make_workshop, client):
    make_workshop(
        title="Past webinar",
        start=timezone.now() - datetime.timedelta(days=30),
        end=timezone.now() - datetime.timedelta(days=30, hours=-1),
    )
    one = Calendar.from_ical(client.get(f"/workshops/{workshop.pk}.ics").content)
    [event] = one.walk("VEVENT")
    assert str(event["summary"]) == workshop.title and str(event["uid"]) == f"workshop-{workshop.pk}@ssn4psi"
    assert event.decoded("dtstart").tzinfo is not None
    feed = Calendar.from_ical(client.get("/workshops.ics").content)
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == [workshop.title]  # upcoming only
    assert client.get("/workshops/999999.ics").status_code == 404


def test_offers_expire_on_a_schedule():
    from django.conf import settings

    import workshops.tasks  # noqa: F401 - registers the task, as the worker's autodiscovery does
    from ssn4psi.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["expire-workshop-offers"]
    assert entry["task"] in app.tasks and entry["schedule"] <= 3600


def test_only_confirmed_participants_who_agreed_appear_on_the_public_list(
    make_workshop, client, django_assert_max_num_queries
):
    workshop = make_workshop()
    listed = services.confirm(services.register(workshop, **details(1, public_listing=True)))
    services.confirm(services.register(workshop, **details(2)))  # did not agree
    services.register(workshop, **details(3, public_listing=True))  # not confirmed
    html = client.get(workshop.url).content.decode()
    assert "Participants" in html and "Participant 1 — Ministère du Numérique" in html
    assert "Participant 2" not in html and "Participant 3" not in html
    assert "participant1@gouv.cd" not in html  # names and organisations only
    with django_assert_max_num_queries(30) as few:
        client.get(workshop.url)
    for number in range(4, 14):
        services.confirm(services.register(workshop, **details(number, public_listing=True)))
    with django_assert_max_num_queries(30) as many:
        client.get(workshop.url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert listed.status == S.CONFIRMED
