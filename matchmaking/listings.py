"""What a member page shows of the matcher's stored results: its recommended partners and the solutions like
the ones it adopted, read from the rows `matchmaking.recommendations` keeps, in a fixed number of queries; and
the partners it already has, whom it learned from and shared with (`ties_by_partner()`), from its adoptions and
exchanges.

The web path reads; it never computes. Nothing here imports the matcher (matchmaking.graph, scoring, pairing)
or what it runs on (networkx, numpy, scipy): a web worker loads them only when it runs the matcher itself."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from matchmaking.explain import describe_all
from matchmaking.models import LINK_FIELDS, OUTCOME_STATUSES, PartnerRecommendation, SolutionRecommendation
from members.models import MemberPage
from solutions.models import SolutionPage


def partners_for(member, limit=5, members=None, solutions=None):
    """The partners recommended to `member` (PartnerRecommendation.objects.for_member_page()), at most `limit`,
    as a list ready for its page: each with `solution_pages` and `facilitator_pages`, the live and public pages
    it names by key (in its order; the others left out), and `sentences`, its reasons in the active language.
    At most five queries whatever the count: the recommendations, the solutions, the facilitators, and Wagtail's
    view restrictions for member pages and for solution pages. `members`, `solutions`: MemberPage.objects.live().
    public() and SolutionPage.objects.live().public(), when the caller has them already
    (ssn4psi.sections.public_pages())."""
    members = MemberPage.objects.live().public() if members is None else members
    rows = list(PartnerRecommendation.objects.for_member_page(member, members)[:limit])
    solution_keys = {key for row in rows for key in row.solutions}
    if solution_keys and solutions is None:
        solutions = SolutionPage.objects.live().public()
    solutions = _by_key(solutions, solution_keys)
    facilitators = _by_key(members, {f["key"] for row in rows for f in row.facilitators})
    for row in rows:
        row.solution_pages = [solutions[key] for key in row.solutions if key in solutions]
        row.facilitator_pages = [facilitators[f["key"]] for f in row.facilitators if f["key"] in facilitators]
        row.sentences = describe_all(row.reasons)
    return rows


def _by_key(pages, keys):
    """{key: page} of `pages` with these keys, with what their links need (no query without keys)."""
    if not keys:
        return {}
    return {page.key: page for page in pages.filter(key__in=keys).only("key", *LINK_FIELDS)}


def solutions_for(member, kind, limit=6, solutions=None):
    """The solutions of one `kind` recommended to `member` (SolutionRecommendation.objects.for_member_page()),
    at most `limit`, as a list ready for its page: each with its `solution` page, its owner's name as
    `owner_title` ("" when the owner is not live) and its reasons in the active language as `sentences`. Two
    queries (the recommendations, Wagtail's view restrictions)."""
    rows = list(SolutionRecommendation.objects.for_member_page(member, kind, solutions)[:limit])
    for row in rows:
        owner = row.solution.member
        row.owner_title = owner.title if owner is not None and owner.live else ""
        row.sentences = describe_all(row.reasons)
    return rows


@dataclass(frozen=True)
class Tie:
    """Something a member did with a partner: took up one of its `solutions`, or had an exchange with it (its
    `exchange` key: the page links to the exchange in its list of exchanges, which says what it was about; its
    solutions would take one more query). `status` is the adoption's or the exchange's, ready to show."""

    solutions: tuple
    year: int | None
    status: str
    exchange: str = ""


@dataclass
class Partner:
    """A member another one learned from or shared with, and what they did together (`ties`, latest first)."""

    member: object
    ties: list = field(default_factory=list)

    @property
    def latest(self):
        """The year of its latest dated tie, or None."""
        return max((tie.year for tie in self.ties if tie.year), default=None)


@dataclass(frozen=True)
class Partners:
    """Whom a member learned from and whom it shared with, each list latest tie first, then by name."""

    learned_from: list
    shared_with: list

    def __bool__(self):
        return bool(self.learned_from or self.shared_with)

    @property
    def lists(self):
        """(partners, heading id, heading) of each list, for the page."""
        return (
            (self.learned_from, "learned-from-heading", _("Learned from")),
            (self.shared_with, "shared-with-heading", _("Shared with")),
        )


def ties_by_partner(member, adoptions, exchanges):
    """Whom `member` learned from and shared with (Partners), from its `adoptions` both ways (Adoption.objects.
    ties_of(): each with `member` and `solution.member`, the adopter and the owner) and its `exchanges` (Exchange.
    objects.listed_for()). Pure: no query.

    It learned from the owners of the solutions it took up and from the providers of its exchanges as learner; it
    shared with the members that took up its solutions and with the learners of its exchanges as provider. Only
    exchanges that got somewhere count (knowledge shared or further: OUTCOME_STATUSES); the page lists them all
    elsewhere. Taking up one's own solution ties nobody."""
    learned, shared = {}, {}

    def tie(partners, partner, found):
        partners.setdefault(partner.pk, Partner(partner)).ties.append(found)

    for adoption in adoptions:
        owner, adopter = adoption.solution.member, adoption.member
        found = Tie((adoption.solution,), adoption.year, adoption.get_status_display())
        if adopter.pk == member.pk and owner is not None and owner.pk != member.pk:
            tie(learned, owner, found)
        elif owner is not None and owner.pk == member.pk and adopter.pk != member.pk:
            tie(shared, adopter, found)
    for exchange in exchanges:
        if exchange.status not in OUTCOME_STATUSES:
            continue
        year = exchange.date.year if exchange.date else None
        found = Tie((), year, exchange.get_status_display(), exchange=exchange.key)
        if exchange.learner_id == member.pk:
            tie(learned, exchange.provider, found)
        elif exchange.provider_id == member.pk:
            tie(shared, exchange.learner, found)
    return Partners(_latest_first(learned.values()), _latest_first(shared.values()))


def _latest_first(partners):
    """`partners` with their ties latest first (undated last; in a year, adoptions by solution name, then
    exchanges), themselves by their latest tie, then by name."""
    for partner in partners:
        partner.ties.sort(key=_tie_order)
    return sorted(partners, key=lambda p: (p.latest is None, -(p.latest or 0), p.member.title.casefold()))


def _tie_order(tie):
    names = [solution.title.casefold() for solution in tie.solutions]
    return (tie.year is None, -(tie.year or 0), bool(tie.exchange), names, tie.exchange)
