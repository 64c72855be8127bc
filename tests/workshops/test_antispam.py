"""Robots kept off the anonymous forms: a rate limit per client address and per e-mail address written to (429,
the form kept as it was sent, a message saying when to try again), and a honeypot that people do not see."""

import pytest
from django.core import mail
from django.core.cache import cache

from ssn4psi import antispam
from tests.workshops.conftest import form_data
from workshops.models import Registration

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def limits(settings):
    cache.clear()
    settings.RATE_LIMITS = {"registration": (3, 600), "registration-email": (2, 3600), "links-email": (1, 3600)}
    yield settings.RATE_LIMITS
    cache.clear()


def test_a_burst_from_one_address_is_refused_with_429_and_the_form_kept(workshop, client, limits, eager_tasks):
    statuses = [client.post(workshop.url, form_data(n)).status_code for n in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Registration.objects.count() == 3

    refused = client.post(workshop.url, form_data(9, name="Amina Kasongo"))
    html = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert "sent too many times" in html and "try again in 10 minutes" in html
    assert 'value="Amina Kasongo"' in html and 'value="participant9@gouv.cd"' in html  # nothing typed is lost


def test_another_client_address_is_not_held_back(workshop, client, limits, eager_tasks):
    for n in range(1, 4):
        client.post(workshop.url, form_data(n))
    assert client.post(workshop.url, form_data(4)).status_code == 429
    assert client.post(workshop.url, form_data(4), REMOTE_ADDR="10.0.0.7").status_code == 200


def test_one_target_address_is_not_flooded(workshop, client, limits, eager_tasks):
    # Registering again sends the links to the address: twice at most per hour, from any client.
    statuses = [client.post(workshop.url, form_data(1), REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(1, 5)]
    assert statuses == [200, 200, 429, 429]
    assert len([m for m in mail.outbox if m.to == ["participant1@gouv.cd"]]) == 2


def test_send_me_my_links_is_limited_per_address(workshop, client, limits, eager_tasks):
    client.post(workshop.url, form_data(1))
    mail.outbox.clear()
    first = client.post(f"/workshops/{workshop.pk}/links/", {"email": "participant1@gouv.cd"})
    second = client.post(f"/workshops/{workshop.pk}/links/", {"email": "participant1@gouv.cd"})
    assert (first.status_code, second.status_code) == (200, 429)
    assert "sent too many times" in second.content.decode() and len(mail.outbox) == 1


def test_no_limit_when_the_cache_cannot_count(workshop, client, limits, monkeypatch, eager_tasks):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(antispam.cache, "incr", down)
    assert [client.post(workshop.url, form_data(n)).status_code for n in range(1, 6)] == [200] * 5


def test_the_honeypot_is_answered_as_a_person_and_nothing_is_done(workshop, client, eager_tasks):
    page = client.get(workshop.url).content.decode()
    assert 'class="honeypot" aria-hidden="true"' in page and 'tabindex="-1"' in page
    assert '<label for="id_website_url">' in page  # labelled, as every field

    response = client.post(workshop.url, form_data(1, website_url="http://spam.example"))
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert not Registration.objects.exists() and mail.outbox == []

    response = client.post(f"/workshops/{workshop.pk}/links/", {"email": "participant1@gouv.cd", "website_url": "x"})
    assert response.status_code == 200 and mail.outbox == []


def test_people_leave_the_honeypot_empty_and_register(workshop, client, eager_tasks):
    response = client.post(workshop.url, form_data(1, website_url=""))
    assert response.status_code == 200 and Registration.objects.count() == 1
