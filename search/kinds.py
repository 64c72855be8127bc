"""The kinds of thing the site search finds, each described once for the database backend: its model, the
public rows, how each facet narrows and counts it, and what a hit shows.

Adding a kind (the exchanges' public outcomes, for instance) is one more `Kind` in `KINDS`: its queryset of
public rows, its facets (read by one function into a `FacetTable`, from which filters and counts are worked
out in Python; a facet it lacks simply leaves it out when chosen), the field its snippet comes from, and its URL.
The search page, the facet panel and the contract tests pick it up.
"""

import gc
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
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

    def facet_values(self, rows, every=False):
        """The candidates' facet values as a `FacetTable`, read once: one query for the rows' own columns (it
        also applies the conditions that make them public and one per translation), one more per
        many-to-many facet. Filters and counts then run on this table in Python, with no query per facet.
        `every` says the rows are all the public ones (no words): the through tables are then read whole."""
        gc_was_enabled = gc.isenabled()
        gc.disable()  # tens of thousands of small tuples: the collector would run many times for nothing
        try:
            return FACET_VALUES[self.type](rows, every)
        finally:
            if gc_was_enabled:
                gc.enable()

    def narrow(self, table, filters, skip=None):
        """The pks of `table` that pass `filters` ({facet: (value, ...)}) but `skip` and "type"; None when a
        chosen facet does not apply to this kind (a workshop has no maturity: choosing one leaves workshops
        out). Values within a facet are alternatives; facets narrow each other, as in the catalogue."""
        passing = []
        for facet, values in filters.items():
            if facet in (skip, "type"):
                continue
            if facet not in self.facets:
                return None
            if facet == "dpg" and set(values) >= {"yes", "no"}:
                continue
            passing.append(table.passing(facet, values))
        if not passing:
            return table.pks
        passing.sort(key=len)
        return passing[0].intersection(*passing[1:])

    @staticmethod
    def count(table, pks, facet):
        """{value: how many of the rows `pks` have it} for one facet (empty values left out)."""
        return table.count(pks, facet)

    def snippet_source(self, row):
        text = getattr(row, self.snippet_field, "") or ""
        return strip_tags(text) if "<" in text else text


class FacetTable:
    """The facet values of one kind's candidate rows, by column: `single` facets hold one value per row
    ({pk: value}), `multi` facets a tuple ({pk: (value, ...)}, rows without any left out), `listed` facets
    a comma-delimited string (",5,8,16,", the solutions' goal_index), split only for the rows counted."""

    def __init__(self, pks, single=None, multi=None, listed=None):
        self.pks = pks
        self.single = single or {}
        self.multi = multi or {}
        self.listed = listed or {}
        self._passing = {}

    def passing(self, facet, values):
        """The set of pks having one of `values` for `facet` (worked out once per facet and values)."""
        key = (facet, tuple(values))
        if key not in self._passing:
            chosen = set(values)
            if facet in self.listed:
                needles = [f",{value}," for value in chosen]
                found = {pk for pk, have in self.listed[facet].items() if any(n in have for n in needles)}
            elif facet in self.multi:
                found = {pk for pk, have in self.multi[facet].items() if not chosen.isdisjoint(have)}
            else:
                found = {pk for pk, have in self.single[facet].items() if have in chosen}
            self._passing[key] = found
        return self._passing[key]

    def count(self, pks, facet):
        if facet in self.listed:
            column = self.listed[facet]
            strings = column.values() if pks is self.pks else map(column.__getitem__, pks)
            counts = Counter(chain.from_iterable(string.split(",") for string in strings))
        elif facet in self.multi:
            column = self.multi[facet]
            if pks is self.pks:
                counts = Counter(chain.from_iterable(column.values()))
            else:
                counts = Counter(chain.from_iterable(column[pk] for pk in pks if pk in column))
        else:
            column = self.single[facet]
            counts = Counter(column.values()) if pks is self.pks else Counter(map(column.__getitem__, pks))
        counts.pop(None, None)
        counts.pop("", None)
        return counts


