from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Ssn4psiConfig(AppConfig):
    """The core: settings helpers, the shared vocabulary (SDG framework, themes), fields and template tags."""

    name = "ssn4psi"
    verbose_name = _("SSN4PSI")

    def ready(self):
        from ssn4psi import converters, page_cache, site_pages

        converters.register()
        page_cache.connect_signals()
        site_pages.connect_signals()
