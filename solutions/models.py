"""The catalogue of public-service innovations.

A solution is a Wagtail page under the member page that owns it (myGov under a2i), so the owner's focal
points can edit it and nobody else's can. Its adoptions record which members took it up.
"""

from collections import Counter
from functools import lru_cache

from django import forms
from django.conf import settings
from django.db import connection, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ssn4psi.fields import ChoiceLabels, ChoiceListField
from ssn4psi.languages import language_choices, language_name
from ssn4psi.richtext import sanitise_html
from ssn4psi.sql import descendant_range, placeholders, read
from ssn4psi.vocabulary import AdoptionStatus, Maturity


def goal_index(goal_numbers):
    """The text stored in SolutionPage.goal_index for a set of goal numbers: ",5,8,16,"."""
    numbers = sorted({int(n) for n in goal_numbers})
    return "," + ",".join(map(str, numbers)) + "," if numbers else ""


#: What a solution card shows (ssn4psi/includes/solution_cards.html), with what its link needs: loading the
#: whole solution and owner pages (84 columns) cost more than the rest of the card's query.
CARD_FIELDS = ("title", "url_path", "summary", "maturity", "dpg", "goal_index", "member", "member__title")


@lru_cache
def _tags_sql():
    """SolutionPage.tags()'s query: (tag table column, id as text) of every target, goal and theme of one
    solution (its id three times as parameters). Hand-written once: Django took longer to build and compile
    this union than the database took to answer it."""
    q = connection.ops.quote_name
    return " UNION ALL ".join(
        f"SELECT '{column}', CAST({q(column)} AS TEXT) FROM {q(relation.through._meta.db_table)}"
        f" WHERE {q('solutionpage_id')} = %s"
        for relation, column in (
            (SolutionPage.sdg_targets, "sdgtarget_id"),
            (SolutionPage.sdg_goals, "sdggoal_id"),
            (SolutionPage.themes, "theme_id"),
        )
    )


def attach_card_themes(solutions):
    """Sets `card_themes` on each of `solutions` (SolutionPage instances): its themes in the vocabulary's order,
    from one query on the relation and the themes in memory (vocabulary.framework()), where a prefetch built
    a Theme instance for every tag of every card and took as long as the rest of the cards' reading."""
    from ssn4psi.models.vocabulary import framework

    solutions = [solution for solution in solutions if solution.pk is not None]
    if not solutions:
        return
    themes = framework().themes
    found = {solution.pk: [] for solution in solutions}
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('solutionpage_id')}, {q('theme_id')} FROM {q(SolutionPage.themes.through._meta.db_table)}"
            f" WHERE {q('solutionpage_id')} IN ({placeholders(len(found))})",
            list(found),
        )
        for solution_id, theme_key in cursor.fetchall():
            if theme_key in themes:
                found[solution_id].append(themes[theme_key])
    for solution in solutions:
        solution.card_themes = sorted(found[solution.pk], key=lambda theme: theme.position)


def solutions_offered_by(member, limit):
    """The first `limit` of for_catalogue().descendant_of(`member`) (its own solutions and its child members'),
    in the same order and with the same fields and themes, and how many there are in all: (list, count), in two
    queries. The first is hand-written (_offered_sql()): the ORM took longer to build and compile it than SQLite
    took to answer it."""
    from members.models import MemberPage
    from ssn4psi.routing import link_relation

    solutions = read(SolutionPage, _offered_sql(), [True, settings.LANGUAGE_CODE, *descendant_range(member), limit])
    for solution in solutions:
        link_relation(solution, "member", MemberPage)
    return solutions, (solutions[0].total if solutions else 0)


@lru_cache
def _offered_sql():
    """solutions_offered_by()'s query, for parameters (True, the default language, the member's descendant_range(),
    the limit): the cards' fields (CARD_FIELDS), member_title and `total`, the count of all rows."""
    from wagtail.models import Locale

    from members.models import MemberPage

    q = connection.ops.quote_name
    columns = [f"p.{q(name)}" for name in ("id", "title", "url_path")]
    columns += [f"s.{q(name)}" for name in ("page_ptr_id", "summary", "maturity", "dpg", "goal_index", "member_id")]
    return (
        f"SELECT {', '.join(columns)}, mp.{q('title')} AS member_title, COUNT(*) OVER () AS total"
        f" FROM {q(SolutionPage._meta.db_table)} s"
        f" INNER JOIN {q(Page._meta.db_table)} p ON (s.{q('page_ptr_id')} = p.{q('id')})"
        f" INNER JOIN {q(Locale._meta.db_table)} l ON (p.{q('locale_id')} = l.{q('id')})"
        f" LEFT OUTER JOIN {q(MemberPage._meta.db_table)} m ON (s.{q('member_id')} = m.{q('page_ptr_id')})"
        f" LEFT OUTER JOIN {q(Page._meta.db_table)} mp ON (m.{q('page_ptr_id')} = mp.{q('id')})"
        f" WHERE p.{q('live')} = %s AND l.{q('language_code')} = %s AND p.{q('path')} > %s AND p.{q('path')} < %s"
        f" ORDER BY LOWER(p.{q('title')}) ASC, p.{q('id')} ASC LIMIT %s"
    )


