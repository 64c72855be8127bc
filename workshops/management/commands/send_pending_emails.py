"""Queue again the registration e-mails still in the outbox (for sites that run cron rather than Celery beat)."""

from django.core.management.base import BaseCommand

from workshops.outbox import resend_unsent


class Command(BaseCommand):
    help = "Queue again the registration e-mails that could not be queued or sent earlier (workshops.outbox)."

    def handle(self, *args, **options):
        queued = resend_unsent()
        self.stdout.write(f"{queued} e-mail(s) queued again.")
