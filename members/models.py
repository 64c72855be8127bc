"""Members of the network and what they want to learn.

A member is a Wagtail page, so the page tree is the hierarchy (Bangladesh > a2i > its solutions) and a
focal point's page permissions on its member page cover its child members, its needs and its solutions.
"""

from functools import lru_cache

import pycountry
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ssn4psi.fields import ChoiceListField, choice_display
from ssn4psi.images import validate_image_alt, with_images
from ssn4psi.languages import language_choices, language_name
from ssn4psi.models import IndexedClusterCopy, SdgTarget, Theme
from ssn4psi.regions import REGIONS, region_for_country, subregion_for_country
from ssn4psi.richtext import sanitise_html
from ssn4psi.sections import MEMBER_PAGE_SECTIONS, public_pages, sections
from ssn4psi.vocabulary import MemberKind, Modality, Priority


@lru_cache(maxsize=1)
def country_choices():
    """(alpha-3, name) for every country, sorted by name without a leading "The"; built once per process."""
    names = ((country.alpha_3, country_name(country.alpha_3)) for country in pycountry.countries)
    pairs = ((code, name[:1].upper() + name[1:]) for code, name in names)
    return tuple(sorted(pairs, key=lambda pair: pair[1].lower().removeprefix("the ")))


def country_name(alpha3):
    """The usual English name of an ISO 3166-1 alpha-3 code, in running-text order:
    "COD" -> "the Democratic Republic of the Congo", "KOR" -> "Republic of Korea", "BOL" -> "Bolivia"."""
    country = pycountry.countries.get(alpha_3=(alpha3 or "").upper())
    if country is None:
        return alpha3
    name = getattr(country, "common_name", None) or country.name
    if ", " in name:  # ISO writes "Korea, Republic of"
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
        name = name[0].lower() + name[1:] if name.startswith("The ") else name
    return name


def validate_country(value):
    if not pycountry.countries.get(alpha_3=(value or "").upper()):
        raise ValidationError(_("%(value)s is not an ISO 3166-1 alpha-3 country code."), params={"value": value})


def validate_subdivision(value):
    if value and not pycountry.subdivisions.get(code=value.upper()):
        raise ValidationError(_("%(value)s is not an ISO 3166-2 subdivision code."), params={"value": value})


class MemberQuerySet(PageQuerySet):
    def in_directory(self):
        """Live, public members in the default locale, in name order, ready for a listing."""
        return self.live().public().filter(locale__language_code=settings.LANGUAGE_CODE).order_by(Lower("title"), "pk")

    def as_links(self, *fields):
        """What a link to each needs (title and URL), and `fields`, in name order."""
        return self.only("title", "url_path", "locale_id", *fields).order_by(Lower("title"), "pk")


class MemberChildRouting:
    """Wagtail's routing (Page.route), with a member page child read in one query: as its specific page straight
    away, where Wagtail reads the base page and then its specific one. Any other child is routed by Wagtail."""

    def route(self, request, path_components):
        if path_components:
            child = MemberPage.objects.child_of(self).filter(slug=path_components[0]).first()
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


class MemberIndexPage(MemberChildRouting, Page):
    """The directory of members (/members/): filter by region, kind and country."""

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["members.MemberPage"]
    max_count = 1

    class Meta:
        verbose_name = _("member directory")

    def get_context(self, request, *args, **kwargs):
        from members.directory import DirectoryFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = DirectoryFilterForm(request.GET or None)
        members = MemberPage.objects.in_directory().descendant_of(self)
        filters = form.cleaned_filters()
        for field, value in filters.items():
            members = members.filter(**{field: value})
        paginator = Paginator(
            with_images(members.only("title", "url_path", "path", "depth", "kind", "country", "summary", "image")),
            settings.MEMBER_DIRECTORY_PAGE_SIZE,
        )
        context.update(
            form=form,
            page_obj=paginator.get_page(request.GET.get("page")),
        )
        return context


