from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from matchmaking.models import Exchange
        from search.indexing import queue_reindex

        def on_change(sender, instance, **kwargs):
            # A page is indexed as its most specific class (a SolutionPage, not its Page row).
            queue_reindex(instance.specific_deferred if hasattr(instance, "specific_deferred") else instance)
            # A workshop outcome is searched as part of its exchange's outcomes.
            if sender._meta.label == "workshops.WorkshopOutcome" and instance.exchange_id:
                queue_reindex(Exchange(pk=instance.exchange_id))

        def on_solutions_changed(sender, instance, action, reverse, pk_set, **kwargs):
            if not action.startswith("post_"):
                return
            for exchange in [Exchange(pk=pk) for pk in pk_set or ()] if reverse else [instance]:
                queue_reindex(exchange)

        post_save.connect(on_change, weak=False, dispatch_uid="search-object-saved")
        post_delete.connect(on_change, weak=False, dispatch_uid="search-object-deleted")
        m2m_changed.connect(
            on_solutions_changed,
            sender=Exchange.solutions.through,
            weak=False,
            dispatch_uid="search-exchange-solutions",
        )
