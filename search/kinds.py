"""The kinds of thing the site search finds, each described once for the database backend: its model, the
public rows, how each facet narrows and counts it, and what a hit shows.

Adding a kind (the exchanges' public outcomes, for instance) is one more `Kind` in `KINDS`: its queryset of
public rows, its facets (a filter and a counter each; a facet it lacks simply leaves it out when chosen), the
field its snippet comes from, and its URL. The search page, the facet panel and the contract tests pick it up.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    """One searchable kind. `page` is the lookup prefix from a row to the Wagtail page that makes it public
    ("" for pages, "member__" for needs, which live inside their member's page)."""

    type: str
    label: Any
    model_path: str
    page: str = ""
    snippet_field: str = "summary"
    facets: tuple[str, ...] = ()
    #: Fields loaded for a hit, beyond title and the page's URL fields.
    fields: tuple[str, ...] = field(default_factory=tuple)

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)

    @property
    def is_page(self):
        return self.page == ""

    def public(self, private_paths):
        """Rows a visitor may see: live pages (never drafts), outside every view-restricted section."""
        rows = self.model._default_manager.filter(**{f"{self.page}live": True})
        for path in private_paths:
            rows = rows.exclude(**{f"{self.page}path__startswith": path})
        return rows

    def one_per_translation(self, rows, language):
        """Keep, of each page's translations, the reader's; else the default language's; else any."""
        if not self.is_page:
            return rows
        from wagtail.models import Page

        siblings = Page.objects.filter(translation_key=OuterRef("translation_key"), live=True)
        default = settings.LANGUAGE_CODE
        if language == default:
            return rows.filter(
                Q(locale__language_code=default) | ~Exists(siblings.filter(locale__language_code=default))
            )
        return rows.filter(
            Q(locale__language_code=language)
            | (
                ~Exists(siblings.filter(locale__language_code=language))
                & (Q(locale__language_code=default) | ~Exists(siblings.filter(locale__language_code=default)))
            )
        )

    # Facets -----------------------------------------------------------------------------------------------

    def narrow(self, rows, filters, skip=None):
        """Apply `filters` ({facet: (value, ...)}) but `skip` and "type"; None when a chosen facet does not
        apply to this kind (a workshop has no maturity: choosing one leaves workshops out)."""
        for facet, values in filters.items():
            if facet in (skip, "type"):
                continue
            if facet not in self.facets:
                return None
            rows = FILTERS[self.type](rows, facet, values)
            if rows is None:
                return None
        return rows

    def count(self, rows, facet):
        """{value: how many of `rows` have it} for one facet."""
        return COUNTERS[self.type](rows, facet)

    def snippet_source(self, row):
        text = getattr(row, self.snippet_field, "") or ""
        return strip_tags(text) if "<" in text else text


def _m2m_pks(through, column, values, owner):
    return through.objects.filter(**{f"{column}__in": values}).values(owner)


# Solutions: the catalogue's own filters and counters, so the search page and the catalogue agree.


def _solution_catalogue_filters(filters):
    chosen = {}
    for facet, values in filters.items():
        if facet == "goal":
            chosen["goal"] = [int(v) for v in values if v.isdigit()]
        elif facet in ("theme", "country", "maturity"):
            chosen[facet] = list(values)
        elif facet == "dpg" and len(set(values)) == 1:
            chosen["dpg"] = values[0]
    return chosen


def _filter_solutions(rows, facet, values):
    from solutions.catalogue import apply_filters

    if facet == "region":
        return rows.filter(member__region__in=values)
    if facet == "dpg" and set(values) >= {"yes", "no"}:
        return rows
    return apply_filters(rows, _solution_catalogue_filters({facet: values}))


def _count_solutions(rows, facet):
    from solutions.models import SolutionPage

    rows = rows.order_by()
    if facet == "goal":
        return {str(k): v for k, v in rows.goal_counts().items()}
    if facet == "theme":
        through = SolutionPage.themes.through.objects.filter(solutionpage_id__in=rows.values("pk"))
        return dict(through.values_list("theme_id").annotate(n=Count("pk")))
    if facet == "country":
        return dict(rows.values_list("member__country").annotate(n=Count("pk")))
    if facet == "region":
        return dict(rows.values_list("member__region").annotate(n=Count("pk")))
    if facet == "maturity":
        return dict(rows.values_list("maturity").annotate(n=Count("pk")))
    if facet == "dpg":
        counts = dict(rows.values_list("dpg").annotate(n=Count("pk")))
        return {"yes": counts.get(True, 0), "no": counts.get(False, 0)}
    return {}


