"""Recompute the recommendations after a transaction changes what the matcher reads.

Members, needs, solutions, adoptions and exchanges all feed the matcher. A change to any of them inside a
transaction queues one refresh for its commit (a rolled-back change queues nothing); pages never compute
the graph themselves."""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_state = threading.local()


def queue_refresh(**kwargs):
    """Queue one refresh_recommendations task for the end of the current transaction."""
    if kwargs.get("raw"):  # loading fixtures
        return
    connection_key = id(transaction.get_connection())
    pending = getattr(_state, "pending", set())
    if connection_key in pending and transaction.get_connection().in_atomic_block:
        return
    pending.add(connection_key)
    _state.pending = pending
    transaction.on_commit(_send)


def _send():
    from matchmaking.tasks import refresh_recommendations

    _state.pending = set()
    refresh_recommendations.delay()


def connect():
    from matchmaking.models import Exchange
    from members.models import MemberPage, Need
    from solutions.models import Adoption, SolutionPage

    for model in (MemberPage, Need, SolutionPage, Adoption, Exchange):
        post_save.connect(queue_refresh, sender=model, weak=False, dispatch_uid=f"matcher-saved-{model.__name__}")
        post_delete.connect(queue_refresh, sender=model, weak=False, dispatch_uid=f"matcher-deleted-{model.__name__}")
    m2m_changed.connect(
        queue_refresh, sender=Exchange.solutions.through, weak=False, dispatch_uid="matcher-exchange-solutions"
    )
