"""Check-in at the door: organisers find a participant and mark them attended (or undo); nobody else can."""

import pytest

from tests.workshops.people import participant
from workshops.models import Registration
from workshops.models import RegistrationStatus as S

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def url(workshop):
    return f"/workshops/{workshop.pk}/check-in/"


def step_url(workshop, registration):
    return f"/workshops/{workshop.pk}/check-in/{registration.pk}/"


def test_organiser_checks_in_and_undoes(client, secretary, workshop):
    nze = participant(workshop, 1, name="Nzé Mbuyi")
    other = participant(workshop, 2, name="Ana Souza", organisation="Ministério da Gestão")
    client.force_login(secretary)
    page = client.get(url(workshop)).content.decode()
    assert "Nzé Mbuyi" in page and "Ana Souza" in page and "0 of 2 participants checked in" in page
    found = client.get(url(workshop), {"q": "nzé"}).content.decode()  # works without JavaScript
    assert "Nzé Mbuyi" in found and "Ana Souza" not in found
    assert "Ana Souza" in client.get(url(workshop), {"q": "gestão"}).content.decode()  # by organisation

    response = client.post(step_url(workshop, nze), {"action": "attended", "q": "nzé"})
    assert response.status_code == 302 and "q=nz%C3%A9" in response.url
    assert Registration.objects.get(pk=nze.pk).status == S.ATTENDED
    page = client.get(response.url).content.decode()
    assert "Nzé Mbuyi: Attended." in page and "1 of 2 participants checked in" in page and "Undo check-in" in page

    again = client.post(step_url(workshop, nze), {"action": "attended"}, follow=True).content.decode()
    assert "Only a confirmed participant can be checked in" in again  # a double tap is a message, not a 500
    client.post(step_url(workshop, nze), {"action": "undo"})
    assert Registration.objects.get(pk=nze.pk).status == S.CONFIRMED
    refused = client.post(step_url(workshop, other), {"action": "undo"}, follow=True).content.decode()
    assert "Only a participant marked attended can be unmarked" in refused
    assert client.post(step_url(workshop, other), {"action": "dance"}, follow=True).status_code == 200
    assert Registration.objects.get(pk=other.pk).status == S.CONFIRMED


def test_only_people_holding_a_place_are_listed(client, secretary, make_workshop):
    workshop = make_workshop(capacity=1)
    participant(workshop, 1, name="Has A Place")
    participant(workshop, 2, name="On The List")  # waitlisted: full
    client.force_login(secretary)
    page = client.get(url(workshop)).content.decode()
    assert "Has A Place" in page and "On The List" not in page


def test_check_in_needs_a_post(client, secretary, workshop):
    registration = participant(workshop, 1)
    client.force_login(secretary)
    assert client.get(step_url(workshop, registration)).status_code == 405
    assert Registration.objects.get().status == S.CONFIRMED


def test_a_participant_of_another_workshop_cannot_be_checked_in_here(client, secretary, make_workshop):
    here, elsewhere = make_workshop(), make_workshop(title="Another workshop")
    stranger = participant(elsewhere, 1)
    client.force_login(secretary)
    assert client.post(step_url(here, stranger), {"action": "attended"}).status_code == 404
    assert Registration.objects.get().status == S.CONFIRMED


def test_focal_point_of_an_organising_member_may_check_in(client, focal_point, make_workshop):
    from members.models import MemberPage

    workshop = make_workshop()
    workshop.organisers.add(MemberPage.objects.get(key="cod"))
    workshop.save()
    registration = participant(workshop, 1)
    client.force_login(focal_point)
    assert client.get(url(workshop)).status_code == 200
    client.post(step_url(workshop, registration), {"action": "attended"})
    assert Registration.objects.get().status == S.ATTENDED


def test_everyone_else_is_refused(client, workshop, focal_point, django_user_model):
    registration = participant(workshop, 1)  # DR Congo does not organise this workshop
    anonymous = client.get(url(workshop))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url
    assert client.post(step_url(workshop, registration), {"action": "attended"}).status_code == 302
    for person in (focal_point, django_user_model.objects.create_user("someone", "someone@example.org", "pw")):
        client.force_login(person)
        response = client.get(url(workshop))
        assert response.status_code == 403 and "participant1@gouv.cd" not in response.content.decode()
        assert "Participant 1" not in response.content.decode()
        assert client.post(step_url(workshop, registration), {"action": "attended"}).status_code == 403
    assert Registration.objects.get().status == S.CONFIRMED


@pytest.mark.parametrize("size", [3, 30])
def test_check_in_page_queries_do_not_grow(client, secretary, make_workshop, django_assert_max_num_queries, size):
    workshop = make_workshop(capacity=None)
    for number in range(size):
        participant(workshop, number, attended=number % 2 == 0)
    client.force_login(secretary)
    with django_assert_max_num_queries(11):
        page = client.get(url(workshop))
    assert page.content.decode().count('class="check-in-item') == size


def test_the_admin_links_to_check_in_and_feedback_from_the_workshop(client, secretary, workshop):
    client.force_login(secretary)
    listing = client.get(f"/admin/pages/{workshop.get_parent().pk}/").content.decode()
    edit = client.get(f"/admin/pages/{workshop.pk}/edit/").content.decode()
    for page in (listing, edit):
        assert url(workshop) in page and f"/admin/workshops/{workshop.pk}/feedback/" in page
