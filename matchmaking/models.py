"""Exchanges: a provider sharing solutions with a learner, optionally facilitated (triangular cooperation)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ssn4psi.vocabulary import ExchangeStatus


class ExchangeQuerySet(models.QuerySet):
    def involving(self, member):
        """Exchanges where `member` is the provider, the learner or the facilitator, newest first."""
        return self.filter(Q(provider=member) | Q(learner=member) | Q(facilitator=member)).order_by(
            models.F("date").desc(nulls_last=True), "key"
        )


class Exchange(models.Model):
    """A directed pairing provider -> learner around one or more solutions, with an optional facilitator.

    The status follows the exchange through its life (proposed, agreed, knowledge shared, agreement
    signed, replicating, completed, or dropped).
    """

    key = models.SlugField(max_length=80, unique=True)
    provider = models.ForeignKey("members.MemberPage", on_delete=models.PROTECT, related_name="exchanges_provided")
    learner = models.ForeignKey("members.MemberPage", on_delete=models.PROTECT, related_name="exchanges_learned")
    facilitator = models.ForeignKey(
        "members.MemberPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="exchanges_facilitated"
    )
    solutions = models.ManyToManyField("solutions.SolutionPage", blank=True, related_name="exchanges")
    status = models.CharField(
        _("status"), max_length=20, choices=ExchangeStatus.choices, default=ExchangeStatus.PROPOSED
    )
    date = models.DateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.CheckConstraint(condition=~Q(provider=models.F("learner")), name="exchange_between_two_members")
        ]

    def __str__(self):
        return f"{self.provider} → {self.learner}"
