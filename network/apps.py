from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The top layer: the network as a whole (home page, network page, catalogue format, site set-up), above every
    app."""

    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from network import summary

        summary.connect()