def _filter_members(rows, facet, values):
    return rows.filter(**{f"{facet}__in": values})


def _count_members(rows, facet):
    return dict(rows.order_by().values_list(facet).annotate(n=Count("pk")))


def _filter_needs(rows, facet, values):
    from members.models import Need

    if facet == "goal":
        goals = [int(v) for v in values if v.isdigit()]
        by_target = _m2m_pks(Need.sdg_targets.through, "sdgtarget__goal_id", goals, "need_id")
        by_goal = _m2m_pks(Need.sdg_goals.through, "sdggoal_id", goals, "need_id")
        return rows.filter(Q(pk__in=by_target) | Q(pk__in=by_goal))
    if facet == "theme":
        return rows.filter(pk__in=_m2m_pks(Need.themes.through, "theme_id", values, "need_id"))
    return rows.filter(**{f"member__{facet}__in": values})


def _count_needs(rows, facet):
    from members.models import Need

    rows = rows.order_by()
    if facet == "goal":
        goals = defaultdict(set)
        ids = rows.values("pk")
        for need, goal in Need.sdg_targets.through.objects.filter(need_id__in=ids).values_list(
            "need_id", "sdgtarget__goal_id"
        ):
            goals[str(goal)].add(need)
        for need, goal in Need.sdg_goals.through.objects.filter(need_id__in=ids).values_list("need_id", "sdggoal_id"):
            goals[str(goal)].add(need)
        return {goal: len(needs) for goal, needs in goals.items()}
    if facet == "theme":
        through = Need.themes.through.objects.filter(need_id__in=rows.values("pk"))
        return dict(through.values_list("theme_id").annotate(n=Count("pk")))
    return dict(rows.values_list(f"member__{facet}").annotate(n=Count("pk")))


def _filter_workshops(rows, facet, values):
    from workshops.models import WorkshopPage

    organisers = WorkshopPage.organisers.through.objects.filter(**{f"memberpage__{facet}__in": values})
    return rows.filter(pk__in=organisers.values("workshoppage_id"))


def _count_workshops(rows, facet):
    from workshops.models import WorkshopPage

    pairs = (
        WorkshopPage.organisers.through.objects.filter(workshoppage_id__in=rows.order_by().values("pk"))
        .values_list(f"memberpage__{facet}", "workshoppage_id")
        .distinct()
    )
    return dict(Counter(value for value, _workshop in pairs))


FILTERS = {
    "solution": _filter_solutions,
    "member": _filter_members,
    "need": _filter_needs,
    "workshop": _filter_workshops,
}
COUNTERS = {
    "solution": _count_solutions,
    "member": _count_members,
    "need": _count_needs,
    "workshop": _count_workshops,
}

KINDS = (
    Kind(
        "solution",
        _("Solutions"),
        "solutions.SolutionPage",
        facets=("goal", "theme", "country", "region", "maturity", "dpg"),
        fields=("summary", "dpg", "maturity"),
    ),
    Kind("member", _("Members"), "members.MemberPage", facets=("country", "region"), fields=("summary",)),
    Kind(
        "need",
        _("Needs"),
        "members.Need",
        page="member__",
        snippet_field="description",
        facets=("goal", "theme", "country", "region"),
        fields=("description", "key"),
    ),
    Kind("workshop", _("Workshops"), "workshops.WorkshopPage", facets=("country", "region"), fields=("summary",)),
)
KIND_BY_TYPE = {kind.type: kind for kind in KINDS}


def valid_values(facet):
    """The values a facet accepts; anything else from a query string is dropped before searching."""
    from ssn4psi.regions import REGIONS
    from ssn4psi.vocabulary import THEME_KEYS, Maturity

    if facet == "type":
        return set(KIND_BY_TYPE)
    if facet == "goal":
        return {str(n) for n in range(1, 18)}
    if facet == "theme":
        return set(THEME_KEYS)
    if facet == "region":
        return {key for key, _label in REGIONS}
    if facet == "maturity":
        return set(Maturity.values)
    if facet == "dpg":
        return {"yes", "no"}
    return None  # country: checked by shape


def clean_filters(filters):
    """`filters` without unknown facets or values (a country must look like an ISO alpha-3 code)."""
    clean = {}
    for facet, values in filters.items():
        allowed = valid_values(facet)
        if facet == "country":
            kept = tuple(v for v in values if len(v) == 3 and v.isascii() and v.isalpha() and v.isupper())
        else:
            kept = tuple(v for v in values if allowed is not None and v in allowed)
        if kept:
            clean[facet] = kept
    return clean
