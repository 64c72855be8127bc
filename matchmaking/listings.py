"""What a member page shows of the matcher's stored results: its recommended partners and the solutions like
the ones it adopted, read from the rows `matchmaking.recommendations` keeps, in a fixed number of queries.

The web path reads; it never computes. Nothing here imports the matcher (matchmaking.graph, scoring, pairing)
or what it runs on (networkx, numpy, scipy): a web worker loads them only when it runs the matcher itself."""

from matchmaking.explain import describe_all
from matchmaking.models import LINK_FIELDS, PartnerRecommendation, SolutionRecommendation
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
