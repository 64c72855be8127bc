"""Nobody learns who is registered: registering again with a registered address, or asking for one's links
("Send me my links"), gets the same answer as a new registration or an unknown address; the address itself
receives its links."""

import pytest
from django.core import mail

from tests.workshops.conftest import details, form_data
from workshops import services
from workshops.models import Registration

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def answer(response):
    """What the person sees, without the CSRF token that differs from one response to the next."""
    html = response.content.decode()
    return response.status_code, html[html.index("<main") : html.index("</main>")]


def test_registering_again_answers_as_a_new_registration_and_mails_the_links(workshop, client, eager_tasks):
    first = answer(client.post(workshop.url, form_data(1)))
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1
    mail.outbox.clear()

    again = answer(client.post(workshop.url, form_data(1, name="Someone Else", email="Participant1@gouv.cd ")))
    new = answer(client.post(workshop.url, form_data(2)))
    assert again[0] == new[0] == first[0] == 200
    assert again[1].replace("Participant1@gouv.cd", "participant1@gouv.cd") == first[1]
    assert new[1].replace("participant2", "participant1") == first[1]
    assert Registration.objects.count() == 2  # the second attempt changed nothing
    assert Registration.objects.get(email="participant1@gouv.cd").name == "Participant 1"

    links, confirm_new = mail.outbox
    assert links.to == ["participant1@gouv.cd"] and "registration links" in links.subject
    assert "/registrations/confirm/" in links.body and "/registrations/manage/" in links.body
    assert confirm_new.to == ["participant2@gouv.cd"]


def test_send_me_my_links_gives_the_same_answer_for_any_address(workshop, client, eager_tasks):
    registration = services.confirm(services.register(workshop, **details(1)))
    mail.outbox.clear()

    url = f"/workshops/{workshop.pk}/links/"
    known = client.post(url, {"email": "PARTICIPANT1@gouv.cd"})
    unknown = client.post(url, {"email": "participant1@gouv.cd.example"})
    assert known.status_code == unknown.status_code == 200
    assert answer(known)[1].replace("PARTICIPANT1@gouv.cd", "x") == answer(unknown)[1].replace(
        "participant1@gouv.cd.example", "x"
    )
    [message] = mail.outbox
    assert message.to == [registration.email]
    # Confirmed already: the link to see or cancel only.
    assert "/registrations/manage/" in message.body and "/registrations/confirm/" not in message.body


def test_a_cancelled_registration_gets_no_links(workshop, client, eager_tasks):
    services.cancel(services.confirm(services.register(workshop, **details(1))))
    mail.outbox.clear()
    response = client.post(f"/workshops/{workshop.pk}/links/", {"email": "participant1@gouv.cd"})
    assert response.status_code == 200 and mail.outbox == []


def test_a_bad_address_is_named_and_kept(workshop, client):
    response = client.post(f"/workshops/{workshop.pk}/links/", {"email": "not an address"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<label for="id_email">' in html and "Enter a valid email address" in html
    assert 'value="not an address"' in html


def test_the_way_to_the_links_is_on_the_page_which_stays_cacheable_once_closed(make_workshop, client):
    import datetime

    from django.utils import timezone

    closed = make_workshop(registration_closes=timezone.now() - datetime.timedelta(days=1))
    html = client.get(closed.url).content.decode()
    assert "Registration is closed." in html and f'href="/workshops/{closed.pk}/links/"' in html
    assert "csrfmiddlewaretoken" not in html  # no form: the page can be kept for everyone
    page = client.get(f"/workshops/{closed.pk}/links/")
    assert page.status_code == 200 and 'name="email"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_the_links_page_of_a_hidden_workshop_is_404(make_workshop, client):
    from wagtail.models import PageViewRestriction

    draft = make_workshop()
    draft.unpublish()
    assert client.get(f"/workshops/{draft.pk}/links/").status_code == 404
    restricted = make_workshop(slug="restricted-workshop")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    assert client.post(f"/workshops/{restricted.pk}/links/", {"email": "a@b.cd"}).status_code == 404
