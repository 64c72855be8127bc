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

from ssn4psi.page_cache import content_changed
from ssn4psi.tasks import enqueue

_pending = threading.local()


def _is_tracked(model):
    """Indexed by Wagtail, or a kind the site search indexes on its own (a member's needs)."""
    from search.documents import TYPE_OF_LABEL

    return class_is_indexed(model) or model._meta.label in TYPE_OF_LABEL


def queue_reindex(instance):
    """Index `instance` (or take it out of the index if it is gone or not live) after the commit."""
    model = type(instance)
    if instance.pk is None or not _is_tracked(model):
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
    from search import tasks

    batch, _pending.batch = getattr(_pending, "batch", None) or {}, None
    for label, pks in batch.items():
        # With the broker down, indexed here and now: the search stays exact, this request is slower.
        if not enqueue(tasks.update_index, label, sorted(pks)):
            update_index(label, sorted(pks))


def update_index(model_label, pks):
    """Index the objects among `pks` that still exist and remove the others from every search backend:
    Wagtail's (the admin's search, and the site search's database backend), then the site search's own
    backend when it keeps a separate index (Elasticsearch), which holds public objects only.

    Drafts stay in Wagtail's index for the admin's search; public searches filter on `live`."""
    from wagtail.search.backends import get_search_backends

    model = apps.get_model(model_label)
    found = list(model._default_manager.filter(pk__in=pks))
    gone = set(pks) - {obj.pk for obj in found}
    if class_is_indexed(model):
        for backend in get_search_backends():
            if found:
                backend.add_bulk(model, found)
            for pk in gone:
                stale = model(pk=pk)
                backend.delete(stale)
    site_index = _site_index_update(model_label, pks)
    # Pages show what the index finds (similar solutions, search results), and it changed after the commit.
    content_changed()
    return {"indexed": len(found), "removed": len(gone), **site_index}


def _site_index_update(model_label, pks):
    """Give the configured site-search backend the documents of `pks` (and what their change touches) when
    it keeps its own index; the database backend reads Wagtail's index, updated above."""
    from django.conf import settings

    config = getattr(settings, "SEARCH_BACKEND", {}) or {}
    if config.get("BACKEND", "search.backends.database") == "search.backends.database":
        return {}
    from search.backends import get_backend
    from search.documents import documents_for

    documents, removed = documents_for(model_label, pks)
    if documents or removed:
        get_backend().update(documents, removed)
    return {"documents": len(documents), "removed_documents": len(removed)}
