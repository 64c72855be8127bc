"""Exchanges (a provider sharing solutions with a learner, optionally facilitated: triangular cooperation),
their status history and outcome documents, and the matcher's recommendations kept for serving."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from members.models import MemberPage
from solutions.models import SolutionPage
from ssn4psi.fields import choice_display
from ssn4psi.models import IndexedClusterCopy
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
#: What a link to a page needs: its title and its URL (url_path, and the locale Wagtail may look at).
LINK_FIELDS = ("title", "url_path", "locale")


def link_fields(relation, *extra):
    """The only() names of what a link to the page at `relation` needs, plus `extra` fields of that page."""
    return [relation, *(f"{relation}__{name}" for name in (*LINK_FIELDS, *extra))]


class ExchangeQuerySet(models.QuerySet):
    def involving(self, member):
        """Exchanges where `member` is the provider, the learner or the facilitator, newest first."""
        return self.filter(Q(provider=member) | Q(learner=member) | Q(facilitator=member)).order_by(
            models.F("date").desc(nulls_last=True), "key"
        )

    def public(self, members=None):
        """Exchanges whose provider and learner are both live and public pages: those a public page may name.
        `members`: MemberPage.objects.live().public(), when the caller has it already (building one reads the
        view restrictions)."""
        members = MemberPage.objects.live().public() if members is None else members
        return self.filter(provider__in=members, learner__in=members)

    def with_facilitator_listed(self, members):
        """Each exchange with `facilitator_listed`: whether its facilitator is one of `members` (the live and public
        ones), so that a public page or the API names it only then."""
        return self.annotate(facilitator_listed=Exists(members.filter(pk=OuterRef("facilitator_id"))))

    def listed_for(self, member, members=None):
        """involving(`member`) as its public member page lists them: the public() exchanges, each with its
        provider, learner and facilitator pages read in the same query (what their links need), newest first
        (undated last), then by key. Every status is listed.

        A facilitator that is not live and public is left out of its exchange, which stays listed (the two
        partners are what the exchange is about): `facilitator_listed` says whether to show it. Two queries
        (Wagtail's public() reads the view restrictions once), one when `members`, MemberPage.objects.live().
        public(), is given."""
        members = MemberPage.objects.live().public() if members is None else members
        return (
            self.involving(member)
            .public(members)
            .with_facilitator_listed(members)
            .select_related("provider", "learner", "facilitator")
            .only(
                "key",
                "status",
                "date",
                "summary",
                *link_fields("provider"),
                *link_fields("learner"),
                *link_fields("facilitator"),
            )
        )

    def active(self):
        """Exchanges under way or done (every status but dropped)."""
        return self.exclude(status=ExchangeStatus.DROPPED)

    def about(self, solutions):
        """Exchanges around at least one of `solutions` (a SolutionPage queryset), each once."""
        about = Exchange.solutions.through.objects.filter(solutionpage__in=solutions)
        return self.filter(pk__in=about.values("exchange"))

    def by_countries(self):
        """(provider's country, learner's country, year of its date or None, status, how many) for these exchanges:
        one query grouped by those four, whose rows grow with the pairs of countries, not with the exchanges (the
        network page sums them along each axis: flows between countries, exchanges by year and by status)."""
        return (
            self.order_by()
            .annotate(year=ExtractYear("date"))
            .values_list("provider__country", "learner__country", "year", "status")
            .annotate(n=Count("pk"))
        )


class Exchange(IndexedClusterCopy, index.Indexed, ClusterableModel):
    """A directed pairing provider -> learner around one or more solutions, with an optional facilitator.

    The status follows the exchange through its life (proposed, agreed, knowledge shared, agreement
    signed, replicating, completed, or dropped); every change is kept in `status_changes` with its date,
    note and author. Outcome documents (agreements, reports) are in `documents`.

    Indexed for the site search as an outcome (see search/kinds.py): its summary, its partners, its solutions
    and the workshop outcomes recorded for it.
    """

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

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

    get_status_display = choice_display("status", ExchangeStatus)

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


class PartnerRecommendationQuerySet(models.QuerySet):
    def for_member_page(self, member, members=None):
        """The partners recommended to `member` as its public page shows them, best first: those whose provider
        is live and public, with the provider's page (what its link needs, and its key) read in the same query.
        `members`: MemberPage.objects.live().public(), when the caller has it already (building one reads the
        view restrictions). The solutions and facilitators they name by key are read by
        matchmaking.listings.partners_for()."""
        members = MemberPage.objects.live().public() if members is None else members
        return (
            self.filter(learner=member, provider__in=members)
            .select_related("provider")
            .only(
                "rank", "score", "solutions", "reasons", "facilitators", "computed_at", *link_fields("provider", "key")
            )
            .order_by("rank")
        )


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

    objects = PartnerRecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["learner", "rank"]
        constraints = [models.UniqueConstraint(fields=["learner", "rank"], name="one_partner_per_rank")]

    def __str__(self):
        return f"{self.learner_id} ← {self.provider_id} (#{self.rank})"


class SolutionRecommendationQuerySet(models.QuerySet):
    def for_member_page(self, member, kind, solutions=None):
        """The solutions of one `kind` (SolutionRecommendation.Kind) recommended to `member` as its public page
        shows them, best first: live and public solutions only, each with its page and its owner's (title and
        live) read in the same query. A solution page sits under its owner's page, so a public solution has a
        public owner; an owner that is not live is not named (see matchmaking.listings.solutions_for()).
        `solutions`: SolutionPage.objects.live().public(), when the caller has it already."""
        solutions = SolutionPage.objects.live().public() if solutions is None else solutions
        return (
            self.filter(learner=member, kind=kind, solution__in=solutions)
            .select_related("solution__member")
            .only(
                "kind",
                "rank",
                "score",
                "reasons",
                "computed_at",
                *link_fields("solution", "key"),
                "solution__member",
                "solution__member__title",
                "solution__member__live",
            )
            .order_by("rank")
        )


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

    objects = SolutionRecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["learner", "kind", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "kind", "rank"], name="one_solution_per_rank"),
        ]

    def __str__(self):
        return f"{self.learner_id} ← {self.solution_id} ({self.kind} #{self.rank})"
