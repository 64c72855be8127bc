"""The whole catalogue's counts, kept current on write, so that their cost does not grow with the catalogue.

The catalogue without filters shows a count for every facet value, and the home page the count of solutions,
per SDG goal and the latest published: aggregates over every live and public solution, whose cost grows with
the catalogue. They are kept in one row (CatalogueSummary): `CatalogueSummary.objects.current()` reads it, and
when it is empty counts them (solutions.catalogue.facet_counts over SolutionPage.objects.for_catalogue(), as
with a filter) and stores the result. `CatalogueSummary.objects.changed()` empties it, inside the writer's
transaction, for every write that can change what is counted (the signals below, through `catalogue_changed`):

- a solution page saved (a publish, an import) or deleted, or its themes changed;
- a member page saved (its country) or deleted;
- a page published, unpublished or moved, and a view restriction added or removed (what is public);
- writes that send no signal (QuerySet.update(), bulk_create) by the code that makes them (the importer).

A reader stores what it counted only if the version it read is still the row's: a write committed while it
counted has moved the version, and the next reader counts again. On PostgreSQL a reader never waits for a
writer's transaction to store (`skip_locked`): it shows what it counted and leaves the row empty.
"""

import contextlib
import threading

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from members.models import MemberPage
from solutions.models import CatalogueSummary, SolutionPage

#: The columns whose change can change the counts: saves that write none of them (a draft's) leave the summary.
COUNTED_FIELDS = {
    SolutionPage: {"goal_index", "maturity", "dpg", "member", "live", "locale", "path", "last_published_at"},
    MemberPage: {"country", "live", "locale", "path"},
}


_state = threading.local()


def catalogue_changed(**kwargs):
    """Signal receiver: empty the kept summary, in the writer's transaction (fixtures being loaded excepted)."""
    if kwargs.get("raw"):  # loading fixtures
        return
    if getattr(_state, "batched", False):
        _state.changed = True
        return
    CatalogueSummary.objects.changed()


@contextlib.contextmanager
def changed_once():
    """Inside, the writes that empty the summary empty it once, when the block ends (an import saves thousands of
    pages: one UPDATE of the summary's row instead of one a page). Use it inside the writer's transaction."""
    if getattr(_state, "batched", False):  # already inside one
        yield
        return
    _state.batched, _state.changed = True, False
    try:
        yield
    finally:
        _state.batched = False
        if _state.changed:
            CatalogueSummary.objects.changed()


def _saved(sender, update_fields=None, **kwargs):
    if update_fields is not None and not COUNTED_FIELDS[sender].intersection(update_fields):
        return
    catalogue_changed(**kwargs)


def connect():
    for model in COUNTED_FIELDS:
        label = model._meta.label_lower
        post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"catalogue-summary-saved-{label}")
        post_delete.connect(catalogue_changed, sender=model, weak=False, dispatch_uid=f"catalogue-summary-del-{label}")
    m2m_changed.connect(
        catalogue_changed, sender=SolutionPage.themes.through, weak=False, dispatch_uid="catalogue-summary-themes"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            catalogue_changed,
            sender=PageViewRestriction,
            weak=False,
            dispatch_uid=f"catalogue-summary-restriction-{signal is post_save}",
        )
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished"), (post_page_move, "moved")):
        signal.connect(catalogue_changed, weak=False, dispatch_uid=f"catalogue-summary-{name}")
