"""Delegations: a member's focal point registers several people of the member at once; each confirms their
own e-mail address and consents; all the delegation is recorded or none of it; everyone else is refused."""

import re

import pytest
from django.core import mail

from tests.workshops.conftest import details
from workshops import delegations, services
from workshops.models import Question, QuestionKind, Registration
from workshops.models import RegistrationStatus as S

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture(autouse=True)
def eager(eager_tasks):
    """E-mails sent in the test's process."""


@pytest.fixture
def cod():
    from members.models import MemberPage

    return MemberPage.objects.get(key="cod")


@pytest.fixture
def other_focal_point(small_world):
    """Türkiye's focal point."""
    from members.models import MemberPage
    from members.services import create_focal_point

    return create_focal_point(MemberPage.objects.get(key="tur"), email="focal@gov.tr")[0]


def url(workshop):
    return f"/workshops/{workshop.pk}/delegation/"


def post_data(member, rows, *, total=3):
    data = {
        "member": member.pk,
        "people-TOTAL_FORMS": str(total),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "60",
    }
    # Blank rows as a browser sends them: the initial choices of the selects.
    rows = list(rows) + [{"role": "delegate", "language": "en"}] * (total - len(rows))
    for index, row in enumerate(rows):
        data.update({f"people-{index}-{field}": value for field, value in row.items()})
    return data


def person(number, **changes):
    return {
        "name": f"Delegate {number}",
        "email": f"delegate{number}@gouv.cd",
        "job_title": "Director",
        "role": "delegate",
        "language": "fr",
        **changes,
    }


def test_a_focal_point_registers_a_delegation_and_each_delegate_confirms_and_consents(
    client, workshop, focal_point, cod, django_capture_on_commit_callbacks
):
    client.force_login(focal_point)
    page = client.get(url(workshop))
    assert page.status_code == 200 and "Register a delegation" in page.content.decode()
    assert "Government of the Democratic Republic of the Congo" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(workshop), post_data(cod, [person(1), person(2, role="speaker")]))
    assert response.status_code == 200 and "2 people of Government of the Democratic" in response.content.decode()
    registrations = list(Registration.objects.order_by("email"))
    assert [r.email for r in registrations] == ["delegate1@gouv.cd", "delegate2@gouv.cd"]
    for registration in registrations:
        assert registration.member == cod and registration.registered_by == focal_point
        assert registration.status == S.PENDING_CONFIRMATION and not registration.privacy_consent
        assert registration.language == "fr"
    assert registrations[1].role == "speaker"
    assert sorted(message.to[0] for message in mail.outbox) == ["delegate1@gouv.cd", "delegate2@gouv.cd"]
    message = mail.outbox[0]
    assert "délégation" in message.body or "delegation" in message.body
    confirm_path = "/" + re.search(r"https?://\S+(/registrations/confirm/[^/\s]+/)", message.body).group(1)[1:]

    client.logout()  # the delegate, not the focal point
    page = client.get(confirm_path).content.decode()
    assert 'name="privacy_consent"' in page
    refused = client.post(confirm_path, {})
    assert refused.status_code == 400
    delegate = Registration.objects.get(email=message.to[0])
    assert delegate.status == S.PENDING_CONFIRMATION and not delegate.privacy_consent
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(confirm_path, {"privacy_consent": "on"})
    assert accepted.status_code == 302
    delegate.refresh_from_db()
    assert delegate.status == S.CONFIRMED and delegate.privacy_consent and not delegate.public_listing


def test_a_focal_point_of_a_parent_member_registers_for_a_member_under_it(workshop):
    from members.models import MemberPage
    from members.services import create_focal_point

    bangladesh = create_focal_point(MemberPage.objects.get(key="bgd"), email="focal@gov.bd")[0]
    a2i = MemberPage.objects.get(key="bgd-a2i")
    [registration] = delegations.register_delegation(workshop, a2i, [person(1)], user=bangladesh)
    assert registration.member == a2i and registration.organisation == a2i.title


