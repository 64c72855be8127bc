"""The kinds of thing the site search finds, each described once for the database backend: its model, the
public rows, how each facet narrows and counts it, and what a hit shows.

Adding a kind (the exchanges' public outcomes, for instance) is one more `Kind` in `KINDS`: its queryset of
public rows, its facets (read by one function into a `FacetTable`, from which filters and counts are worked
out in Python; a facet it lacks simply leaves it out when chosen), the field its snippet comes from, and its URL.
The search page, the facet panel and the contract tests pick it up.
"""

import gc
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import reduce
from itertools import chain, combinations
from operator import and_, or_
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    """One searchable kind. `page` is the lookup prefix from a row to the Wagtail page that makes it public and
    gives its URL and language ("" for pages, "member__" for needs, which live inside their member's page,
    "learner__" for outcomes); `also_public` the prefixes of other pages that must be public too (an exchange's
    provider), `condition` a further condition on public rows (an exchange's status)."""

    type: str
    label: Any
    model_path: str
    page: str = ""
    snippet_field: str = "summary"
    facets: tuple[str, ...] = ()
    also_public: tuple[str, ...] = ()
    condition: Any = None
    #: Whether the as-you-type box suggests this kind's titles (it needs a title column).
    suggested: bool = True

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)

    @property
    def is_page(self):
        return self.page == ""

    def public(self, private_paths):
        """Rows a visitor may see: live pages (never drafts), outside every view-restricted section."""
        rows = self.model._default_manager.all()
        if self.condition is not None:
            rows = rows.filter(self.condition())
        for prefix in (self.page, *self.also_public):
            rows = rows.filter(**{f"{prefix}live": True})
            for path in private_paths:
                rows = rows.exclude(**{f"{prefix}path__startswith": path})
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

    def has_facets(self, filters):
        """Whether every facet chosen in `filters` (but the type) applies to this kind."""
        return all(facet in self.facets for facet in filters if facet != "type")

    def conditions(self, filters):
        """The chosen facets as SQL conditions, one per facet, for the kinds that have them (the solutions: the
        only kind numerous enough to need them); [] for the others. See `candidates`."""
        builder = FACET_CONDITIONS.get(self.type)
        if builder is None:
            return []
        return [condition for facet, values in filters.items() if (condition := builder(facet, values)) is not None]

    def candidates(self, rows, filters):
        """(rows, every): `rows` cut, when two facets or more are chosen, to those failing one of them at most,
        which is all that the results and every facet's count (the other facets applied) can need; `every`
        says whether the rows are still all of them."""
        conditions = self.conditions(filters)
        if len(conditions) < 2:
            return rows, True
        enough = reduce(or_, (reduce(and_, group) for group in combinations(conditions, len(conditions) - 1)))
        return rows.filter(enough), False

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

    def snippet_source(self, row):
        text = getattr(row, self.snippet_field, "") or ""
        return strip_tags(text) if "<" in text else text

    # Hits -------------------------------------------------------------------------------------------------

    def hit_rows(self, pks):
        """The rows of `pks` with what their hits show, in one query (any order)."""
        from search.backends.database import id_list

        return self.with_hit_fields(self.model._default_manager.filter(pk__in=id_list(pks)))

    def with_hit_fields(self, rows):
        """`rows` loading what `hit_fields` reads, and nothing more."""
        return HIT_ROWS[self.type](rows)

    def hit_fields(self, row):
        """(title, URL, language, snippet source) of one row of `hit_rows`."""
        return HIT_FIELDS[self.type](self, row)