def _fetch(queryset):
    """The rows of a `values_list` queryset as plain tuples, straight from the cursor: no converters (booleans
    stay 0/1) and no chunked fetching, which for ten thousand rows cost as much as the query."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _grouped(through, owner, column, ids, every=False):
    """{owner pk: (value, ...)} of the owners `ids` from one query on a through table (or a join through
    it). With `every` (the ids are all the public rows), the whole table is read and the few other rows
    dropped here, which costs less than sending ten thousand ids."""
    from search.backends.database import id_list

    found = defaultdict(list)
    if not ids:
        return found
    rows = through.objects.all() if every else through.objects.filter(**{f"{owner}__in": id_list(ids)})
    wanted = set(ids) if every else None
    for pk, value in _fetch(rows.order_by().values_list(owner, column)):
        if wanted is None or pk in wanted:
            found[pk].append(value if isinstance(value, str) else str(value))
    return found


# Solutions: the catalogue's facets (goal_index, themes, the owner's country, maturity, DPG status), so the
# search page and the catalogue agree.


def _solution_values(rows, every=False):
    from solutions.models import SolutionPage

    data = _fetch(
        rows.order_by().values_list("pk", "goal_index", "member__country", "member__region", "maturity", "dpg")
    )
    pks = [row[0] for row in data]
    return FacetTable(
        pks,
        single={
            "country": {row[0]: row[2] for row in data},
            "region": {row[0]: row[3] for row in data},
            "maturity": {row[0]: row[4] for row in data},
            "dpg": {row[0]: "yes" if row[5] else "no" for row in data},
        },
        listed={"goal": {row[0]: row[1] or "" for row in data}},
        multi={
            "theme": _grouped(SolutionPage.themes.through, "solutionpage_id", "theme_id", pks, every),
        },
    )


def _member_values(rows, every=False):
    data = _fetch(rows.order_by().values_list("pk", "country", "region"))
    return FacetTable(
        [row[0] for row in data],
        single={"country": {row[0]: row[1] for row in data}, "region": {row[0]: row[2] for row in data}},
    )


def _need_values(rows, every=False):
    from members.models import Need

    data = _fetch(rows.order_by().values_list("pk", "member__country", "member__region"))
    pks = [row[0] for row in data]
    by_target = _grouped(Need.sdg_targets.through, "need_id", "sdgtarget__goal_id", pks, every)
    by_goal = _grouped(Need.sdg_goals.through, "need_id", "sdggoal_id", pks, every)
    goals = {pk: tuple(set(by_target.get(pk, ())) | set(by_goal.get(pk, ()))) for pk in by_target.keys() | by_goal}
    return FacetTable(
        pks,
        single={"country": {row[0]: row[1] for row in data}, "region": {row[0]: row[2] for row in data}},
        multi={"goal": goals, "theme": _grouped(Need.themes.through, "need_id", "theme_id", pks, every)},
    )


def _workshop_values(rows, every=False):
    from search.backends.database import id_list
    from workshops.models import WorkshopPage

    pks = list(rows.order_by().values_list("pk", flat=True))
    countries, regions = defaultdict(set), defaultdict(set)
    if pks:
        organisers = WorkshopPage.organisers.through.objects.filter(workshoppage_id__in=id_list(pks))
        for pk, country, region in organisers.values_list(
            "workshoppage_id", "memberpage__country", "memberpage__region"
        ):
            countries[pk].add(country)
            regions[pk].add(region)
    return FacetTable(
        pks,
        multi={
            "country": {pk: tuple(values) for pk, values in countries.items()},
            "region": {pk: tuple(values) for pk, values in regions.items()},
        },
    )


FACET_VALUES = {
    "solution": _solution_values,
    "member": _member_values,
    "need": _need_values,
    "workshop": _workshop_values,
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
