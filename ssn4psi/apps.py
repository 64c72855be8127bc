from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Ssn4psiConfig(AppConfig):
    name = "ssn4psi"
    verbose_name = _("SSN4PSI")

    def ready(self):
        from ssn4psi import page_cache
        from ssn4psi.models import vocabulary
        from ssn4psi.routing import connect_signals

        connect_signals()
        vocabulary.connect_signals()
        page_cache.connect_signals()