class FacetTable:
    """The facet values of one kind's candidate rows, as read: `rows` ({pk: row tuple}, the pk first), with the
    index in the row of each facet holding one value per row (`single`) or a comma-delimited list (`listed`:
    ",5,8,16,", split only for the rows counted), of the title and of the language code. Facets read by
    another query are in `multi` ({facet: {pk: (value, ...)}}, rows without any left out).

    `pks` is `rows` itself: iterating it gives the pks, and `count` knows it means every row."""

    def __init__(self, rows, single=None, listed=None, multi=None, title=None, language=None):
        self.rows = self.pks = rows
        self.single = single or {}
        self.listed = listed or {}
        self.multi = multi or {}
        self.title = title
        self.language = language
        self._passing = {}

    def passing(self, facet, values):
        """The set of pks having one of `values` for `facet` (worked out once per facet and values)."""
        key = (facet, tuple(values))
        if key not in self._passing:
            chosen = set(values)
            rows = self.rows
            if facet in self.listed:
                i = self.listed[facet]
                needles = [f",{value}," for value in chosen]
                if len(needles) == 1:
                    needle = needles[0]
                    found = {pk for pk, row in rows.items() if needle in row[i]}
                else:
                    found = {pk for pk, row in rows.items() if any(n in row[i] for n in needles)}
            elif facet in self.multi:
                found = {pk for pk, have in self.multi[facet].items() if not chosen.isdisjoint(have)}
            else:
                i = self.single[facet]
                found = {pk for pk, row in rows.items() if row[i] in chosen}
            self._passing[key] = found
        return self._passing[key]

    def count(self, pks, facet):
        """{value: how many of the rows `pks` have it} for one facet (empty values left out)."""
        rows = self.rows
        selected = rows.values() if pks is rows else map(rows.__getitem__, pks)
        if facet in self.listed:
            i = self.listed[facet]
            counts = Counter(chain.from_iterable(row[i].split(",") for row in selected))
        elif facet in self.multi:
            column = self.multi[facet]
            if pks is rows:
                counts = Counter(chain.from_iterable(column.values()))
            else:
                counts = Counter(chain.from_iterable(column[pk] for pk in pks if pk in column))
        else:
            i = self.single[facet]
            counts = Counter(row[i] for row in selected)
        counts.pop(None, None)
        counts.pop("", None)
        return counts

    def best(self, pks, words, language, position, limit):
        """The first `limit` of the rows `pks` as sort keys (-rank, `position`, folded title, pk): the reader's
        language first (4), then titles holding every word (2), then some (1), then by title. Written as one
        loop: it runs for every candidate."""
        rows, t, lang = self.rows, self.title, self.language
        keys = []
        every = len(words)
        for pk in pks:
            row = rows[pk]
            folded = row[t].casefold()
            found = sum(1 for word in words if word in folded) if every else 0
            score = (2 if found == every else 1) if found else 0
            keys.append((-(score + (4 if row[lang] == language else 0)), position, folded, pk))
        return heapq.nsmallest(limit, keys)


def _grouped(through, owner, column, ids, every=False):
    """{owner pk: (value, ...)} of the owners `ids` from one query on a through table (or a join through
    it). With `every` (the ids are all the public rows), the whole table is read and the few other rows
    dropped here, which costs less than sending ten thousand ids."""
    from search.backends.database import id_list

    found = defaultdict(list)
    if not ids:
        return found
    rows = through.objects.all() if every else through.objects.filter(**{f"{owner}__in": id_list(ids)})
    data = list(rows.order_by().values_list(owner, column))
    if every:
        wanted = set(ids)
        data = [row for row in data if row[0] in wanted]
    if not all(isinstance(value, str) for _pk, value in data):
        # Ids are made strings, like every facet value; a join that found nothing (None) is left out.
        data = [(pk, str(value)) for pk, value in data if value is not None]
    for pk, value in data:
        found[pk].append(value)
    return found


# Solutions: the catalogue's facets (goal_index, themes, the owner's country, maturity, DPG status), so the
# search page and the catalogue agree.


