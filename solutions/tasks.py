"""Background work of the catalogue: thin Celery wrappers around solutions.services."""

from celery import shared_task

from solutions import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_similar_solutions():
    """Rank every solution's similar solutions again and store them (queued when solutions change)."""
    return services.refresh_similar_solutions()
