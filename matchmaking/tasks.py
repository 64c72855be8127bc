"""Background work of the matcher: thin Celery wrappers around matchmaking.recommendations."""

from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_recommendations():
    """Recompute and store every learner's recommendations (queued when published content changes)."""
    from matchmaking.recommendations import refresh_recommendations as refresh

    return refresh()
