from django.db import models
from django.utils.translation import gettext_lazy as _


class Refresh(models.Model):
    """One kind of work redone from the whole of the content (the recommendations, the similar solutions): how
    many times it was asked for and up to which request it was done, and since when a task runs it
    (ssn4psi.refresh)."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    requested = models.PositiveBigIntegerField(_("requests"), default=0)
    done = models.PositiveBigIntegerField(_("requests done"), default=0)
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("refresh")

    def __str__(self):
        return self.name
