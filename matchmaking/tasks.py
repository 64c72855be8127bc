"""Background work of the matcher: thin Celery wrappers around matchmaking.recommendations."""

from celery import shared_task

from ssn4psi import refresh

#: The name under which recompute requests are counted (ssn4psi.refresh).
REFRESH = "recommendations"


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_recommendations(ask=False):
    """Recompute and store every learner's recommendations when a change asked for it and no other task is
    doing it (ssn4psi.refresh: coalesced); the counts of the last run, or None when there was nothing to do.
    Queued after changes, and run by Celery beat every minute to catch up on what could not be queued. With
    `ask`, counts a request of its own first: run even when nothing changed (to check a worker can run it)."""
    from matchmaking.recommendations import refresh_recommendations as recompute

    if ask:
        refresh.ask(REFRESH)
    return refresh.run(REFRESH, recompute)


def request_refresh():
    """Ask for the recommendations to be recomputed (after a committed change)."""
    refresh.request(REFRESH, refresh_recommendations)
