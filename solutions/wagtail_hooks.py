"""What solutions add to other apps' pages: a member page's solutions. Its adoptions, both ways (what it took up,
who took up its solutions), are shown with its exchanges by matchmaking ("Learned from and shared with")."""

from django.db.models import Count, Window
from wagtail import hooks

from solutions.models import SolutionPage
from ssn4psi.sections import MEMBER_PAGE_SECTIONS, Section, public_pages


@hooks.register(MEMBER_PAGE_SECTIONS)
def member_solutions(member, request):
    """The solutions a member offers (its own and its child members'), the first few as cards, and how many there
    are in all, counted in the same query: two queries with the cards' themes."""
    offered = public_pages(request, SolutionPage).as_cards().offered_by(member).annotate(total=Window(Count("pk")))
    solutions = list(offered[: member.SOLUTIONS_SHOWN])
    count = solutions[0].total if solutions else 0
    return Section(30, "solutions/sections/member_solutions.html", {"solutions": solutions, "solution_count": count})
