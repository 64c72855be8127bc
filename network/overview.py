"""The network, seen: the figures, the flows between countries, the SDG coverage and the timeline that the network
page (network.models.NetworkPage) shows and its CSV of flows (network.views) gives.

Everything is read through the apps' QuerySet methods in a fixed number of queries whatever the size of the
network: the database counts (exchanges and adoptions grouped by pair of countries, year and status; solutions
and needs grouped by goal and by target) and Python only sums those rows along each axis. Only what anonymous
visitors may see is counted (docs/architecture.md, "Visibility"): live and public member, solution and workshop
pages (ssn4psi.sections.public_pages), the needs of those members, the adoptions whose member and solution both
are, the exchanges whose provider and learner both are (Exchange.objects.public()).

Filters, from the query string:

- `region`, a UN M49 region (ssn4psi.regions): its members, the solutions they own and the needs they have; the
  exchanges and adoptions with a provider or a learner in it (what flowed into and out of it); the workshops that
  involve one of its members.
- `goal`, an SDG goal's number: the solutions that serve it and the needs that ask for it, and the members that own
  the one or have the other (its supply and its demand); the adoptions of those solutions and the exchanges around
  one of them; the workshops that serve those exchanges.

Both narrow together. Invalid values are reported by the form and left out.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from matchmaking.models import OUTCOME_STATUSES, Exchange
from members.models import MemberPage, Need, country_name
from network.charts import flows_from
from solutions.models import Adoption, SolutionPage
from ssn4psi.models import SdgGoal, SdgTarget
from ssn4psi.regions import REGIONS
from ssn4psi.sections import public_pages
from ssn4psi.vocabulary import AdoptionStatus, ExchangeStatus
from workshops.models import WorkshopPage

GOALS = range(1, 18)


class NetworkFilterForm(forms.Form):
    """The network page's filters, read from the query string. Invalid values are reported and ignored."""

    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All regions")), *REGIONS])
    goal = forms.TypedChoiceField(
        label=_("SDG goal"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All goals")), *((str(n), str(n)) for n in GOALS)],
    )

    @classmethod
    def from_query(cls, query):
        """The form bound to `query` (request.GET) when it names one of the filters, unbound otherwise."""
        return cls(query if any(name in query for name in cls.base_fields) else None)

    def filters(self):
        """The valid, non-empty filters as {name: value}; an invalid one is left out (and in `errors`)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}


def country_label(code):
    """A country's name as a label or a table cell, not running text: "COD" -> "Democratic Republic of the Congo"."""
    name = (country_name(code) or "").removeprefix("the ")
    return name[:1].upper() + name[1:]


def other_countries_label(count):
    """The label of the node that groups the countries not drawn on their own."""
    return ngettext("%(count)d other country", "%(count)d other countries", count) % {"count": count}


@dataclass
class TargetCoverage:
    """How many solutions serve an SDG target and how many needs ask for it."""

    target: SdgTarget
    solutions: int = 0
    needs: int = 0

    @property
    def opportunity(self):
        """Needs ask for it and no public solution serves it yet."""
        return bool(self.needs and not self.solutions)

    @property
    def counts_text(self):
        """Its counts in words, in the active language: "3 solutions · 1 need"."""
        solutions = ngettext("%(count)d solution", "%(count)d solutions", self.solutions) % {"count": self.solutions}
        needs = ngettext("%(count)d need", "%(count)d needs", self.needs) % {"count": self.needs}
        return gettext("%(solutions)s · %(needs)s") % {"solutions": solutions, "needs": needs}


@dataclass
class GoalCoverage:
    """How many solutions serve an SDG goal (through a target or as a whole) and how many needs ask for it, with
    its targets that either tags."""

    goal: SdgGoal
    solutions: int = 0
    needs: int = 0
    targets: list = field(default_factory=list)

    @property
    def opportunity(self):
        """Needs ask for the goal and no public solution serves it yet."""
        return bool(self.needs and not self.solutions)

    @cached_property
    def target_opportunities(self):
        """Its targets that are opportunities."""
        return [target for target in self.targets if target.opportunity]

    @property
    def opportunity_text(self):
        """What its row says of its opportunities, in words (never a colour alone), or "" when it has none."""
        if self.opportunity:
            return gettext("Opportunity: needs ask for it, no solution serves it yet")
        if count := len(self.target_opportunities):
            return ngettext(
                "Opportunity: %(count)d target that needs ask for has no solution yet",
                "Opportunity: %(count)d targets that needs ask for have no solution yet",
                count,
            ) % {"count": count}
        return ""


@dataclass
class Scope:
    """The querysets of what the network page counts, as NetworkOverview builds them for its filters."""

    members: object
    solutions: object
    needs: object
    adoptions: object
    exchanges: object
    workshops: object


class NetworkOverview:
    """The network as anonymous visitors may see it, narrowed by `filters` (NetworkFilterForm.filters()): the
    querysets of what it counts (`scope`, built when first needed), and their counts."""

    def __init__(self, request, filters):
        self.request, self.filters = request, filters

    @cached_property
    def scope(self):
        """The Scope of these filters."""
        filters, request = self.filters, self.request
        members = public_pages(request, MemberPage)
        solutions = public_pages(request, SolutionPage).filter(locale__language_code=settings.LANGUAGE_CODE)
        listed = members.filter(locale__language_code=settings.LANGUAGE_CODE)
        needs = Need.objects.filter(member__in=members)
        # Checked row by row (EXISTS on the primary key): with two IN lists, SQLite looks up every pair of a
        # visible member and a visible solution in the adoptions' unique index, which costs more than the rows.
        adoptions = Adoption.objects.filter(
            Exists(members.filter(pk=OuterRef("member_id"))), Exists(solutions.filter(pk=OuterRef("solution_id")))
        )
        exchanges = Exchange.objects.public(members)
        workshops = public_pages(request, WorkshopPage)
        if region := filters.get("region"):
            listed = listed.filter(region=region)
            needs = needs.filter(member__region=region)
            adoptions = adoptions.filter(Q(member__region=region) | Q(solution__member__region=region))
            exchanges = exchanges.filter(Q(provider__region=region) | Q(learner__region=region))
            workshops = workshops.involving_any(members.filter(region=region))
        if goal := filters.get("goal"):
            # Any public solution on the goal: a region's adoptions and exchanges may be of foreign solutions.
            on_goal = solutions.serving_goal(goal)
            needs = needs.asking_for_goal(goal)
            adoptions = adoptions.filter(solution__in=on_goal)
            exchanges = exchanges.about(on_goal)
            workshops = workshops.serving(exchanges)
            listed = listed.filter(Q(pk__in=on_goal.values("member")) | Q(pk__in=needs.values("member")))
            solutions = on_goal
        if region:
            solutions = solutions.filter(member__region=region)
        return Scope(listed, solutions, needs, adoptions, exchanges, workshops)

    def counts(self):
        """What the page shows, counted, as plain data (JSON: lists, numbers, text) that NetworkCounts reads and the
        whole network's summary keeps (network.models.NetworkSummary). The database counts: the members (one
        aggregate), the solutions (one count), the exchanges and the adoptions grouped by pair of countries, year and
        status (one query each), the solutions and needs by goal and by target (five). Python sums those rows along
        each axis. The workshops are not in it (attendance()): registrations change too often to keep."""
        scope = self.scope
        members = scope.members.order_by().aggregate(members=Count("pk"), countries=Count("country", distinct=True))
        exchange_statuses, adoption_statuses = Counter(), Counter()
        # {(provider, learner): [exchanges, adoptions]} for every pair, the same country included: exchanges that
        # shared knowledge at least (one proposed or agreed taught nothing yet, a dropped one nothing), adoptions
        # whatever their status. {year: [exchanges, adoptions]} by the exchange's date, the adoption's year.
        pairs, years = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
        for provider, learner, year, status, n in scope.exchanges.by_countries():
            exchange_statuses[status] += n
            years[year][0] += n
            if status in OUTCOME_STATUSES and provider and learner:
                pairs[provider, learner][0] += n
        for owner, adopter, year, status, n in scope.adoptions.by_countries():
            adoption_statuses[status] += n
            years[year][1] += n
            if owner and adopter:
                pairs[owner, adopter][1] += n
        # Lists of [key, n] (JSON objects' keys could only be text), sorted: the same counts give the same data.
        return {
            **members,
            "solutions": scope.solutions.order_by().count(),
            "exchange_statuses": _rows(exchange_statuses),
            "adoption_statuses": _rows(adoption_statuses),
            "pairs": sorted([*pair, *numbers] for pair, numbers in pairs.items()),
            "years": sorted(([year, *numbers] for year, numbers in years.items()), key=lambda row: row[0] or 0),
            "solution_goals": _rows(scope.solutions.goal_counts()),
            "need_goals": _rows(scope.needs.goal_counts()),
            "solution_targets": _rows(scope.solutions.target_counts()),
            "need_targets": _rows(scope.needs.target_counts()),
        }

    def attendance(self):
        """{"workshops": n, "participants": n}: the workshops and the registrations that hold a place in them (a
        count, nothing about the people). One query."""
        # Without filters, only the workshops' queryset: the rest of the scope is not needed when the counts are kept.
        workshops = self.scope.workshops if self.filters else public_pages(self.request, WorkshopPage)
        return workshops.attendance()


def _rows(counts):
    """{key: n} as [[key, n], ...] in the keys' order."""
    return [[key, n] for key, n in sorted(counts.items())]


class NetworkCounts:
    """What the network page and its CSV show, read from NetworkOverview.counts() (counted, or kept)."""

    def __init__(self, counts):
        self.data = counts

    def figures(self, attendance):
        """The headline figures: members, countries, solutions, exchanges, adoptions, and `attendance`."""
        return {
            "members": self.data["members"],
            "countries": self.data["countries"],
            "solutions": self.data["solutions"],
            "exchanges": sum(n for _status, n in self.data["exchange_statuses"]),
            "adoptions": sum(n for _status, n in self.data["adoption_statuses"]),
            **attendance,
        }

    def exchange_statuses(self):
        """[(status label, n)] of the exchanges, in the order of their life, the statuses that have some."""
        counts = dict(self.data["exchange_statuses"])
        return [(label, counts[value]) for value, label in ExchangeStatus.choices if counts.get(value)]

    def adoption_statuses(self):
        """[(status label, n)] of the adoptions, the statuses that have some."""
        counts = dict(self.data["adoption_statuses"])
        return [(label, counts[value]) for value, label in AdoptionStatus.choices if counts.get(value)]

    def pairs(self):
        """{(provider, learner): (exchanges, adoptions)} for every pair of two different countries."""
        return {(provider, learner): (e, a) for provider, learner, e, a in self.data["pairs"] if provider != learner}

    def flows(self):
        """Flows (network.charts.Flow) between two countries, the largest first: who learned from whom."""
        return flows_from(self.pairs())

    def within_countries(self):
        """{"exchanges": n, "adoptions": n} that stayed within one country (a ministry learning from its own
        government's agency): counted, but not flows between countries."""
        within = [(e, a) for provider, learner, e, a in self.data["pairs"] if provider == learner]
        return {"exchanges": sum(n[0] for n in within), "adoptions": sum(n[1] for n in within)}

    def timeline(self):
        """([(year, exchanges, adoptions)] by year, {"exchanges": n, "adoptions": n} without a year): exchanges by
        the year of their date (when they took place; every status), adoptions by their year."""
        dated = sorted((year, e, a) for year, e, a in self.data["years"] if year is not None)
        undated = next(([e, a] for year, e, a in self.data["years"] if year is None), [0, 0])
        return dated, {"exchanges": undated[0], "adoptions": undated[1]}

    def coverage(self):
        """GoalCoverage of the 17 goals, each with the targets that a solution or a need is tagged with: two
        queries, the goals and those targets."""
        solution_goals, need_goals = dict(self.data["solution_goals"]), dict(self.data["need_goals"])
        solution_targets, need_targets = dict(self.data["solution_targets"]), dict(self.data["need_targets"])
        targets = defaultdict(list)
        shown = SdgTarget.objects.filter(pk__in=solution_targets.keys() | need_targets.keys()).order_by("position")
        for target in shown.only("code", "goal", "position", "titles"):
            targets[target.goal_id].append(
                TargetCoverage(target, solution_targets.get(target.pk, 0), need_targets.get(target.pk, 0))
            )
        return [
            GoalCoverage(goal, solution_goals.get(goal.number, 0), need_goals.get(goal.number, 0), targets[goal.number])
            for goal in SdgGoal.objects.all()
        ]
