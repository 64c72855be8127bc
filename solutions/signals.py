"""Rank the similar solutions again after a transaction changes what the ranking reads.

The ranking (solutions.similarity) reads the solutions' titles, DPG status, tags, language and whether they are
live and public. Publishing (which saves the tags with the page), unpublishing, moving or deleting a solution, and
adding or removing a view restriction (on a solution or on a page above it), or moving a page above one, queue one
refresh for the transaction's commit (a rolled-back change queues nothing); pages never rank solutions themselves.
Saving a draft changes nothing anyone sees, and queues nothing."""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from members.models import MemberPage
from solutions import tasks
from solutions.models import SolutionPage

_state = threading.local()

#: The columns of a solution's page row the ranking reads: a save that writes none of them (a draft's) is left.
RANKED_FIELDS = {"title", "dpg", "goal_index", "live", "locale", "translation_key", "path", "url_path"}


def queue_refresh(**kwargs):
    """Ask for one ranking of the similar solutions at the end of the current transaction (coalesced with the
    others asked for meanwhile: solutions.tasks)."""
    if kwargs.get("raw"):  # loading fixtures
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not RANKED_FIELDS.intersection(update_fields):
        return
    # One callback per change, but the first to run sends the task and the others find nothing to do; what a
    # rolled-back transaction marked goes with the next commit: one refresh too many, never one short.
    _state.changed = True
    transaction.on_commit(_send)


def _send():
    if getattr(_state, "changed", False):
        _state.changed = False
        tasks.request_refresh()


def keep_owner(sender, instance, parent_page_after, **kwargs):
    """A solution moved under another member page is that member's: Wagtail saves a moved page as a plain Page,
    which does not run SolutionPage.save(), where the owner is kept from the tree."""
    if issubclass(sender, SolutionPage):
        owner = MemberPage.objects.filter(pk=parent_page_after.pk).first()
        SolutionPage.objects.filter(pk=instance.pk).update(member=owner)


def connect():
    post_page_move.connect(keep_owner, weak=False, dispatch_uid="solution-owner-moved")
    post_save.connect(queue_refresh, sender=SolutionPage, weak=False, dispatch_uid="similar-solution-saved")
    post_delete.connect(queue_refresh, sender=SolutionPage, weak=False, dispatch_uid="similar-solution-deleted")
    # A restriction or a move can hide or show a solution without saving it (on a page above it).
    post_save.connect(queue_refresh, sender=PageViewRestriction, weak=False, dispatch_uid="similar-restriction-saved")
    post_delete.connect(
        queue_refresh, sender=PageViewRestriction, weak=False, dispatch_uid="similar-restriction-deleted"
    )
    post_page_move.connect(queue_refresh, weak=False, dispatch_uid="similar-solution-page-moved")