def _solution_values(rows, every=False):
    from django.db.models import Case, CharField, Value, When

    from solutions.models import SolutionPage

    rows = rows.order_by().annotate(
        _dpg=Case(When(dpg=True, then=Value("yes")), default=Value("no"), output_field=CharField())
    )
    columns = ("pk", "goal_index", "member__country", "member__region", "maturity", "_dpg", "title")
    data = list(rows.values_list(*columns, "locale__language_code"))
    rows = {row[0]: row for row in data}
    return FacetTable(
        rows,
        single={"country": 2, "region": 3, "maturity": 4, "dpg": 5},
        listed={"goal": 1},
        multi={"theme": _grouped(SolutionPage.themes.through, "solutionpage_id", "theme_id", list(rows), every)},
        title=6,
        language=7,
    )


def _member_values(rows, every=False):
    data = list(rows.order_by().values_list("pk", "country", "region", "title", "locale__language_code"))
    return FacetTable({row[0]: row for row in data}, single={"country": 1, "region": 2}, title=3, language=4)


def _need_values(rows, every=False):
    from members.models import Need

    data = list(
        rows.order_by().values_list("pk", "member__country", "member__region", "title", "member__locale__language_code")
    )
    pks = [row[0] for row in data]
    by_target = _grouped(Need.sdg_targets.through, "need_id", "sdgtarget__goal_id", pks, every)
    by_goal = _grouped(Need.sdg_goals.through, "need_id", "sdggoal_id", pks, every)
    goals = {pk: tuple(set(by_target.get(pk, ())) | set(by_goal.get(pk, ()))) for pk in by_target.keys() | by_goal}
    return FacetTable(
        {row[0]: row for row in data},
        single={"country": 1, "region": 2},
        multi={"goal": goals, "theme": _grouped(Need.themes.through, "need_id", "theme_id", pks, every)},
        title=3,
        language=4,
    )


def _workshop_values(rows, every=False):
    from search.backends.database import id_list
    from workshops.models import WorkshopPage

    data = list(rows.order_by().values_list("pk", "title", "locale__language_code"))
    pks = [row[0] for row in data]
    countries, regions = defaultdict(set), defaultdict(set)
    if pks:
        organisers = WorkshopPage.organisers.through.objects.filter(workshoppage_id__in=id_list(pks))
        for pk, country, region in organisers.values_list(
            "workshoppage_id", "memberpage__country", "memberpage__region"
        ):
            countries[pk].add(country)
            regions[pk].add(region)
    return FacetTable(
        {row[0]: row for row in data},
        multi={
            "country": {pk: tuple(values) for pk, values in countries.items()},
            "region": {pk: tuple(values) for pk, values in regions.items()},
        },
        title=1,
        language=2,
    )


# Outcomes: exchanges that have something to show, found by their summary, partners, solutions and the
# workshop outcomes recorded for them; shown on the learner's page. Countries and regions are both partners',
# goals and themes their solutions'.


def outcome_title(provider, learner):
    return f"{provider} → {learner}"


def _outcome_values(rows, every=False):
    from matchmaking.models import Exchange

    data = list(
        rows.order_by().values_list(
            "pk",
            "provider__title",
            "learner__title",
            "learner__locale__language_code",
            "provider__country",
            "learner__country",
            "provider__region",
            "learner__region",
        )
    )
    pks = [row[0] for row in data]
    goals = {}
    for pk, indexes in _grouped(Exchange.solutions.through, "exchange_id", "solutionpage__goal_index", pks).items():
        goals[pk] = tuple({n for index in indexes for n in index.split(",") if n})
    themes = _grouped(Exchange.solutions.through, "exchange_id", "solutionpage__themes", pks)
    return FacetTable(
        {row[0]: (row[0], outcome_title(row[1], row[2]), row[3]) for row in data},
        multi={
            "country": {row[0]: tuple({c for c in row[4:6] if c}) for row in data},
            "region": {row[0]: tuple({r for r in row[6:8] if r}) for row in data},
            "goal": goals,
            "theme": {pk: tuple(set(values)) for pk, values in themes.items()},
        },
        title=1,
        language=2,
    )


