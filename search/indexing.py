"""Keeping the search index in step with published content, in batches, after the transaction commits.

The search backends' own per-save updates are off (AUTO_UPDATE: False in settings): on PostgreSQL each
of them rescans the whole index, so an import of hundreds of pages would take minutes. Instead, every
save or delete of an indexed object inside a transaction adds it to a batch, and one Celery task per
transaction indexes the batch once the data is committed (a rolled-back write indexes nothing).
"""

import threading
from collections import defaultdict

from django.apps import apps
from django.db import transaction
from modelsearch.index import class_is_indexed

_pending = threading.local()


def queue_reindex(instance):
    """Index `instance` (or take it out of the index if it is gone or not live) after the commit."""
    model = type(instance)
    if not class_is_indexed(model) or instance.pk is None:
        return
    batch = getattr(_pending, "batch", None)
    if batch is None:
        batch = _pending.batch = defaultdict(set)
    batch[model._meta.label].add(instance.pk)
    # One callback per object, but the first to run sends the whole batch and the others find it empty.
    # Callbacks of a rolled-back transaction are dropped; what they queued goes with the next batch, where
    # objects that no longer exist are simply removed from the index.
    transaction.on_commit(_send_batch)


def _send_batch():
    from search.tasks import update_index

    batch, _pending.batch = getattr(_pending, "batch", None) or {}, None
    for label, pks in batch.items():
        update_index.delay(label, sorted(pks))


def update_index(model_label, pks):
    """Index the objects among `pks` that still exist and remove the others from every search backend.

    Drafts stay indexed for the admin's search; public searches filter on `live`."""
    from wagtail.search.backends import get_search_backends

    model = apps.get_model(model_label)
    found = list(model._default_manager.filter(pk__in=pks))
    gone = set(pks) - {obj.pk for obj in found}
    for backend in get_search_backends():
        if found:
            backend.add_bulk(model, found)
        for pk in gone:
            stale = model(pk=pk)
            backend.delete(stale)
    return {"indexed": len(found), "removed": len(gone)}
