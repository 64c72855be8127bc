"""The catalogue of public-service innovations.

A solution is a Wagtail page under the member page that owns it (myGov under a2i), so the owner's focal
points can edit it and nobody else's can. Its adoptions record which members took it up.

What anonymous visitors see follows one rule: a page is listed, counted or linked only while it is live and
public (Wagtail's `live().public()`: published, with no view restriction on it or on a page above it). A
solution is listed when its own page is (a restriction on its owner covers it); an adoption when the page it
links to is (the member's on a solution's page, the solution's on a member's page); a solution's owner is
named, and linked only while its page is live. A draft never shows: pages show their published fields.
"""

from django import forms
from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from members.models import MemberPage
from solutions.adoptions import by_region, region_chart
from solutions.catalogue import catalogue_context, facet_counts
from ssn4psi.fields import ChoiceListField, choice_display
from ssn4psi.images import CARD_RENDITIONS, validate_image_alt, with_images
from ssn4psi.languages import language_choices, language_name
from ssn4psi.models import Theme
from ssn4psi.richtext import sanitise_html
from ssn4psi.rows import keep_rows
from ssn4psi.vocabulary import AdoptionStatus, Maturity

#: How many similar solutions a solution's page shows.
SIMILAR_SHOWN = 4


def goal_index(goal_numbers):
    """The text stored in SolutionPage.goal_index for a set of goal numbers: ",5,8,16,"."""
    numbers = sorted({int(n) for n in goal_numbers})
    return "," + ",".join(map(str, numbers)) + "," if numbers else ""


def live_and_public(relation):
    """A condition on a model with a foreign key `relation` to a page: that page is live and public (Wagtail's
    `live().public()`: published, and no view restriction on it or on any page above it). Checked row by row
    through the page's primary key, so its cost follows the rows read, not the number of pages."""
    return Exists(Page.objects.live().public().filter(pk=OuterRef(relation)))


#: What a solution card shows (solutions/includes/solution_cards.html) and what its link needs.
CARD_FIELDS = ("title", "url_path", "summary", "maturity", "dpg", "goal_index", "member", "member__title", "image")


class SolutionQuerySet(PageQuerySet):
    """Reads of solution pages. What anonymous visitors see starts from `for_catalogue()`."""

    def for_catalogue(self):
        """What anyone may see, ready for cards: live and public solutions (Wagtail's `live().public()`) in the
        default locale, by name; the cards' fields (CARD_FIELDS) with the owner's name and the image joined, the
        cards' themes in the vocabulary's order as `card_themes` and the images' card renditions (one query each for
        the whole list, when it is read; the second only when a card has an image)."""
        return self.live().public().as_cards()

    def as_cards(self):
        """These solutions, as for_catalogue() gives them but without its live().public(): for a queryset that
        is already live and public (ssn4psi.sections.public_pages())."""
        cards = (
            self.filter(locale__language_code=settings.LANGUAGE_CODE)
            .select_related("member")
            .only(*CARD_FIELDS)
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position"), to_attr="card_themes"))
            .order_by(Lower("title"), "pk")
        )
        return with_images(cards, CARD_RENDITIONS)

    def offered_by(self, member):
        """The solutions of `member` and of the members under it (a2i's count for Bangladesh): the pages below
        its page in the tree."""
        return self.descendant_of(member)

    def serving_goal(self, number):
        """Solutions tagged with goal `number` or one of its targets."""
        return self.filter(goal_index__contains=f",{int(number)},")

    def goal_counts(self):
        """{goal number: how many of these solutions serve it} for the goals some serve, counted by the database
        in one query grouped by goal, over the goals kept for each solution (SolutionGoal)."""
        rows = SolutionGoal.objects.filter(solution__in=self.order_by().values("pk"))
        return dict(rows.values_list("goal").annotate(n=Count("solution")).order_by())

    def target_counts(self):
        """{SDG target pk: how many of these solutions are tagged with it} for the targets some are tagged with,
        counted by the database in one query grouped by target (a whole goal is not any of its targets)."""
        rows = self.model.sdg_targets.through.objects.filter(solutionpage_id__in=self.order_by().values("pk"))
        return dict(rows.values_list("sdgtarget_id").annotate(n=Count("pk")).order_by())