def adoptions_of(solution):
    """The adoptions of `solution` as its page lists them (a list): year, status and the member's page (title and
    URL), by year then member name, from one hand-written query (_adoptions_sql()): the ORM took longer to build
    and compile it than SQLite took to answer it."""
    from members.models import MemberPage
    from ssn4psi.routing import link_relation

    adoptions = read(Adoption, _adoptions_sql(), [solution.pk])
    for adoption in adoptions:
        link_relation(adoption, "member", MemberPage)
    return adoptions


@lru_cache
def _adoptions_sql():
    """adoptions_of()'s query, for parameters (the solution's id,): the adoptions' fields with the member page's
    as member_title, member_url_path and member_locale_id (read by ssn4psi.sql.read())."""
    from members.models import MemberPage

    q = connection.ops.quote_name
    columns = ", ".join(f"a.{q(name)}" for name in ("id", "solution_id", "member_id", "year", "status"))
    return (
        f"SELECT {columns}, mp.{q('title')} AS member_title, mp.{q('url_path')} AS member_url_path,"
        f" mp.{q('locale_id')} AS member_locale_id FROM {q(Adoption._meta.db_table)} a"
        f" INNER JOIN {q(MemberPage._meta.db_table)} m ON (a.{q('member_id')} = m.{q('page_ptr_id')})"
        f" INNER JOIN {q(Page._meta.db_table)} mp ON (m.{q('page_ptr_id')} = mp.{q('id')})"
        f" WHERE a.{q('solution_id')} = %s ORDER BY a.{q('year')} ASC, mp.{q('title')} ASC"
    )


class SolutionQuerySet(PageQuerySet):
    def for_catalogue(self):
        """Live solutions in the default locale, with what a listing shows loaded in a fixed number of
        queries (owner's name joined), in name order. Other fields load on first use; the cards' themes come with
        {% solution_cards %} (attach_card_themes())."""
        return (
            self.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .select_related("member")
            .only(*CARD_FIELDS)
            .order_by(Lower("title"), "pk")
        )

    def serving_goal(self, number):
        """Solutions tagged with goal `number` or one of its targets."""
        return self.filter(goal_index__contains=f",{int(number)},")

    def goal_counts(self, total=None):
        """{goal number: how many of these solutions serve it}, from one narrow query; with `total`, the
        number of solutions too, under that key.

        Counting the short goal_index strings in Python costs less than asking the database for
        seventeen filtered counts, whose compilation alone took longer than the whole listing."""
        counts = Counter()
        rows = self.order_by().values_list("goal_index", flat=True)
        for goals in rows:
            counts.update(int(number) for number in goals.strip(",").split(",") if number)
        counts = dict(counts)
        if total is not None:
            counts[total] = len(rows)
        return counts


