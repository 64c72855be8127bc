"""Recompute the recommendations after a transaction changes what the matcher reads.

Members, needs, solutions, adoptions and exchanges all feed the matcher, and so do the view restrictions of
pages (it sees the public network only). A change to any of them inside a
transaction queues one refresh for its commit (a rolled-back change queues nothing); pages never compute
the graph themselves."""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_state = threading.local()


def queue_refresh(**kwargs):
    """Ask for one recompute at the end of the current transaction (coalesced with the others asked for
    meanwhile: matchmaking.tasks)."""
    if kwargs.get("raw"):  # loading fixtures
        return
    # One callback per change, but the first to run sends the task and the others find nothing to do.
    # What a rolled-back transaction marked goes with the next commit: one refresh too many, never one short.
    _state.changed = True
    transaction.on_commit(_send)


def _send():
    from matchmaking.tasks import request_refresh

    if getattr(_state, "changed", False):
        _state.changed = False
        request_refresh()


def connect():
    from wagtail.models import PageViewRestriction

    from matchmaking.models import Exchange
    from members.models import MemberPage, Need
    from solutions.models import Adoption, SolutionPage

    for model in (MemberPage, Need, SolutionPage, Adoption, Exchange, PageViewRestriction):
        post_save.connect(queue_refresh, sender=model, weak=False, dispatch_uid=f"matcher-saved-{model.__name__}")
        post_delete.connect(queue_refresh, sender=model, weak=False, dispatch_uid=f"matcher-deleted-{model.__name__}")
    m2m_changed.connect(
        queue_refresh, sender=Exchange.solutions.through, weak=False, dispatch_uid="matcher-exchange-solutions"
    )
