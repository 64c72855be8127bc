"""E-mails are never lost: a broker that is down when a step commits delays the e-mail, the outbox sends it
later, and an e-mail no longer due is dropped."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.workshops.conftest import details
from workshops import services, tasks
from workshops.models import OutboxEmail
from workshops.models import RegistrationStatus as S
from workshops.outbox import RETRY_AFTER, resend_unsent

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_registration_email, "delay", refuse)
    return monkeypatch


def later():
    return timezone.now() + RETRY_AFTER + datetime.timedelta(seconds=1)


def test_a_step_commits_and_its_email_waits_when_the_broker_is_down(workshop, broker_down, eager_tasks):
    registration = services.register(workshop, **details(1))
    assert registration.pk and mail.outbox == []
    owed = OutboxEmail.objects.get(registration=registration)
    assert (owed.event, owed.done_at) == ("confirm", None)

    assert resend_unsent(later()) == 0  # still down: kept, attempt counted
    assert OutboxEmail.objects.get(pk=owed.pk).attempts == 1

    broker_down.undo()
    assert resend_unsent(timezone.now()) == 0  # too early: the normal path may still deliver it
    assert resend_unsent(later()) == 1
    [message] = mail.outbox
    assert message.to == ["participant1@gouv.cd"] and "/registrations/confirm/" in message.body
    assert OutboxEmail.objects.get(pk=owed.pk).done_at is not None
    assert resend_unsent(later()) == 0  # sent once, never again


def test_an_email_sent_at_once_is_marked_done(workshop, eager_tasks):
    registration = services.register(workshop, **details(1))
    assert len(mail.outbox) == 1
    assert not OutboxEmail.objects.filter(registration=registration, done_at=None).exists()


def test_an_email_no_longer_due_is_dropped_not_sent(workshop, broker_down, eager_tasks):
    registration = services.confirm(services.register(workshop, **details(1)))
    services.cancel(registration)
    broker_down.undo()
    assert resend_unsent(later()) == 3  # confirm link, confirmed, cancelled: all queued again
    # Only the last step's e-mail is still due; the earlier ones are dropped when their step has passed.
    assert [message.subject for message in mail.outbox] == [
        "Registration cancelled: DR Congo and a2i: knowledge-sharing session"
    ]
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED
    assert not OutboxEmail.objects.filter(done_at=None).exists()


def test_the_command_queues_what_is_pending(workshop, broker_down, eager_tasks, capsys):
    services.register(workshop, **details(1))
    broker_down.undo()
    OutboxEmail.objects.update(created_at=timezone.now() - 2 * RETRY_AFTER)
    call_command("send_pending_emails")
    assert "1 e-mail(s) queued again." in capsys.readouterr().out
    assert len(mail.outbox) == 1


# Nothing twice: each e-mail is claimed before it is sent (workshops.outbox.claim).


def owed_row(registration):
    return OutboxEmail.objects.filter(registration=registration).order_by("pk").last()


def test_a_task_delivered_twice_sends_once(workshop, broker_down):
    registration = services.register(workshop, **details(1))
    broker_down.undo()
    row = owed_row(registration)
    arguments = (registration.pk, row.event, row.status, row.pk)
    assert tasks.send_registration_email(*arguments) is True
    assert tasks.send_registration_email(*arguments) is False  # the broker delivered it again
    assert len(mail.outbox) == 1


def test_smtp_down_then_up_sends_once_whatever_was_queued_meanwhile(workshop, broker_down, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    registration = services.register(workshop, **details(1))
    broker_down.undo()
    row = owed_row(registration)
    arguments = (registration.pk, row.event, row.status, row.pk)

    def smtp_down(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailBackend, "send_messages", smtp_down)
    with pytest.raises(OSError):
        tasks.send_registration_email(*arguments)  # Celery would retry it later
    assert OutboxEmail.objects.get(pk=row.pk).claimed_at is None  # released for the next attempt
    monkeypatch.undo()
    broker_down.setattr(tasks.send_registration_email, "delay", lambda *args: queued.append(args))
    queued = []
    assert resend_unsent(later()) == 1  # the outbox queues it again while the retry is pending
    assert tasks.send_registration_email(*queued[0]) is True
    assert tasks.send_registration_email(*arguments) is False  # the pending retry finds it sent
    assert len(mail.outbox) == 1


def test_a_worker_killed_while_sending_leaves_it_for_a_later_attempt(workshop, broker_down):
    from workshops.outbox import CLAIM_TIMEOUT, claim

    registration = services.register(workshop, **details(1))
    row = owed_row(registration)
    assert claim(row.pk) is True  # a worker claimed it, then died before sending
    assert claim(row.pk) is False  # nobody else may take it meanwhile
    queued = []
    broker_down.setattr(tasks.send_registration_email, "delay", lambda *args: queued.append(args))
    assert resend_unsent(later()) == 0 and queued == []  # still claimed: not queued again
    after_the_claim_timed_out = timezone.now() + CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    assert resend_unsent(after_the_claim_timed_out) == 1
    OutboxEmail.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - CLAIM_TIMEOUT * 2)
    assert tasks.send_registration_email(*queued[0]) is True
    assert len(mail.outbox) == 1 and OutboxEmail.objects.get(pk=row.pk).done_at is not None
