"""Celery wrappers for search indexing."""

from celery import shared_task

from search import indexing


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def update_index(model_label, pks):
    """See search.indexing.update_index."""
    return indexing.update_index(model_label, pks)
