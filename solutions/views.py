"""The SDG framework's pages, each goal with the solutions that serve it."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from solutions.models import CatalogueSummary, SolutionIndexPage, SolutionPage
from ssn4psi.models import SdgGoal

#: How many solutions a goal's page shows as cards before linking to the catalogue for the rest.
GOAL_SOLUTIONS_SHOWN = 12


def sdg_framework(request):
    """The 17 goals with their targets, titles in the visitor's language, and how many solutions serve each."""
    goals = SdgGoal.objects.prefetch_related("targets")
    counts = CatalogueSummary.objects.current()["facets"]["goal"]
    context = {
        "goals": goals,
        "goal_counts": counts,
        "meta_title": _("The Sustainable Development Goals"),
        "meta_description": _(
            "The 17 goals and 169 targets of the 2030 Agenda. Solutions and needs are tagged with them."
        ),
    }
    return render(request, "solutions/sdg_framework.html", context)


def sdg_goal(request, number):
    """One goal: its targets and indicators, and the solutions that serve it."""
    goal = get_object_or_404(SdgGoal, number=number)
    targets = goal.targets.prefetch_related("indicators")
    solutions = SolutionPage.objects.for_catalogue().serving_goal(number)
    return render(
        request,
        "solutions/sdg_goal.html",
        {
            "goal": goal,
            "targets": targets,
            "solutions": solutions[:GOAL_SOLUTIONS_SHOWN],
            "solution_count": solutions.count(),
            "catalogue": SolutionIndexPage.objects.live().public().first(),
            "meta_title": _("Goal %(number)s: %(title)s") % {"number": goal.number, "title": goal.short_title},
            "meta_description": goal.title,
        },
    )