def test_per_row_errors_and_nothing_written(client, workshop, focal_point, cod, add_session):
    clinic = add_session(workshop, "Clinic", capacity=2)
    services.register(workshop, **details(9, email="delegate3@gouv.cd"))  # already registered
    client.force_login(focal_point)
    rows = [
        person(1, sessions=[clinic.pk]),
        person(2, sessions=[clinic.pk]),
        person(3),  # already registered
        person(4, email="DELEGATE1@gouv.cd"),  # the same address twice
        person(5, sessions=[clinic.pk]),  # the clinic has 2 places: the third to ask is refused
    ]
    response = client.post(url(workshop), post_data(cod, rows, total=6))
    html = response.content.decode()
    assert response.status_code == 400
    assert "This e-mail address is already in the delegation." in html
    assert Registration.objects.count() == 1  # nothing of the delegation
    # Once the form's own errors are corrected, the service finds the rest, row by row.
    rows[3] = person(4)
    response = client.post(url(workshop), post_data(cod, rows, total=6))
    html = response.content.decode()
    assert response.status_code == 400 and "Nothing was recorded" in html
    assert "This e-mail address is already registered for this workshop." in html
    assert "The session “Clinic” is full" in html
    assert Registration.objects.count() == 1
    rows = [row for index, row in enumerate(rows) if index not in (2, 4)]
    response = client.post(url(workshop), post_data(cod, rows, total=6))
    assert response.status_code == 200 and Registration.objects.count() == 4


@pytest.mark.parametrize(
    "rows, error",
    [
        ([], "Give at least one person."),
        ([{"name": "", "email": "x@gouv.cd", "role": "delegate", "language": "fr"}], "This field is required."),
        ([person(1, email="not-an-address")], "Enter a valid email address."),
        ([person(1, role="king")], "Select a valid choice."),
    ],
)
def test_bad_rows_are_refused(client, workshop, focal_point, cod, rows, error):
    client.force_login(focal_point)
    response = client.post(url(workshop), post_data(cod, rows))
    assert response.status_code == 400 and error in response.content.decode()
    assert not Registration.objects.exists()


def test_required_questions_are_asked_for_each_delegate(client, workshop, focal_point, cod):
    question = Question.objects.create(workshop=workshop, label="Visa letter?", kind=QuestionKind.YES_NO, required=True)
    client.force_login(focal_point)
    response = client.post(url(workshop), post_data(cod, [person(1)]))
    assert response.status_code == 400 and not Registration.objects.exists()
    response = client.post(url(workshop), post_data(cod, [person(1, **{f"question_{question.pk}": "yes"})]))
    assert response.status_code == 200
    assert Registration.objects.get().answer_list() == [("Visa letter?", "yes")]


def test_refusals(client, workshop, focal_point, other_focal_point, secretary, cod):
    response = client.get(url(workshop))  # anonymous: to the login page
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert client.post(url(workshop), post_data(cod, [person(1)])).status_code == 302
    client.force_login(secretary)  # staff, but no member's focal point
    assert client.get(url(workshop)).status_code == 403
    assert client.post(url(workshop), post_data(cod, [person(1)])).status_code == 403
    client.force_login(other_focal_point)  # Türkiye's focal point, for DR Congo: not a choice
    response = client.post(url(workshop), post_data(cod, [person(1)]))
    assert response.status_code == 400 and "only for a member whose focal point you are" in response.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(delegations.NotTheMembersFocalPoint):
        delegations.register_delegation(workshop, cod, [person(1)], user=other_focal_point)
    with pytest.raises(delegations.NotTheMembersFocalPoint):
        delegations.register_delegation(workshop, cod, [person(1)], user=secretary)
    assert not Registration.objects.exists()
    client.force_login(focal_point)
    assert client.get("/workshops/999999/delegation/").status_code == 404


def test_a_closed_workshop_takes_no_delegation(make_workshop, focal_point, cod):
    import datetime

    from django.utils import timezone

    closed = make_workshop(registration_closes=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(services.RegistrationClosed):
        delegations.register_delegation(closed, cod, [person(1)], user=focal_point)


def test_the_delegation_page_query_count(client, workshop, focal_point, add_session, django_assert_max_num_queries):
    client.force_login(focal_point)
    add_session(workshop, "Opening")
    Question.objects.create(workshop=workshop, label="Diet", kind=QuestionKind.SHORT_TEXT)
    client.get(url(workshop))  # the site's lookups, cached after the first request
    with django_assert_max_num_queries(15) as few:
        assert client.get(url(workshop)).status_code == 200
    for n in range(10):
        add_session(workshop, f"Session {n}", track=f"Track {n % 3}", capacity=5, hours=n)
        Question.objects.create(workshop=workshop, label=f"Question {n}", kind=QuestionKind.CHOICE, choices="A\nB")
    with django_assert_max_num_queries(15) as many:
        html = client.get(url(workshop)).content.decode()
    assert "Session 9" in html and "Question 9" in html
    assert len(many.captured_queries) == len(few.captured_queries)
