"""Exchanges (a provider sharing solutions with a learner, optionally facilitated: triangular cooperation),
their status history and outcome documents, and the matcher's recommendations kept for serving."""

from functools import lru_cache

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, Page
from wagtail.search import index

from ssn4psi.fields import ChoiceLabels
from ssn4psi.sql import read
from ssn4psi.vocabulary import ExchangeStatus

#: Exchanges in these states are under way or done: the pair is not recommended again.
ACTIVE_STATUSES = frozenset(ExchangeStatus.values) - {ExchangeStatus.DROPPED}
#: Exchanges in these states have something to show (knowledge shared at least): the site search finds them as
#: outcomes, on the learner's page.
OUTCOME_STATUSES = (
    ExchangeStatus.KNOWLEDGE_SHARED,
    ExchangeStatus.AGREEMENT_SIGNED,
    ExchangeStatus.REPLICATING,
    ExchangeStatus.COMPLETED,
)


class ExchangeQuerySet(models.QuerySet):
    def involving(self, member):
        """Exchanges where `member` is the provider, the learner or the facilitator, newest first."""
        return self.filter(Q(provider=member) | Q(learner=member) | Q(facilitator=member)).order_by(
            models.F("date").desc(nulls_last=True), "key"
        )

    def listed_for(self, member):
        """involving(`member`) as its member page lists them (a list): each exchange's key, status, date and
        summary, with its provider, learner and facilitator pages (title and URL), from one hand-written query
        (_listing_sql()): the ORM took longer to build and compile it, three page joins, than SQLite to answer."""
        from members.models import MemberPage
        from ssn4psi.routing import link_relation

        exchanges = read(self.model, _listing_sql(), [member.pk] * 3)
        for exchange in exchanges:
            for role in ("provider", "learner", "facilitator"):
                link_relation(exchange, role, MemberPage)
        return exchanges

    def active(self):
        """Exchanges under way or done (every status but dropped)."""
        return self.exclude(status=ExchangeStatus.DROPPED)


@lru_cache
def _listing_sql():
    """ExchangeQuerySet.listed_for()'s query, for parameters (the member's id three times): the exchanges'
    listed fields and, for each role, its page's as <role>_title, <role>_url_path, <role>_locale_id (read by
    ssn4psi.sql.read()), newest first (undated last), then by key."""
    from members.models import MemberPage

    q = connection.ops.quote_name
    roles = ("provider", "learner", "facilitator")
    columns = [f"e.{q(name)}" for name in ("id", "key", "status", "date", "summary")]
    columns += [f"e.{q(f'{role}_id')}" for role in roles]
    joins = []
    for role in roles:
        columns += [f"{role}.{q(name)} AS {role}_{name}" for name in ("title", "url_path", "locale_id")]
        join = "LEFT OUTER JOIN" if role == "facilitator" else "INNER JOIN"
        joins.append(
            f"{join} {q(MemberPage._meta.db_table)} {role}_m ON (e.{q(f'{role}_id')} = {role}_m.{q('page_ptr_id')})"
            f" {join} {q(Page._meta.db_table)} {role} ON ({role}_m.{q('page_ptr_id')} = {role}.{q('id')})"
        )
    return (
        f"SELECT {', '.join(columns)} FROM {q(Exchange._meta.db_table)} e {' '.join(joins)}"
        f" WHERE (e.{q('provider_id')} = %s OR e.{q('learner_id')} = %s OR e.{q('facilitator_id')} = %s)"
        f" ORDER BY e.{q('date')} IS NULL, e.{q('date')} DESC, e.{q('key')} ASC"
    )


class Exchange(ChoiceLabels, index.Indexed, ClusterableModel):
    """A directed pairing provider -> learner around one or more solutions, with an optional facilitator.

    The status follows the exchange through its life (proposed, agreed, knowledge shared, agreement
    signed, replicating, completed, or dropped); every change is kept in `status_changes` with its date,
    note and author. Outcome documents (agreements, reports) are in `documents`.

    Indexed for the site search as an outcome (see search/kinds.py): its summary, its partners, its solutions
    and the workshop outcomes recorded for it.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    provider = models.ForeignKey(
        "members.MemberPage",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="exchanges_provided",
    )
    learner = models.ForeignKey(
        "members.MemberPage", verbose_name=_("learner"), on_delete=models.PROTECT, related_name="exchanges_learned"
    )
    facilitator = models.ForeignKey(
        "members.MemberPage",
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchanges_facilitated",
    )
    solutions = models.ManyToManyField(
        "solutions.SolutionPage", verbose_name=_("solutions"), blank=True, related_name="exchanges"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExchangeStatus.choices, default=ExchangeStatus.PROPOSED
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("When the exchange took place."))
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ExchangeQuerySet.as_manager()

    search_fields = [
        index.SearchField("summary"),
        index.RelatedFields("provider", [index.SearchField("title")]),
        index.RelatedFields("learner", [index.SearchField("title")]),
        index.RelatedFields("solutions", [index.SearchField("title")]),
        index.RelatedFields("workshop_outcomes", [index.SearchField("text")]),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.CheckConstraint(condition=~Q(provider=models.F("learner")), name="exchange_between_two_members")
        ]

    def __str__(self):
        return f"{self.provider} → {self.learner}"


class ExchangeStatusChange(models.Model):
    """One step of an exchange's life: the status it reached, on which date, with a note and its author."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=ExchangeStatus.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["date", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.exchange}: {self.get_status_display()} ({self.date})"


class ExchangeDocument(Orderable):
    """An outcome document of an exchange: an agreement, a report, a policy note."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        REPORT = "report", _("Report")
        POLICY_NOTE = "policy_note", _("Policy note")
        OTHER = "other", _("Other")

    exchange = ParentalKey(Exchange, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REPORT)

    class Meta(Orderable.Meta):
        verbose_name = _("outcome document")
        verbose_name_plural = _("outcome documents")


class PartnerRecommendation(models.Model):
    """A provider recommended to a learner by the matcher, as last computed (see matchmaking/services.py).

    `reasons` holds the evidence as structured data (matchmaking.scoring.Reason as dicts), turned into
    sentences in the reader's language when shown; `solutions` and `facilitators` are keys."""

    learner = models.ForeignKey("members.MemberPage", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey("members.MemberPage", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    solutions = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    facilitators = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["learner", "rank"]
        constraints = [models.UniqueConstraint(fields=["learner", "rank"], name="one_partner_per_rank")]

    def __str__(self):
        return f"{self.learner_id} ← {self.provider_id} (#{self.rank})"


class SolutionRecommendation(models.Model):
    """A solution recommended to a learner, kept for its member page: `kind` "adopters" for the solutions
    taken up by the members whose adoptions are most like the learner's. (Solutions that answer the
    learner's needs reach its page through its partners; `recommend --by solution` lists them.)"""

    class Kind(models.TextChoices):
        ADOPTERS = "adopters", _("Like the solutions you adopted")

    learner = models.ForeignKey("members.MemberPage", on_delete=models.CASCADE, related_name="+")
    solution = models.ForeignKey("solutions.SolutionPage", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["learner", "kind", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "kind", "rank"], name="one_solution_per_rank"),
        ]

    def __str__(self):
        return f"{self.learner_id} ← {self.solution_id} ({self.kind} #{self.rank})"
