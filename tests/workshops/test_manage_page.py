"""The participant's own page: cancelling asks first; a place offered from the waiting list can be accepted there."""

from tests.workshops.conftest import details
from workshops import services
from workshops.models import Registration
from workshops.models import RegistrationStatus as S
from workshops.tokens import make_token


def manage_url(registration):
    return f"/registrations/manage/{make_token(registration, 'manage')}/"


def test_cancelling_asks_for_confirmation_first(make_workshop, client):
    registration = services.confirm(services.register(make_workshop(), **details(1)))
    url = manage_url(registration)
    page = client.get(url).content.decode()
    assert 'value="cancel"' not in page and 'href="?action=cancel"' in page  # one click does not cancel
    asking = client.get(url, {"action": "cancel"}).content.decode()
    assert "Yes, cancel my registration" in asking and 'value="cancel"' in asking and "No, keep it" in asking
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED  # asking changed nothing
    assert client.post(url, {"action": "cancel"}).status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED


def test_a_place_offered_is_accepted_from_the_manage_page(make_workshop, client):
    workshop = make_workshop(capacity=1)
    first, second = services.register(workshop, **details(1)), services.register(workshop, **details(2))
    services.confirm(first)
    services.confirm(second)
    services.cancel(first)
    offered = Registration.objects.get(pk=second.pk)
    assert offered.status == S.PROMOTED
    page = client.get(manage_url(offered)).content.decode()
    assert 'value="accept"' in page and "Accept the place" in page
    assert client.post(manage_url(offered), {"action": "accept"}).status_code == 302
    assert Registration.objects.get(pk=second.pk).status == S.CONFIRMED
    # Nothing left to accept: refused with a message, nothing changed.
    again = client.post(manage_url(offered), {"action": "accept"})
    assert again.status_code == 400 and Registration.objects.get(pk=second.pk).status == S.CONFIRMED
    assert 'value="accept"' not in client.get(manage_url(offered)).content.decode()


def test_a_manage_link_works_until_the_data_is_due_for_deletion(make_workshop, client, settings, monkeypatch):
    import datetime
    import time

    from django.utils import timezone

    settings.WORKSHOPS_REGISTRATION_RETENTION_DAYS = 30
    # A workshop far ahead: its link still works 450 days after it was sent (no fixed lifetime).
    start = timezone.now() + datetime.timedelta(days=500)
    later = services.register(make_workshop(start=start, end=start + datetime.timedelta(hours=2)), **details(1))
    url = manage_url(later)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 450 * 24 * 3600)
    assert client.get(url).status_code == 200
    monkeypatch.undo()
    # A workshop that ended more than the retention period ago, not yet purged: the link no longer works.
    ended = timezone.now() - datetime.timedelta(days=31)
    past = make_workshop(start=ended - datetime.timedelta(hours=2), end=ended, registration_closes=None)
    registration = services.register(make_workshop(), **details(2))
    Registration.objects.filter(pk=registration.pk).update(workshop=past)
    response = client.get(manage_url(registration))
    assert response.status_code == 400 and "expired" in response.content.decode().lower()
    settings.WORKSHOPS_REGISTRATION_RETENTION_DAYS = 60
    assert client.get(manage_url(registration)).status_code == 200
