"""Background work of the catalogue: thin Celery wrappers around solutions.services."""

from celery import shared_task

from ssn4psi import refresh

#: The name under which ranking requests are counted (ssn4psi.refresh).
REFRESH = "similar_solutions"


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_similar_solutions():
    """Rank every solution's similar solutions again and store them when a change asked for it and no other
    task is doing it (ssn4psi.refresh: coalesced); None when there was nothing to do. Queued after changes, and
    run by Celery beat every minute to catch up on what could not be queued."""
    # The ranking's module loads numpy and scipy: imported when the task runs, so that the web processes, which
    # only queue it, never load them (tests/matchmaking/test_web_imports.py).
    from solutions import services

    return refresh.run(REFRESH, services.refresh_similar_solutions)


def request_refresh():
    """Ask for the similar solutions to be ranked again (after a committed change)."""
    refresh.request(REFRESH, refresh_similar_solutions)
