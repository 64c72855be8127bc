"""Background work of workshops: thin Celery wrappers (e-mails, expired offers)."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_registration_email(registration_id, event, status=None, email_id=None):
    """Send the e-mail of one step of a registration, its outbox row `email_id` claimed first, so that it goes
    once whatever the retries and redeliveries (workshops.outbox). Retried when the mail server cannot be
    reached. A step the registration has already left (`status` differs from the current one), or an anonymised
    registration (its address is gone), sends nothing."""
    from workshops.emails import registration_email
    from workshops.models import Registration
    from workshops.outbox import claim, mark_done, owed_email_id, release

    if email_id is None:  # queued before the rows were named
        email_id = owed_email_id(registration_id, event, status)
    if email_id is None or not claim(email_id):
        return False  # sent, no longer due, or being sent by another task
    registration = Registration.objects.select_related("workshop").filter(pk=registration_id).first()
    if registration is None or registration.anonymised_at or (status is not None and registration.status != status):
        mark_done(email_id)
        return False
    try:
        registration_email(registration, event).send()
    except BaseException:
        release(email_id)
        raise
    mark_done(email_id)
    return True


@shared_task
def expire_offers():
    """Hand on the freed places whose offer nobody accepted in time (run periodically by Celery beat)."""
    from workshops.services import expire_offers as expire

    return expire()


@shared_task
def send_reminders():
    """E-mail the reminders due (run periodically by Celery beat)."""
    from workshops.reminders import send_reminders as send

    return send()


@shared_task
def resend_unsent_emails():
    """Queue again the registration e-mails that could not be queued or sent (run by Celery beat)."""
    from workshops.outbox import resend_unsent

    return resend_unsent()
