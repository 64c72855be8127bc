"""Site-wide background tasks, and how the apps queue theirs."""

import logging

from celery import shared_task
from django.db import connection
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args):
    """Queue `task` with `args` for a worker; True when the broker took it.

    A broker that cannot be reached is logged, not raised: what queued the task has committed and the page that
    asked answers as usual. Each caller says what catches up (the registration outbox, a later refresh...)."""
    try:
        task.delay(*args)
    except (OperationalError, OSError) as error:
        logger.warning("Task %s not queued, the broker cannot be reached: %r", task.name, error)
        return False
    return True


@shared_task(ignore_result=False)
def check_database():
    """Run a query on the worker's database connection and name its engine: a health check that the
    workers reach the same database as the web processes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor
