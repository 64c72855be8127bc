"""Background work of the catalogue: thin Celery wrappers around solutions.services."""

from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_similar_solutions():
    """Rank every solution's similar solutions again and store them (queued when solutions change)."""
    # The ranking's module loads numpy and scipy: imported when the task runs, so that the web processes, which
    # only queue it, never load them (tests/matchmaking/test_web_imports.py).
    from solutions import services

    return services.refresh_similar_solutions()