def _solution_condition(facet, values):
    from solutions.models import SolutionPage

    chosen = set(values)
    if facet == "goal":
        return reduce(or_, (Q(goal_index__contains=f",{value},") for value in sorted(chosen)))
    if facet == "theme":
        themed = SolutionPage.themes.through.objects.filter(theme_id__in=sorted(chosen))
        return Q(pk__in=themed.values("solutionpage_id"))
    if facet in ("country", "region"):
        return Q(**{f"member__{facet}__in": sorted(chosen)})
    if facet == "maturity":
        return Q(maturity__in=sorted(chosen))
    if facet == "dpg" and len(chosen) == 1:
        return Q(dpg=chosen == {"yes"})
    return None  # the type, or both "yes" and "no": no condition


#: type -> (facet, values) -> a Q for the rows having one of the values (None: the facet narrows nothing).
FACET_CONDITIONS = {"solution": _solution_condition}

FACET_VALUES = {
    "solution": _solution_values,
    "member": _member_values,
    "need": _need_values,
    "workshop": _workshop_values,
    "outcome": _outcome_values,
}

# What a hit shows: the rows of one page of hits (one query per kind), and their title, URL, language and
# snippet source.


def _page_rows(*fields):
    def rows(queryset):
        return queryset.select_related("locale").only("title", "path", "depth", "url_path", "locale", *fields)

    return rows


def _need_rows(queryset):
    return queryset.select_related("member", "member__locale").only(
        "title", "key", "description", *(f"member__{name}" for name in ("title", "path", "depth", "url_path", "locale"))
    )


def _outcome_rows(queryset):
    pages = ("title", "path", "depth", "url_path", "locale")
    return queryset.select_related("provider", "learner", "learner__locale").only(
        "key", "summary", "status", "date", "provider__title", *(f"learner__{name}" for name in pages)
    )


def _page_hit(kind, row):
    return row.title, row.get_url() or "", row.locale.language_code, kind.snippet_source(row)


def _need_hit(kind, row):
    member = row.member
    return row.title, f"{member.get_url() or ''}#need-{row.key}", member.locale.language_code, kind.snippet_source(row)


def _outcome_hit(kind, row):
    learner = row.learner
    text = row.summary or row.get_status_display()
    return (
        outcome_title(row.provider.title, learner.title),
        f"{learner.get_url() or ''}#exchange-{row.key}",
        learner.locale.language_code,
        text,
    )


HIT_ROWS = {
    "solution": _page_rows("summary"),
    "member": _page_rows("summary"),
    "need": _need_rows,
    "workshop": _page_rows("summary"),
    "outcome": _outcome_rows,
}
HIT_FIELDS = {
    "solution": _page_hit,
    "member": _page_hit,
    "need": _need_hit,
    "workshop": _page_hit,
    "outcome": _outcome_hit,
}


def _outcome_condition():
    from matchmaking.models import OUTCOME_STATUSES

    return Q(status__in=OUTCOME_STATUSES)


KINDS = (
    Kind(
        "solution",
        _("Solutions"),
        "solutions.SolutionPage",
        facets=("goal", "theme", "country", "region", "maturity", "dpg"),
    ),
    Kind("member", _("Members"), "members.MemberPage", facets=("country", "region")),
    Kind(
        "need",
        _("Needs"),
        "members.Need",
        page="member__",
        snippet_field="description",
        facets=("goal", "theme", "country", "region"),
    ),
    Kind("workshop", _("Workshops"), "workshops.WorkshopPage", facets=("country", "region")),
    Kind(
        "outcome",
        _("Exchange outcomes"),
        "matchmaking.Exchange",
        page="learner__",
        also_public=("provider__",),
        condition=_outcome_condition,
        facets=("goal", "theme", "country", "region"),
        suggested=False,
    ),
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
