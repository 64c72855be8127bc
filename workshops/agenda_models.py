"""The meeting agenda of a matchmaking workshop: its settings (tables, meetings per delegation, slot
length) and its meetings (who meets whom, in which slot, at which table). Written by workshops.agenda."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The audit-log action recorded on the workshop page for every change to its agenda (workshops.agenda writes
#: it, workshops.agenda_hooks registers its wording).
AGENDA_LOG_ACTION = "workshops.agenda.change"


class MeetingAgenda(models.Model):
    """How a workshop's meetings are laid out: `tables` tables, slots of `slot_minutes` from the workshop's
    start to its end, at most `max_meetings_per_learner` meetings for a learner delegation and
    `max_meetings_per_provider` for a provider delegation. One per matchmaking workshop."""

    workshop = models.OneToOneField(
        "workshops.WorkshopPage", on_delete=models.CASCADE, related_name="meeting_agenda", verbose_name=_("workshop")
    )
    tables = models.PositiveSmallIntegerField(
        _("number of tables"), default=10, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    max_meetings_per_learner = models.PositiveSmallIntegerField(
        _("meetings per learner delegation, at most"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    max_meetings_per_provider = models.PositiveSmallIntegerField(
        _("meetings per provider delegation, at most"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    proposed_at = models.DateTimeField(_("last proposed"), null=True, blank=True)

    #: However long the workshop, an agenda has at most this many slots.
    MAX_SLOTS = 96

    class Meta:
        verbose_name = _("meeting agenda")
        verbose_name_plural = _("meeting agendas")

    def __str__(self):
        return str(self.workshop)

    @property
    def slot_count(self):
        """How many slots fit between the workshop's start and end (at most MAX_SLOTS)."""
        minutes = (self.workshop.end - self.workshop.start).total_seconds() // 60
        return max(0, min(int(minutes // self.slot_minutes), self.MAX_SLOTS))

    def slot_start(self, slot):
        """When slot `slot` (0-based) starts, in the workshop's time zone."""
        start = self.workshop.local_start + datetime.timedelta(minutes=self.slot_minutes * slot)
        return start.astimezone(self.workshop.zone)

    def slot_end(self, slot):
        return self.slot_start(slot + 1)


class MeetingQuerySet(models.QuerySet):
    def for_agenda(self):
        """Meetings in time order (slot, then table), with both delegations and the exchange, in one query."""
        return self.select_related("provider", "learner", "exchange").order_by("slot", "table")


class Meeting(models.Model):
    """One meeting of a matchmaking workshop: a provider delegation and a learner delegation, in a slot
    (0-based, see MeetingAgenda.slot_start) at a table (1-based). `exchange` is the workshop's exchange it
    comes from (none for a meeting added by hand outside them); `score` and `reasons` are the matcher's
    (PartnerRecommendation) when it recommended the pair."""

    workshop = models.ForeignKey(
        "workshops.WorkshopPage", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("workshop")
    )
    slot = models.PositiveSmallIntegerField(_("slot"))
    table = models.PositiveSmallIntegerField(_("table"))
    provider = models.ForeignKey(
        "members.MemberPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("provider")
    )
    learner = models.ForeignKey(
        "members.MemberPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("learner")
    )
    exchange = models.ForeignKey(
        "matchmaking.Exchange",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("exchange"),
    )
    score = models.FloatField(_("score"), default=0.0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        # The agenda's guarantees, kept by the database too (workshops.agenda checks them first, with words).
        constraints = [
            models.UniqueConstraint(fields=["workshop", "slot", "table"], name="one_meeting_per_table_and_slot"),
            models.UniqueConstraint(fields=["workshop", "slot", "provider"], name="provider_once_per_slot"),
            models.UniqueConstraint(fields=["workshop", "slot", "learner"], name="learner_once_per_slot"),
            models.UniqueConstraint(fields=["workshop", "provider", "learner"], name="a_pair_meets_once"),
            models.CheckConstraint(condition=~Q(provider=models.F("learner")), name="meeting_between_two_members"),
        ]

    def __str__(self):
        return f"{self.provider} – {self.learner} ({self.slot + 1}/{self.table})"
