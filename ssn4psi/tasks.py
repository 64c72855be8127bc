"""Site-wide background tasks."""

from celery import shared_task
from django.db import connection


@shared_task
def check_database():
    """Run a query on the worker's database connection and name its engine: a health check that the
    workers reach the same database as the web processes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor
