from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from search.indexing import queue_reindex

        def on_change(sender, instance, **kwargs):
            # A page is indexed as its most specific class (a SolutionPage, not its Page row).
            queue_reindex(instance.specific_deferred if hasattr(instance, "specific_deferred") else instance)

        post_save.connect(on_change, weak=False, dispatch_uid="search-object-saved")
        post_delete.connect(on_change, weak=False, dispatch_uid="search-object-deleted")
