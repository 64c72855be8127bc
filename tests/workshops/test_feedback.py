"""Feedback: participants give one (editable) feedback through their manage link once the workshop started;
organisers see a summary in the admin; nobody else does."""

import re

import pytest

from tests.workshops.people import move, participant
from workshops.feedback import FeedbackClosed, save_feedback
from workshops.models import Feedback
from workshops.tokens import make_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

ANSWER = {"rating": "4", "most_useful": "The myGov demo.", "next_steps": "Brief our minister.", "wants_follow_up": "on"}


def feedback_url(registration):
    return f"/registrations/manage/{make_token(registration, 'manage')}/feedback/"


def test_attended_participant_gives_then_changes_feedback(client, workshop):
    registration = participant(workshop, 1, attended=True)
    move(workshop, started_days_ago=1)
    manage = client.get(f"/registrations/manage/{make_token(registration, 'manage')}/").content.decode()
    assert "Give feedback on the workshop" in manage and '/feedback/"' in manage
    form = client.get(feedback_url(registration)).content.decode()
    assert 'type="radio"' in form and "5 – Excellent" in form and 'for="id_most_useful"' in form
    response = client.post(feedback_url(registration), ANSWER)
    assert response.status_code == 200 and "your feedback is saved" in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.most_useful, feedback.wants_follow_up) == (4, "The myGov demo.", True)
    client.post(feedback_url(registration), {**ANSWER, "rating": "5", "wants_follow_up": ""})
    feedback = Feedback.objects.get()  # still one, changed
    assert (feedback.rating, feedback.wants_follow_up) == (5, False)
    assert re.search(r'value="5"[^>]*checked', client.get(feedback_url(registration)).content.decode())


def test_confirmed_participant_may_give_feedback_too(workshop):
    registration = participant(workshop, 1)
    move(workshop, started_days_ago=0)
    assert save_feedback(registration, rating=3).rating == 3


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "rating"),
        ({"rating": "0"}, "rating"),
        ({"rating": "6"}, "rating"),
        ({"rating": "four"}, "rating"),
        ({"rating": "3", "most_useful": "x" * 2001}, "most_useful"),
    ],
)
def test_bad_feedback_shows_field_errors_and_writes_nothing(client, workshop, data, field):
    registration = participant(workshop, 1, attended=True)
    move(workshop, started_days_ago=1)
    response = client.post(feedback_url(registration), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'class="errors"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_is_closed_before_the_start_and_after_the_window(client, workshop, settings):
    settings.WORKSHOPS_FEEDBACK_DAYS = 14
    registration = participant(workshop, 1)
    response = client.post(feedback_url(registration), ANSWER)  # the workshop is in ten days
    assert response.status_code == 400 and "Feedback opens when the workshop starts" in response.content.decode()
    with pytest.raises(FeedbackClosed):
        save_feedback(registration, rating=4)
    move(workshop, started_days_ago=16)
    response = client.post(feedback_url(registration), ANSWER)
    assert response.status_code == 400 and "Feedback for this workshop is closed" in response.content.decode()
    assert not Feedback.objects.exists()


def test_people_without_a_place_cannot_give_feedback(client, make_workshop):
    workshop = make_workshop(capacity=1)
    participant(workshop, 1)
    waiting = participant(workshop, 2)  # on the waiting list
    move(workshop, started_days_ago=1)
    response = client.post(feedback_url(waiting), ANSWER)
    assert response.status_code == 400 and "Only participants of the workshop" in response.content.decode()
    assert not Feedback.objects.exists()


def test_forged_and_expired_links_are_refused(client, workshop, monkeypatch):
    from workshops import tokens

    registration = participant(workshop, 1, attended=True)
    move(workshop, started_days_ago=1)
    url = feedback_url(registration)
    assert client.post(url.replace("/feedback/", "x/feedback/"), ANSWER).status_code == 400
    monkeypatch.setitem(tokens.MAX_AGE, "manage", -1)
    assert client.post(url, ANSWER).status_code == 400
    assert not Feedback.objects.exists()


@pytest.fixture
def answered(make_workshop):
    from members.models import MemberPage

    workshop = make_workshop(capacity=None)
    workshop.organisers.add(MemberPage.objects.get(key="cod"))
    workshop.save()

    def answer(count):
        for number in range(count):
            registration = participant(workshop, number, attended=True)
            Feedback.objects.create(
                registration=registration,
                rating=2 + number % 3,
                most_useful=f"Answer {number}",
                wants_follow_up=number % 2 == 0,
            )
        return workshop

    return answer


def test_organisers_see_the_summary(client, secretary, answered):
    workshop = answered(3)  # ratings 2, 3, 4; follow-up for 0 and 2
    client.force_login(secretary)
    page = client.get(f"/admin/workshops/{workshop.pk}/feedback/").content.decode()
    assert "3 participants gave feedback" in page and "Average rating: 3.0 / 5" in page
    assert "2 would like a follow-up exchange" in page
    assert "Answer 0" in page and "Answer 2" in page and "Participant 1" in page


def test_the_summary_is_refused_to_everyone_else(client, answered, django_user_model):
    workshop = answered(1)
    url = f"/admin/workshops/{workshop.pk}/feedback/"
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("someone", "someone@example.org", "pw"))
    response = client.get(url)
    assert response.status_code in (302, 403) and "Answer 0" not in response.content.decode()


def test_a_focal_point_of_another_member_is_refused(client, answered):
    from members.models import MemberPage
    from members.services import create_focal_point

    workshop = answered(1)
    other, _created = create_focal_point(MemberPage.objects.get(key="tur"), email="focal@gov.tr")
    client.force_login(other)
    response = client.get(f"/admin/workshops/{workshop.pk}/feedback/")
    # The admin turns a refusal into a redirect to its dashboard, with a message.
    assert response.status_code == 302 and response.url == "/admin/"
    assert "Answer 0" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_summary_queries_do_not_grow(client, secretary, answered, django_assert_max_num_queries, size):
    workshop = answered(size)
    client.force_login(secretary)
    with django_assert_max_num_queries(14):
        page = client.get(f"/admin/workshops/{workshop.pk}/feedback/")
    assert page.content.decode().count("Answer ") == size