class MemberPage(MemberChildRouting, Page):
    """An organisation in the network: a government, subnational government, agency, international
    organisation, private company, university or civil-society group.

    Its parent page, when it is a member too, is its parent member (a2i under Bangladesh). Its children
    are its child members and the solutions it owns; its needs are inline (Need).
    """

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    key = models.SlugField(
        max_length=80, unique=True, help_text=_("Stable identifier used by the catalogue format, e.g. bgd-a2i.")
    )
    kind = models.CharField(max_length=32, choices=MemberKind.choices)
    country = models.CharField(
        max_length=3, validators=[validate_country], help_text=_("ISO 3166-1 alpha-3, e.g. BGD.")
    )
    subdivision = models.CharField(
        max_length=8, blank=True, validators=[validate_subdivision], help_text=_("ISO 3166-2, e.g. PH-14 for BARMM.")
    )
    region = models.CharField(max_length=16, blank=True, editable=False, choices=REGIONS, db_index=True)
    subregion = models.CharField(max_length=40, blank=True, editable=False)
    languages = ChoiceListField(_("languages"), item_choices=language_choices, help_text=_("Working languages."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences shown in listings."))
    description = RichTextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo or picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown on its page and in the directory. Its description in the image library is its alt text: an image "
            "without one is refused."
        ),
    )

    objects = PageManager.from_queryset(MemberQuerySet)()

    get_kind_display = choice_display("kind", MemberKind)
    get_region_display = choice_display("region", REGIONS)

    content_panels = Page.content_panels + [
        FieldPanel("key"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("country"), FieldPanel("subdivision")]),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("languages"), FieldPanel("website")], heading=_("Contact and languages")),
        InlinePanel("needs", heading=_("Needs"), label=_("Need")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("country"),
        index.FilterField("region"),
        index.RelatedFields("needs", [index.SearchField("title"), index.SearchField("description")]),
    ]
    parent_page_types = ["members.MemberIndexPage", "members.MemberPage"]
    subpage_types = ["members.MemberPage", "solutions.SolutionPage"]

    #: How many of its solutions a member page lists before linking to the catalogue for the rest.
    SOLUTIONS_SHOWN = 12

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def save(self, *args, **kwargs):
        self.country = (self.country or "").upper()
        self.subdivision = (self.subdivision or "").upper()
        self.region = region_for_country(self.country) or ""
        self.subregion = subregion_for_country(self.country) or ""
        self.description = sanitise_html(self.description)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        validate_image_alt(self)

    @property
    def country_name(self):
        return country_name(self.country)

    @property
    def language_names(self):
        return [language_name(code) for code in self.languages or []]

    def get_context(self, request, *args, **kwargs):
        """Its own parts (family, needs) and the sections the apps above add (ssn4psi.sections): the solutions it
        offers and adopted, the partners recommended to it, its exchanges, its workshops."""
        context = super().get_context(request, *args, **kwargs)
        members = public_pages(request, MemberPage)
        # The member it belongs to (Bangladesh for a2i) and those under it, when live and public: one query.
        family = list(members.filter(members.parent_of_q(self) | members.child_of_q(self)).as_links("depth"))
        context.update(
            parent_member=next((member for member in family if member.depth < self.depth), None),
            child_members=[member for member in family if member.depth > self.depth],
            needs=self.needs.for_display(),
            sections=sections(MEMBER_PAGE_SECTIONS, self, request),
        )
        return context


class NeedQuerySet(models.QuerySet):
    def for_display(self):
        """In the editor's order, each with `tag_targets` and `tag_themes`, its SDG targets and themes in the
        framework's order (two more queries for any number of needs)."""
        return self.order_by("sort_order", "pk").prefetch_related(
            Prefetch("sdg_targets", queryset=SdgTarget.objects.order_by("position"), to_attr="tag_targets"),
            Prefetch("themes", queryset=Theme.objects.order_by("position"), to_attr="tag_themes"),
        )

    def asking_for_goal(self, number):
        """Needs tagged with goal `number` or one of its targets, each once."""
        asking = Need.objects.filter(Q(sdg_goals=number) | Q(sdg_targets__goal=number))
        return self.filter(pk__in=asking.values("pk"))

    def goal_counts(self):
        """{goal number: how many of these needs ask for it} for the goals some ask for: a need asks for a goal when
        it is tagged with the whole goal or with one of its targets, and counts once per goal. Two queries grouped by
        goal, counted by the database: the needs tagged with the whole goal, then those tagged only through its
        targets (each need once, and none already counted with the whole goal)."""
        needs = self.order_by().values("pk")
        whole = self.model.sdg_goals.through.objects.filter(need_id__in=needs)
        counts = dict(whole.values_list("sdggoal_id").annotate(n=Count("pk")).order_by())
        also_whole = whole.filter(need_id=OuterRef("need_id"), sdggoal_id=OuterRef("sdgtarget__goal_id"))
        through_targets = self.model.sdg_targets.through.objects.filter(need_id__in=needs).exclude(Exists(also_whole))
        for goal, n in (
            through_targets.values_list("sdgtarget__goal_id").annotate(n=Count("need_id", distinct=True)).order_by()
        ):
            counts[goal] = counts.get(goal, 0) + n
        return counts

    def target_counts(self):
        """{SDG target pk: how many of these needs are tagged with it} for the targets some are tagged with: one
        query grouped by target."""
        rows = self.model.sdg_targets.through.objects.filter(need_id__in=self.order_by().values("pk"))
        return dict(rows.values_list("sdgtarget_id").annotate(n=Count("pk")).order_by())


class Need(IndexedClusterCopy, index.Indexed, Orderable, ClusterableModel):
    """What a member wants to learn, in its own words, tagged for the matcher (SDG targets and themes).
    Indexed on its own so the site search finds a need, not only the member page that lists it."""

    search_auto_update = False  # indexed in batches after the commit (search/indexing.py), not per save

    member = ParentalKey(MemberPage, on_delete=models.CASCADE, related_name="needs")
    key = models.SlugField(max_length=80, unique=True, help_text=_("Stable identifier used by the catalogue format."))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    sdg_targets = ParentalManyToManyField(
        "ssn4psi.SdgTarget", blank=True, related_name="needs", verbose_name=_("SDG targets")
    )
    sdg_goals = ParentalManyToManyField(
        "ssn4psi.SdgGoal",
        blank=True,
        related_name="needs",
        verbose_name=_("SDG goals"),
        help_text=_("Whole goals, where no single target fits."),
    )
    themes = ParentalManyToManyField("ssn4psi.Theme", blank=True, related_name="needs", verbose_name=_("themes"))
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    modalities = ChoiceListField(_("preferred modalities"), item_choices=Modality.choices)

    objects = NeedQuerySet.as_manager()

    get_priority_display = choice_display("priority", Priority)

    panels = [
        FieldPanel("key"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("sdg_targets"),
        FieldPanel("sdg_goals", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("priority"),
        FieldPanel("modalities"),
    ]
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("member"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self):
        return self.title

    def get_modalities_display(self):
        labels = dict(Modality.choices)
        return [labels.get(value, value) for value in self.modalities or []]
