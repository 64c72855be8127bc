"""What solutions add to other apps' pages: a member page's solutions and adoptions."""

from wagtail import hooks

from members.listings import adoptions_by
from solutions.models import solutions_offered_by
from ssn4psi.sections import MEMBER_PAGE_SECTIONS, Section


@hooks.register(MEMBER_PAGE_SECTIONS)
def member_solutions(member, request):
    """The solutions a member offers (its own and its child members'), the first few as cards."""
    solutions, count = solutions_offered_by(member, member.SOLUTIONS_SHOWN)
    return Section(30, "solutions/sections/member_solutions.html", {"solutions": solutions, "solution_count": count})


@hooks.register(MEMBER_PAGE_SECTIONS)
def member_adoptions(member, request):
    """The solutions a member took up."""
    adoptions = adoptions_by(member)
    return Section(40, "solutions/sections/member_adoptions.html", {"adoptions": adoptions}) if adoptions else None
