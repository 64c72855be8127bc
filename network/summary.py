"""The whole network's counts, kept current on write, so that the network page without filters reads one row.

The network page counts every member, solution, need, exchange and adoption that anonymous visitors may see
(network.overview), which costs more as the network grows. For the whole network (no filter) the counts are kept
in one row (NetworkSummary): `NetworkSummary.objects.current()` reads it, and when it is empty counts them and
stores the result. `NetworkSummary.objects.changed()` empties it, inside the writer's transaction, for every write
that can change what is counted (the signals below):

- a member, solution or workshop page saved (a publish, an import; not a draft's revision) or deleted, a page
  published, unpublished or moved, a view restriction added or removed (what is public);
- a need, an adoption or an exchange saved or deleted, and the SDG tags of a solution or a need, or the solutions
  of an exchange, changed;
- writes that send no signal (the importer's): those empty the catalogue's summary (solutions.summary), whose
  version the kept row remembers, so that a kept value older than them is never read.

Workshops and their participants are not kept: registrations change too often, and one more row to lock in their
transactions would make them wait for each other. The page counts them each time (one query).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from matchmaking.models import Exchange
from members.models import MemberPage, Need
from network.models import NetworkSummary
from solutions.models import Adoption, SolutionPage
from workshops.models import WorkshopPage

#: The columns of a page whose change can change the counts: a save that writes none of them (a draft's) is left.
COUNTED_FIELDS = {
    MemberPage: {"country", "region", "live", "locale", "path"},
    SolutionPage: {"goal_index", "member", "live", "locale", "path"},
    WorkshopPage: {"live", "locale", "path"},
}
#: Rows that are counted whatever their change.
COUNTED_ROWS = (Need, Adoption, Exchange, PageViewRestriction)
#: Relations whose change can change the counts.
COUNTED_RELATIONS = (
    SolutionPage.sdg_targets.through,
    SolutionPage.sdg_goals.through,
    Need.sdg_targets.through,
    Need.sdg_goals.through,
    Exchange.solutions.through,
)


def network_changed(**kwargs):
    """Signal receiver: empty the kept counts, in the writer's transaction (fixtures being loaded excepted)."""
    if kwargs.get("raw"):
        return
    NetworkSummary.objects.changed()


def _page_saved(sender, update_fields=None, **kwargs):
    if update_fields is not None and not COUNTED_FIELDS[sender].intersection(update_fields):
        return
    network_changed(**kwargs)


def _relation_changed(action="", **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        network_changed(**kwargs)


def connect():
    for model in COUNTED_FIELDS:
        label = model._meta.label_lower
        post_save.connect(_page_saved, sender=model, weak=False, dispatch_uid=f"network-summary-saved-{label}")
        post_delete.connect(network_changed, sender=model, weak=False, dispatch_uid=f"network-summary-del-{label}")
    for model in COUNTED_ROWS:
        label = model._meta.label_lower
        post_save.connect(network_changed, sender=model, weak=False, dispatch_uid=f"network-summary-saved-{label}")
        post_delete.connect(network_changed, sender=model, weak=False, dispatch_uid=f"network-summary-del-{label}")
    for through in COUNTED_RELATIONS:
        label = through._meta.label_lower
        m2m_changed.connect(_relation_changed, sender=through, weak=False, dispatch_uid=f"network-summary-{label}")
    for signal, name in ((page_published, "published"), (page_unpublished, "unpublished"), (post_page_move, "moved")):
        signal.connect(network_changed, weak=False, dispatch_uid=f"network-summary-{name}")
