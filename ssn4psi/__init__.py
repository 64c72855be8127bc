"""SSN4PSI platform: settings, URLs, the Celery app, the home page and the shared vocabulary."""

from .celery import app as celery_app

__all__ = ["celery_app"]
