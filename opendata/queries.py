"""What the API reads, built on the apps' own QuerySet methods and Wagtail's one visibility rule: only live and
public pages (`live().public()`), and of the rows that link pages (adoptions, exchanges, outcomes, organisers)
only those whose pages are live and public themselves, as the member pages show them. Each reader loads what
its records need in a fixed number of queries (`select_related()`, `prefetch_related(Prefetch(...))`), whatever
the number of rows."""

from django.conf import settings
from django.db.models import F, OuterRef, Prefetch
from django.db.models.functions import Length, Substr
from django.utils.functional import cached_property
from wagtail.models import Page

from matchmaking.models import Exchange
from members.models import MemberPage, Need
from solutions.models import Adoption, KeyFigure, SolutionPage
from ssn4psi.models import SdgGoal, SdgTarget, Theme
from workshops.models import Session, WorkshopPage
from workshops.records import WorkshopMaterial, WorkshopOutcome


class Public:
    """The live and public pages of each model, read once for a request: Wagtail's `public()` reads the view
    restrictions each time it is called."""

    @cached_property
    def _private(self):
        # Wagtail's public() is exclude(private_q()), and private_q() reads the restrictions: read them once.
        return Page.objects.private_q()

    @cached_property
    def members(self):
        return MemberPage.objects.live().exclude(self._private).filter(locale__language_code=settings.LANGUAGE_CODE)

    @cached_property
    def solutions(self):
        return SolutionPage.objects.live().exclude(self._private).filter(locale__language_code=settings.LANGUAGE_CODE)

    @cached_property
    def workshops(self):
        """Those with a key: the others cannot be named in the API or in a catalogue file."""
        return WorkshopPage.objects.live().exclude(self._private).filter(key__isnull=False)

    def exchanges(self):
        """Exchanges between two live and public members (Exchange.objects.public()), with their partners' keys."""
        return Exchange.objects.public(self.members)

    def _tags(self, to_attr=False):
        """The SDG goals, targets and themes of each row, in the framework's order; as `tag_goals`, `tag_targets`
        and `tag_themes` lists for a listing (`to_attr`), where the related managers would cost more than the
        rows."""
        attrs = ("tag_goals", "tag_targets", "tag_themes") if to_attr else (None, None, None)
        return [
            Prefetch("sdg_goals", queryset=SdgGoal.objects.only("number").order_by("number"), to_attr=attrs[0]),
            Prefetch(
                "sdg_targets", queryset=SdgTarget.objects.only("code", "goal_id").order_by("position"), to_attr=attrs[1]
            ),
            Prefetch("themes", queryset=Theme.objects.order_by("position"), to_attr=attrs[2]),
        ]

    # -- members ----------------------------------------------------------------------------------------------

    def _members_with_parent(self):
        parent = self.members.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - MemberPage.steplen))
        return self.members.annotate(parent_key=parent.values("key")[:1]).order_by("key")

    def member_rows(self):
        """Members by key, each with `parent_key`: the key of the member it sits under when that one is live and
        public (else None), read in the same query; without their long description: what a list shows."""
        return self._members_with_parent().defer("description")

    def member_records(self):
        """Members with what a whole record needs: the description and the needs with their tags."""
        needs = Need.objects.order_by("sort_order", "pk").prefetch_related(*self._tags())
        return self._members_with_parent().prefetch_related(Prefetch("needs", queryset=needs))

    # -- needs ------------------------------------------------------------------------------------------------

    def needs(self):
        """Needs of live and public members, with their member's key and tags (as the exporter's need_record()
        reads them)."""
        return (
            Need.objects.filter(member__in=self.members)
            .select_related("member")
            .only(*NEED_FIELDS)
            .prefetch_related(*self._tags())
            .order_by("key")
        )

    # -- solutions --------------------------------------------------------------------------------------------

    def solution_rows(self):
        """Solutions by key with their owner's key, name, country and region (`owner_key`, `owner_title`,
        `owner_country`, `owner_region`: values, not a page built for each), and their tags: what a list shows."""
        return (
            self.solutions.annotate(
                owner_key=F("member__key"),
                owner_title=F("member__title"),
                owner_country=F("member__country"),
                owner_region=F("member__region"),
            )
            .only(*SOLUTION_LIST_FIELDS)
            .prefetch_related(*self._tags(to_attr=True))
            .order_by("key")
        )

    def solution_records(self):
        """Solutions with what a whole record needs: every field, key figures, and the adoptions by live and
        public members."""
        return (
            self.solutions.select_related("member")
            .prefetch_related(
                *self._tags(),
                Prefetch("key_figures", queryset=KeyFigure.objects.order_by("sort_order", "pk")),
                Prefetch("adoptions", queryset=self.adoptions().order_by("sort_order", "pk")),
            )
            .order_by("key")
        )

    def adoptions(self):
        """Adoptions of live and public solutions by live and public members, with both keys."""
        return (
            Adoption.objects.filter(solution__in=self.solutions, member__in=self.members)
            .select_related("solution", "member")
            .only(
                "year",
                "status",
                "sort_order",
                "solution__key",
                "solution__title",
                "member__key",
                "member__title",
                "member__country",
                "member__region",
            )
        )

    # -- exchanges and outcomes -----------------------------------------------------------------------------

    def exchange_records(self):
        """Public exchanges with their partners, the facilitator only when it is live and public
        (`facilitator_listed`), and their live and public solutions."""
        return (
            self.exchanges()
            .with_facilitator_listed(self.members)
            .select_related("provider", "learner", "facilitator")
            .only(
                "key",
                "status",
                "date",
                "summary",
                "created_at",
                "provider__key",
                "provider__title",
                "learner__key",
                "learner__title",
                "facilitator__key",
                "facilitator__title",
            )
            .prefetch_related(Prefetch("solutions", queryset=self.solutions.only("key").order_by("key")))
            .order_by("key")
        )

    def _outcomes_of_workshops(self):
        """A workshop's outcomes with their exchange's `provider_listed` and `learner_listed`, and only their public
        members (as `members`, which the catalogue record reads)."""
        return (
            WorkshopOutcome.objects.with_listed_exchange(self.members)
            .select_related("exchange")
            .prefetch_related(Prefetch("members", queryset=self.members.only("key").order_by("key")))
            .order_by("sort_order", "pk")
        )

    def outcomes(self):
        """Outcomes of live and public workshops, as their pages show them (WorkshopOutcome.objects.
        for_public_page(): the exchange only when both its partners are public, the public members involved)."""
        return (
            WorkshopOutcome.objects.filter(workshop__in=self.workshops)
            .for_public_page(self.members)
            .select_related("workshop")
            .only(*OUTCOME_FIELDS)
            .order_by("workshop__key", "sort_order", "pk")
        )

    # -- workshops ------------------------------------------------------------------------------------------

    def workshop_records(self):
        """Live and public workshops with a key, with their public fields, sessions, materials and outcomes; the
        organisers and exchanges that are public. Never their registrations."""
        return (
            self.workshops.defer("online_link")
            .prefetch_related(
                Prefetch("organisers", queryset=self.members.only("key").order_by("key")),
                Prefetch("exchanges", queryset=self.exchanges().only("key").order_by("key")),
                Prefetch("sessions", queryset=Session.objects.order_by("sort_order", "pk")),
                Prefetch("materials", queryset=WorkshopMaterial.objects.for_display()),
                Prefetch("outcomes", queryset=self._outcomes_of_workshops()),
            )
            .order_by("key")
        )


NEED_FIELDS = (
    "key",
    "title",
    "description",
    "priority",
    "modalities",
    "member__key",
    "member__title",
    "member__country",
    "member__region",
)
SOLUTION_LIST_FIELDS = (
    "key",
    "title",
    "url_path",
    "locale",
    "summary",
    "maturity",
    "dpg",
    "launched",
    "last_published_at",
)
OUTCOME_FIELDS = (
    "workshop__key",
    "workshop__title",
    "sort_order",
    "kind",
    "text",
    "date",
    "exchange__key",
    "exchange__provider__title",
    "exchange__learner__title",
)
