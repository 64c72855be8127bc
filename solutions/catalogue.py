"""Filtering the catalogue and counting its facets.

Filters combine: values within one facet are alternatives (goal 9 or 16), facets narrow each other
(goal 16 and theme e-services). Each facet's counts are taken with every other facet applied but not
its own, so a visitor sees how many solutions each choice would give. The number of queries is fixed:
one per facet, one count, one page and its prefetches, whatever the catalogue's size.
"""

from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _

from members.models import MemberPage, country_choices, country_name
from ssn4psi.models import SdgGoal
from ssn4psi.vocabulary import THEME_LABELS, THEMES, Maturity

FACETS = ("goal", "theme", "country", "maturity", "dpg")
#: Filters that narrow the catalogue without a facet of their own (a link from a member's page).
SCOPES = ("member",)


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, read from the query string. Invalid values are reported and ignored."""

    goal = forms.TypedMultipleChoiceField(
        label=_("SDG goal"), required=False, coerce=int, choices=[(str(n), str(n)) for n in range(1, 18)]
    )
    theme = forms.MultipleChoiceField(label=_("Theme"), required=False, choices=[(k, label) for k, label, _d in THEMES])
    country = forms.MultipleChoiceField(label=_("Country"), required=False, choices=country_choices)
    maturity = forms.MultipleChoiceField(label=_("Maturity"), required=False, choices=Maturity.choices)
    dpg = forms.ChoiceField(
        label=_("Digital public good"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Digital public goods only")), ("no", _("Not a digital public good"))],
    )

    member = forms.SlugField(label=_("Owner"), required=False, max_length=80)

    def filters(self):
        """The valid filters as {facet: value}, leaving out empty ones and any that failed validation."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in FACETS + SCOPES if data.get(name)}


def apply_filters(solutions, filters, skip=None):
    """Narrow `solutions` (a SolutionPage queryset) by `filters` ({facet: value}); the facet named `skip` is left
    out."""
    for facet, value in filters.items():
        if facet == skip:
            continue
        if facet == "goal":
            solutions = solutions.filter(reduce(or_, (Q(goal_index__contains=f",{n},") for n in value)))
        elif facet == "theme":
            tagged = solutions.model.themes.through.objects.filter(theme_id__in=value).values("solutionpage_id")
            solutions = solutions.filter(pk__in=tagged)
        elif facet == "country":
            solutions = solutions.filter(member__country__in=value)
        elif facet == "maturity":
            solutions = solutions.filter(maturity__in=value)
        elif facet == "dpg":
            solutions = solutions.filter(dpg=(value == "yes"))
        elif facet == "member":
            solutions = solutions.filter(_owned_within(value))
    return solutions


def _owned_within(member_key):
    """Owned by the member with `member_key` or by a member under it (a2i's solutions count for Bangladesh)."""
    scope = MemberPage.objects.filter(key=member_key, path=Substr(OuterRef("member__path"), 1, Length("path")))
    return Exists(scope)


def facet_counts(solutions, filters):
    """{facet: {value: count}} for every facet, each counted without its own filter: one aggregate query per
    facet over the rows the other facets leave."""

    def base(facet):
        return apply_filters(solutions, filters, skip=facet).order_by()

    themes = (
        solutions.model.themes.through.objects.filter(solutionpage_id__in=base("theme").values("pk"))
        .values_list("theme_id")
        .annotate(n=Count("pk"))
    )
    dpg = dict(base("dpg").values_list("dpg").annotate(n=Count("pk")))
    return {
        "goal": base("goal").goal_counts(),
        "theme": dict(themes),
        "country": dict(base("country").values_list("member__country").annotate(n=Count("pk"))),
        "maturity": dict(base("maturity").values_list("maturity").annotate(n=Count("pk"))),
        "dpg": {"yes": dpg.get(True, 0), "no": dpg.get(False, 0)},
    }


def facet_options(counts, filters):
    """What the filter panel shows: for each facet, options with label, count and whether selected."""
    selected = {
        facet: {str(v) for v in (value if isinstance(value, list) else [value])} for facet, value in filters.items()
    }
    goals = {goal.number: goal for goal in SdgGoal.objects.all()}

    def options(facet, pairs):
        chosen = selected.get(facet, set())
        return [
            {
                "value": str(value),
                "label": label,
                "count": counts[facet].get(value, 0),
                "selected": str(value) in chosen,
            }
            for value, label in pairs
            if counts[facet].get(value, 0) or str(value) in chosen
        ]

    countries = sorted(((code, country_name(code)) for code in counts["country"] if code), key=lambda pair: pair[1])
    return {
        "goal": [
            dict(option, goal=goals.get(int(option["value"])))
            for option in options("goal", [(n, goals[n].short_title if n in goals else str(n)) for n in range(1, 18)])
        ],
        "theme": options("theme", [(key, THEME_LABELS[key]) for key, _l, _d in THEMES]),
        "country": options("country", countries),
        "maturity": options("maturity", Maturity.choices),
        "dpg": options("dpg", [("yes", _("Digital public goods")), ("no", _("Other solutions"))]),
    }


def active_filters(filters, options):
    """The chosen filters as (facet, value, label) for the "remove this filter" links."""
    labels = {(facet, option["value"]): option["label"] for facet, opts in options.items() for option in opts}
    chosen = []
    for facet, value in filters.items():
        for item in value if isinstance(value, list) else [value]:
            chosen.append({"facet": facet, "value": str(item), "label": labels.get((facet, str(item)), str(item))})
    return chosen


def catalogue_context(request, solutions, whole_counts=None):
    """Template context for the catalogue page: form, facets, chosen filters and the page of results.
    `whole_counts`, when given, returns the facet counts of `solutions` without filters (a kept summary): used
    when no filter is chosen, instead of counting."""
    form = CatalogueFilterForm(request.GET if any(f in request.GET for f in FACETS + SCOPES) else None)
    filters = form.filters()
    results = apply_filters(solutions, filters)
    counts = whole_counts() if whole_counts is not None and not filters else facet_counts(solutions, filters)
    options = facet_options(counts, filters)
    if "member" in filters:
        title = MemberPage.objects.live().public().filter(key=filters["member"]).values_list("title", flat=True).first()
        options["member"] = [{"value": filters["member"], "label": title or filters["member"], "selected": True}]
    paginator = Paginator(results, settings.CATALOGUE_PAGE_SIZE)
    # Every solution has one DPG status and one maturity: without a filter on one of them, its facet's
    # counts add up to the results' size, and the paginator need not ask the database again.
    for facet in ("dpg", "maturity"):
        if facet not in filters:
            paginator.count = sum(counts[facet].values())
            break
    return {
        "form": form,
        "facets": options,
        "chosen": active_filters(filters, options),
        "page_obj": paginator.get_page(request.GET.get("page")),
    }
