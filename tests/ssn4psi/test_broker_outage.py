"""The broker down, for real: Celery sends to a closed port. Pages and registrations answer at once, the e-mail
waits in the outbox, the search index is updated in the web process, recomputes wait for the next task, and
/healthz says the broker is down."""

import socket
import time

import pytest
from django.core import mail

from members.models import MemberPage
from ssn4psi.celery import app
from ssn4psi.models import Refresh
from ssn4psi.tasks import enqueue
from tests.workshops.conftest import form_data
from workshops.models import OutboxEmail, Registration

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def broker_closed(monkeypatch, settings):
    """Tasks go to a Redis broker that nobody listens on, whether or not the run has a real broker."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", url)
    monkeypatch.setitem(app.conf, "broker_write_url", url)
    monkeypatch.setitem(app.conf, "result_backend", url)  # as the settings have it with a broker
    # Celery keeps the connection pools and the result store it first used: start from none.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    monkeypatch.setattr(app, "_backend_cache", None)
    monkeypatch.delattr(app._local, "backend", raising=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return url


def test_queueing_gives_up_at_once_and_says_so(broker_closed, caplog):
    from search.tasks import update_index

    started = time.monotonic()
    assert enqueue(update_index, "members.memberpage", [1]) is False
    # Celery's defaults waited 19 s here (result store reconnections) and then raised.
    assert time.monotonic() - started < 5
    assert "not queued, the broker cannot be reached" in caplog.text


def test_a_registration_answers_and_its_email_waits(make_workshop, broker_closed, client):
    workshop = make_workshop()
    response = client.post(workshop.url, form_data(1))
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    registration = Registration.objects.get(email="participant1@gouv.cd")
    assert OutboxEmail.objects.filter(registration=registration, event="confirm", done_at=None).exists()
    assert mail.outbox == []


def test_an_edit_is_saved_and_searchable_and_its_recompute_waits(small_world, broker_closed, admin_client):
    member = MemberPage.objects.get(key="phl-barmm")
    before = Refresh.objects.filter(name="recommendations").values_list("requested", "done").first() or (0, 0)
    member.summary = "Bangsamoro: digital land registry wanted"
    member.save_revision().publish()

    after = Refresh.objects.get(name="recommendations")
    assert after.requested > before[0] and after.done == before[1]  # asked for (revision, publish), waiting
    found = MemberPage.objects.live().search("registry", operator="and")
    assert member.pk in [page.pk for page in found]  # indexed in the web process
    assert admin_client.get(member.url).status_code == 200


def test_health_names_the_broker(broker_closed, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down: OperationalError"
    assert response.json()["database"] == "ok"