class SolutionIndexPage(Page):
    """The catalogue (/solutions/): every live and public solution, filterable by SDG goal, theme, country,
    maturity and DPG status. Solutions themselves live under their owners' member pages."""

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("solution catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            catalogue_context(
                request,
                SolutionPage.objects.for_catalogue(),
                whole_counts=lambda: CatalogueSummary.objects.current()["facets"],
            )
        )
        return context


class SolutionPage(Page):
    """A catalogued public-service innovation, owned by the member page it sits under.

    Relations: SDG targets and whole goals, themes, key figures (inline) and adoptions (inline, each
    naming the member that adopted it). `member` (the owner) and `goal_index` are kept from the tree and the tags on
    every save, so listings filter and count without walking the tree.
    """

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    key = models.SlugField(max_length=80, unique=True, help_text=_("Stable identifier used by the catalogue format."))
    member = models.ForeignKey(
        "members.MemberPage",
        on_delete=models.PROTECT,
        related_name="solutions",
        editable=False,
        null=True,
        verbose_name=_("owner"),
        help_text=_("The member that owns it: the member page it sits under."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences shown in listings."))
    problem = RichTextField(_("the problem it solves"), blank=True)
    description = RichTextField(_("how it works"), blank=True)
    sdg_targets = ParentalManyToManyField(
        "ssn4psi.SdgTarget", blank=True, related_name="solutions", verbose_name=_("SDG targets")
    )
    sdg_goals = ParentalManyToManyField(
        "ssn4psi.SdgGoal",
        blank=True,
        related_name="solutions",
        verbose_name=_("SDG goals"),
        help_text=_("Whole goals, where no single target fits."),
    )
    goal_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    themes = ParentalManyToManyField("ssn4psi.Theme", blank=True, related_name="solutions", verbose_name=_("themes"))
    maturity = models.CharField(
        _("maturity"), max_length=12, choices=Maturity.choices, default=Maturity.PILOT, db_index=True
    )
    launched = models.PositiveSmallIntegerField(_("launch year"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=500)
    licence = models.CharField(
        _("open-source licence"), max_length=80, blank=True, help_text=_("SPDX identifier, e.g. Apache-2.0.")
    )
    repository = models.URLField(_("source repository"), blank=True, max_length=500)
    dpg = models.BooleanField(
        _("digital public good"),
        default=False,
        db_index=True,
        help_text=_("Recognised by the Digital Public Goods Alliance."),
    )
    languages = ChoiceListField(_("languages"), item_choices=language_choices)
    resources = models.TextField(_("what it takes to adopt"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo or picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown on its page and its card in the catalogue. Its description in the image library is its alt text: "
            "an image without one is refused."
        ),
    )

    objects = PageManager.from_queryset(SolutionQuerySet)()

    get_maturity_display = choice_display("maturity", Maturity)

    content_panels = Page.content_panels + [
        FieldPanel("key"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("problem"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("sdg_targets"),
                FieldPanel("sdg_goals", widget=forms.CheckboxSelectMultiple),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Tags"),
        ),
        FieldRowPanel([FieldPanel("maturity"), FieldPanel("launched")]),
        InlinePanel("key_figures", heading=_("Key figures"), label=_("Key figure")),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("licence"),
                FieldPanel("repository"),
                FieldPanel("dpg"),
                FieldPanel("languages"),
            ],
            heading=_("Openness"),
        ),
        FieldPanel("resources"),
        InlinePanel("adoptions", heading=_("Adoptions"), label=_("Adoption")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("problem"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("maturity"),
        index.FilterField("dpg"),
        index.FilterField("goal_index"),
        index.FilterField("member"),
    ]
    parent_page_types = ["members.MemberPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")

    def save(self, *args, **kwargs):
        # The owner is the member page above: read when unknown or not the parent (a page created by an editor;
        # one moved is kept by solutions.signals.keep_owner), compared by path when known (an import sets it).
        parent_path = self.path[: -self.steplen] if self.path else None
        if parent_path and (self.member_id is None or self.member.path != parent_path):
            self.member = MemberPage.objects.filter(path=parent_path).first()
        self.derive_goals()
        self.problem = sanitise_html(self.problem)
        self.description = sanitise_html(self.description)
        is_new = self.pk is None
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if (update_fields is None or "goal_index" in update_fields) and not (is_new and not self.goal_index):
            goals = SolutionGoal.objects.filter(solution=self.pk)
            keep_rows(goals, ("solution_id", "goal_id"), {(self.pk, number) for number in self.goal_numbers})

    def derive_goals(self):
        """Set goal_index from the goals tagged and the goals of the targets tagged, as this instance holds them."""
        goals = {target.goal_id for target in self.sdg_targets.all()} | {goal.pk for goal in self.sdg_goals.all()}
        self.goal_index = goal_index(goals)

    def clean(self):
        super().clean()
        validate_image_alt(self)

    @property
    def goal_numbers(self):
        return [int(n) for n in self.goal_index.strip(",").split(",") if n]

    @property
    def language_names(self):
        return [language_name(code) for code in self.languages or []]

    def tags(self):
        """(SDG targets with their goals, SDG goals, themes) of this solution, each in the framework's order:
        three queries."""
        return (
            list(self.sdg_targets.select_related("goal").order_by("position")),
            list(self.sdg_goals.order_by("number")),
            list(self.themes.order_by("position")),
        )

    def similar_solutions(self, limit=None):
        """The first `limit` (default SIMILAR_SHOWN) solutions most like this one, best first, as last ranked
        (solutions.services.refresh_similar_solutions()), each with its `similarity` score. Only those live and
        public now: one hidden since the ranking is left out at once, before the next ranking fills its place."""
        if self.pk is None:  # a new page's preview
            return []
        return list(
            SolutionPage.objects.live()
            .public()
            .filter(similar_to__solution=self)
            .only("title", "url_path", "summary")
            .annotate(similarity=F("similar_to__score"))
            .order_by("similar_to__rank")[: limit or SIMILAR_SHOWN]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        targets, goals, themes = self.tags()
        adoptions = list(Adoption.objects.of_solution(self)) if self.pk else []
        regions = by_region(adoptions)
        context.update(
            targets=targets,
            goals=goals,
            theme_list=themes,
            key_figures=self.key_figures.all(),
            adoptions=adoptions,
            adoption_regions=regions,
            adoption_chart=region_chart(regions),
            similar=self.similar_solutions(),
        )
        return context


class KeyFigure(Orderable):
    """A headline number of a solution, such as "2,500+ government-to-citizen services"."""

    solution = ParentalKey(SolutionPage, on_delete=models.CASCADE, related_name="key_figures")
    value = models.CharField(_("value"), max_length=40)
    label = models.CharField(_("label"), max_length=200)

    panels = [FieldPanel("value"), FieldPanel("label")]

    def __str__(self):
        return f"{self.value} {self.label}"


class AdoptionQuerySet(models.QuerySet):
    """Reads of adoptions for the public pages: an adoption is listed only when the page it links to, on the
    side the listing shows, is live and public (Wagtail's `live().public()`)."""

    def of_solution(self, solution):
        """The adoptions of `solution` by members whose pages are live and public, by year then member name,
        with the member's title, URL and M49 region loaded (one query)."""
        return (
            self.filter(solution=solution)
            .filter(live_and_public("member"))
            .select_related("member")
            .only("solution", "year", "status", "member__title", "member__url_path", "member__region")
            .order_by("year", "member__title")
        )

    def ties_of(self, member, members=None, solutions=None):
        """The adoptions that tie `member` to another member, both ways: its own adoptions of solutions (whom it
        learned from: the solution's owner) and other members' adoptions of its solutions (whom it shared with:
        the adopter). Only those whose solution and other member are live and public; in no particular order
        (matchmaking.listings.ties_by_partner orders them as the page shows them). The titles and URLs of the
        solution, its owner and the adopter are loaded in the same query (one query). `members`, `solutions`:
        MemberPage.objects.live().public() and SolutionPage.objects.live().public(), when the caller has them
        already (ssn4psi.sections.public_pages())."""
        members = MemberPage.objects.live().public() if members is None else members
        solutions = SolutionPage.objects.live().public() if solutions is None else solutions
        # A public solution's owner, the page above it, is under no view restriction (it would cover the solution):
        # it is public when it is live, which the join tells without another subquery.
        learned = Q(member=member, solution__member__live=True)
        shared = Q(solution__member=member, member__in=members)
        return (
            self.filter(learned | shared, solution__in=solutions)
            .select_related("member", "solution__member")
            .only(
                "year",
                "status",
                "member__title",
                "member__url_path",
                "solution__title",
                "solution__url_path",
                "solution__member__title",
                "solution__member__url_path",
                "solution__member__live",
            )
        )

    def by_countries(self):
        """(owner's country, adopter's country, year, status, how many) for these adoptions: one query grouped by
        those four, whose rows grow with the pairs of countries, not with the adoptions (the network page sums
        them along each axis: flows between countries, adoptions by year and by status)."""
        return (
            self.order_by()
            .values_list("solution__member__country", "member__country", "year", "status")
            .annotate(n=Count("pk"))
        )


class Adoption(Orderable):
    """A member taking up a solution: exploring it, piloting it or having adopted it, and when."""

    solution = ParentalKey(SolutionPage, on_delete=models.CASCADE, related_name="adoptions")
    member = models.ForeignKey("members.MemberPage", on_delete=models.CASCADE, related_name="adoptions")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AdoptionStatus.choices, default=AdoptionStatus.ADOPTED
    )

    objects = AdoptionQuerySet.as_manager()

    get_status_display = choice_display("status", AdoptionStatus)

    panels = [FieldPanel("member"), FieldRowPanel([FieldPanel("year"), FieldPanel("status")])]

    class Meta(Orderable.Meta):
        verbose_name = _("adoption")
        constraints = [models.UniqueConstraint(fields=["solution", "member"], name="one_adoption_per_member")]

    def __str__(self):
        return f"{self.member} – {self.solution}"


class SolutionGoal(models.Model):
    """A goal a solution serves, through one of its targets or as a whole goal: its `goal_index` as rows, written
    with it when the solution is saved (SolutionPage.save), so that the catalogue counts the solutions of each goal
    with one query grouped by goal (SolutionQuerySet.goal_counts)."""

    solution = models.ForeignKey(SolutionPage, on_delete=models.CASCADE, related_name="goal_rows")
    goal = models.ForeignKey("ssn4psi.SdgGoal", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "solution"], name="one_row_per_solution_goal")]

    def __str__(self):
        return f"{self.solution_id}: SDG {self.goal_id}"


def record_goals(solutions):
    """For `solutions` whose tags were written without saving them (an import's bulk write,
    network.catalogue.tree), what their save derives from the tags they hold: goal_index and the goal rows. Three
    queries whatever their number."""
    for solution in solutions:
        solution.derive_goals()
    SolutionPage.objects.bulk_update(solutions, ["goal_index"], batch_size=500)
    SolutionGoal.objects.filter(solution__in=solutions).delete()
    SolutionGoal.objects.bulk_create(
        [SolutionGoal(solution=solution, goal_id=number) for solution in solutions for number in solution.goal_numbers],
        batch_size=500,
    )


class SimilarSolution(models.Model):
    """A solution like another: `similar` is the `rank`-th most like `solution` (1 the most), with its `score`,
    as solutions.services.refresh_similar_solutions() last ranked them (solutions.similarity). Stored, like the
    matcher's recommendations, so that a solution's page reads a few rows instead of ranking the catalogue."""

    solution = models.ForeignKey(SolutionPage, on_delete=models.CASCADE, related_name="+")
    similar = models.ForeignKey(SolutionPage, on_delete=models.CASCADE, related_name="similar_to")
    rank = models.PositiveSmallIntegerField()
    score = models.PositiveIntegerField()

    class Meta:
        ordering = ["solution", "rank"]
        constraints = [models.UniqueConstraint(fields=["solution", "rank"], name="one_similar_solution_per_rank")]

    def __str__(self):
        return f"{self.solution_id} ~ {self.similar_id} (#{self.rank})"


class CatalogueSummaryManager(models.Manager):
    """Reads and empties the kept summary of the whole catalogue (solutions.summary says when it is emptied)."""

    #: The one row's primary key.
    ROW = 1
    #: How many of the latest published solutions the summary keeps (the home page shows them).
    LATEST_KEPT = 6

    def current(self):
        """{"total": n, "facets": {facet: {value: count}}, "latest": [pk, ...]} for the whole catalogue (live and
        public solutions), from the kept row; counted, and kept, first when it is empty. One query when kept."""
        row = self.filter(pk=self.ROW).values_list("version", "counts").first()
        if row is not None and row[1] is not None:
            return self._loaded(row[1])
        summary = self.counted()
        if row is None:
            # Made empty: a write committed while this reader counted could not have emptied it.
            self.get_or_create(pk=self.ROW)
        else:
            self._store(row[0], summary)
        return summary

    def counted(self):
        """The summary counted from the database: what current() keeps."""
        solutions = SolutionPage.objects.for_catalogue()
        facets = facet_counts(solutions, {})
        latest = solutions.order_by("-last_published_at", "pk").values_list("pk", flat=True)[: self.LATEST_KEPT]
        # Every solution has one maturity.
        return {"total": sum(facets["maturity"].values()), "facets": facets, "latest": list(latest)}

    def changed(self):
        """Empty the kept summary, in the current transaction (the writer's), so the next reader counts again."""
        self.filter(pk=self.ROW).update(version=F("version") + 1, counts=None)

    def _store(self, version, summary):
        stored = {
            "total": summary["total"],
            # Pairs, not objects: facet values are numbers, text or None, which JSON objects' keys cannot all keep.
            "facets": {facet: list(counts.items()) for facet, counts in summary["facets"].items()},
            "latest": summary["latest"],
        }
        try:
            with transaction.atomic():
                # Only if no write came in since the version was read; on PostgreSQL, without waiting for a writer
                # that holds the row (it empties it when it commits).
                row = self.select_for_update(skip_locked=True).filter(pk=self.ROW, version=version)
                if row.exists():
                    row.update(counts=stored)
        except DatabaseError:  # SQLite busy with another writer: a later reader stores it
            pass

    @staticmethod
    def _loaded(stored):
        return {
            "total": stored["total"],
            "facets": {facet: dict(pairs) for facet, pairs in stored["facets"].items()},
            "latest": stored["latest"],
        }


class CatalogueSummary(models.Model):
    """The whole catalogue's counts, kept so that the pages that show them (the catalogue without filters, the
    home page) read one row instead of counting every solution: its facet counts, its size and its most recently
    published solutions. `counts` is emptied, and `version` moved, by any write that could change them, in the
    writer's transaction (solutions.summary); the next reader counts again and stores the result only if no write
    came in between (the version is still the one it read)."""

    version = models.PositiveBigIntegerField(default=0)
    counts = models.JSONField(null=True, blank=True)

    objects = CatalogueSummaryManager()

    class Meta:
        verbose_name = _("catalogue summary")

    def __str__(self):
        return f"catalogue summary v{self.version}"
