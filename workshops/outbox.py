"""E-mails of registrations that are never lost (a transactional outbox).

Each step of a registration writes the e-mail it owes into `OutboxEmail` in the step's own transaction, and
queues the Celery task after the commit. The task sends it and marks it done. When the broker cannot be
reached at that moment, the step still succeeds (the participant sees their page, not an error) and the
e-mail waits in the outbox: `resend_unsent` (Celery beat every five minutes, or `manage.py
send_pending_emails` from cron where no beat runs) queues it again until it is sent or no longer due.

Nothing is sent twice: a task sends an e-mail only after claiming its row (`claim`, one UPDATE that only one
task can win), and marks it done right after the mail server took it. A task delivered twice, queued again by
`resend_unsent` while a retry is pending, or retried after another task sent it finds the row claimed or done
and sends nothing. When sending fails, the claim is released for the next attempt. A claim older than
CLAIM_TIMEOUT (its worker died) is taken again: the one case where an e-mail can go twice is a worker killed
between the mail server accepting it and the row being marked, a window of one database write."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ssn4psi.tasks import enqueue

#: An unsent e-mail is queued again after this long (the normal path has had its chance by then) ...
RETRY_AFTER = datetime.timedelta(minutes=2)
#: ... at most this many times, after which it stays in the outbox for an organiser to see.
MAX_ATTEMPTS = 50
#: A claim this old is the claim of a worker that died while sending: the e-mail may be claimed again.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def owe(registration, event):
    """Record that `registration` is owed the e-mail of `event`, and queue it once the transaction commits."""
    from workshops.models import OutboxEmail

    email = OutboxEmail.objects.create(registration=registration, event=event, status=registration.status)
    transaction.on_commit(lambda: publish(email.registration_id, email.event, email.status, email.pk))
    return email


def publish(registration_id, event, status, email_id):
    """Hand the e-mail to Celery; False when the broker cannot be reached (ssn4psi.tasks.enqueue logs it): the
    outbox keeps it."""
    from workshops.tasks import send_registration_email

    return enqueue(send_registration_email, registration_id, event, status, email_id)


def _claimable(now):
    return Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)


def claim(email_id, now=None):
    """Take the e-mail `email_id` for sending: True for the one caller that gets it, False when it is done or
    another is sending it."""
    from workshops.models import OutboxEmail

    now = now or timezone.now()
    return bool(OutboxEmail.objects.filter(_claimable(now), pk=email_id, done_at=None).update(claimed_at=now))


def release(email_id):
    """Give up a claim after a failed attempt: the next attempt (a retry, resend_unsent) may claim it."""
    from workshops.models import OutboxEmail

    OutboxEmail.objects.filter(pk=email_id, done_at=None).update(claimed_at=None)


def mark_done(email_id):
    """The e-mail was sent, or is no longer due (the registration moved on, or was anonymised)."""
    from workshops.models import OutboxEmail

    OutboxEmail.objects.filter(pk=email_id).update(done_at=timezone.now())


def owed_email_id(registration_id, event, status):
    """The unsent outbox row of an e-mail named the earlier way (a task queued before rows were named), or
    None."""
    from workshops.models import OutboxEmail

    owed = OutboxEmail.objects.filter(registration_id=registration_id, event=event, done_at=None)
    if status is not None:
        owed = owed.filter(status=status)
    return owed.order_by("pk").values_list("pk", flat=True).first()


def resend_unsent(now=None):
    """Queue again the e-mails still unsent RETRY_AFTER after they were owed. Returns how many were queued."""
    from django.db.models import F

    from workshops.models import OutboxEmail

    now = now or timezone.now()
    due = OutboxEmail.objects.filter(
        _claimable(now), done_at=None, created_at__lte=now - RETRY_AFTER, attempts__lt=MAX_ATTEMPTS
    )
    queued = 0
    for pk, registration_id, event, status in list(due.values_list("pk", "registration_id", "event", "status")):
        OutboxEmail.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
        if publish(registration_id, event, status or None, pk):
            queued += 1
    return queued
