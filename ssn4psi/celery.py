"""The Celery application. Tasks live in each app's tasks.py and only wrap its services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssn4psi.settings.dev")

app = Celery("ssn4psi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