class SolutionIndexPage(Page):
    """The catalogue (/solutions/): every live solution, filterable by SDG goal, theme, country,
    maturity and DPG status. Solutions themselves live under their owners' member pages."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("solution catalogue")

    def get_context(self, request, *args, **kwargs):
        from solutions.catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, SolutionPage.objects.for_catalogue()))
        return context


class SolutionPage(ChoiceLabels, Page):
    """A catalogued public-service innovation, owned by the member page it sits under.

    Relations: SDG targets and whole goals, themes, key figures (inline) and adoptions (inline, each
    naming the member that adopted it). `member` (the owner) and `goal_index` are kept from the tree and the tags on
    every save, so listings filter and count without walking the tree.
    """

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

    objects = PageManager.from_queryset(SolutionQuerySet)()
    #: Loaded with the page when it is served (HomePage.route): the page shows its owner.
    serve_select_related = ("member",)

    content_panels = Page.content_panels + [
        FieldPanel("key"),
        FieldPanel("summary"),
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
        from members.models import MemberPage

        parent = self.get_parent() if self.path else None
        if parent is not None:
            self.member = MemberPage.objects.filter(pk=parent.pk).first()
        goals = {target.goal_id for target in self.sdg_targets.all()} | {goal.pk for goal in self.sdg_goals.all()}
        self.goal_index = goal_index(goals)
        self.problem = sanitise_html(self.problem)
        self.description = sanitise_html(self.description)
        return super().save(*args, **kwargs)

    @property
    def goal_numbers(self):
        return [int(n) for n in self.goal_index.strip(",").split(",") if n]

    @property
    def language_names(self):
        return [language_name(code) for code in self.languages or []]

    def related_solutions(self, limit=4, themes=None):
        """Other live solutions sharing the most themes and SDG goals with this one (two queries).
        `themes`: this solution's themes, when the caller has loaded them already."""
        theme_ids = [theme.pk for theme in (self.themes.all() if themes is None else themes)]
        goal_filter = Q()
        for number in self.goal_numbers:
            goal_filter |= Q(goal_index__contains=f",{number},")
        if not theme_ids and not goal_filter:
            return SolutionPage.objects.none()
        shared_themes = (
            SolutionPage.themes.through.objects.filter(solutionpage_id=OuterRef("pk"), theme_id__in=theme_ids)
            .order_by()
            .values("solutionpage_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        candidates = SolutionPage.objects.for_catalogue().exclude(pk=self.pk)
        candidates = (
            candidates.filter(Q(themes__in=theme_ids) | goal_filter).distinct()
            if theme_ids
            else candidates.filter(goal_filter)
        )
        return candidates.annotate(shared_themes=Coalesce(Subquery(shared_themes), 0)).order_by(
            "-shared_themes", "-dpg", "title"
        )[:limit]

    def similar_solutions(self, limit=4, targets=None, themes=None):
        """Live solutions most like this one, as the site search's backend ranks them (search.Hit list).
        `targets`, `themes`: this solution's, when the caller has read them (tags())."""
        from search.backends import get_backend

        tags = None
        if targets is not None and themes is not None:
            tags = ([target.pk for target in targets], [theme.pk for theme in themes])
        return get_backend().similar_solutions(self.pk, limit=limit, source=self, tags=tags)

    def tags(self):
        """(SDG targets, SDG goals, themes) of this solution, each in the framework's order, read from one query
        on the three tag tables (_tags_sql()) and looked up in the vocabulary kept in memory
        (vocabulary.framework())."""
        from ssn4psi.models.vocabulary import framework

        with connection.cursor() as cursor:
            cursor.execute(_tags_sql(), [self.pk] * 3)
            rows = cursor.fetchall()
        refs = {"sdgtarget_id": [], "sdggoal_id": [], "theme_id": []}
        for column, ref in rows:
            refs[column].append(ref)
        vocabulary = framework()
        return (
            sorted((vocabulary.targets[int(ref)] for ref in refs["sdgtarget_id"]), key=lambda target: target.position),
            sorted((vocabulary.goals[int(ref)] for ref in refs["sdggoal_id"]), key=lambda goal: goal.number),
            sorted((vocabulary.themes[ref] for ref in refs["theme_id"]), key=lambda theme: theme.position),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        targets, goals, themes = self.tags()
        context.update(
            targets=targets,
            goals=goals,
            theme_list=themes,
            key_figures=self.key_figures.all(),
            adoptions=adoptions_of(self),
            similar=self.similar_solutions(targets=targets, themes=themes),
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


class Adoption(ChoiceLabels, Orderable):
    """A member taking up a solution: exploring it, piloting it or having adopted it, and when."""

    solution = ParentalKey(SolutionPage, on_delete=models.CASCADE, related_name="adoptions")
    member = models.ForeignKey("members.MemberPage", on_delete=models.CASCADE, related_name="adoptions")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AdoptionStatus.choices, default=AdoptionStatus.ADOPTED
    )

    panels = [FieldPanel("member"), FieldRowPanel([FieldPanel("year"), FieldPanel("status")])]

    class Meta(Orderable.Meta):
        verbose_name = _("adoption")
        constraints = [models.UniqueConstraint(fields=["solution", "member"], name="one_adoption_per_member")]

    def __str__(self):
        return f"{self.member} – {self.solution}"
