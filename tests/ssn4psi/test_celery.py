"""Background tasks: eager by default, a real worker when CELERY_BROKER_URL is set (CI starts one)."""

import os

import pytest
from django.conf import settings
from django.db import connection

from ssn4psi.celery import app
from ssn4psi.tasks import check_database


@pytest.mark.django_db
@pytest.mark.skipif(bool(os.environ.get("CELERY_BROKER_URL")), reason="a broker is set: tasks go to workers")
def test_without_a_broker_tasks_run_in_process():
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert check_database.delay().get(timeout=5) == connection.vendor


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="CELERY_BROKER_URL is not set: no worker to reach")
def test_a_worker_runs_tasks_against_the_same_database_engine():
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    replies = app.control.ping(timeout=5)
    assert replies, "no Celery worker answered the ping"

    result = check_database.delay()

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    expected = "postgresql" if engine == "postgresql" else engine
    assert result.get(timeout=30) == expected
