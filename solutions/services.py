"""Writes about solutions: ranking similar solutions and storing them."""

from collections import defaultdict

from django.db import transaction

from solutions.models import SimilarSolution, SolutionPage
from solutions.similarity import SolutionTags, rank_similar
from ssn4psi.page_cache import content_changed

#: How many similar solutions are kept for each solution: more than a page shows (SIMILAR_SHOWN), so that one
#: hidden since the last ranking leaves its place to the next one until they are ranked again.
SIMILAR_KEPT = 8


def solution_tags():
    """Every solution as the similarity ranking reads it (solutions.similarity.SolutionTags): five queries."""
    listed = set(SolutionPage.objects.live().public().values_list("pk", flat=True))
    targets, themes = defaultdict(set), defaultdict(set)
    for solution_id, target in SolutionPage.sdg_targets.through.objects.values_list("solutionpage_id", "sdgtarget_id"):
        targets[solution_id].add(target)
    for solution_id, theme in SolutionPage.themes.through.objects.values_list("solutionpage_id", "theme_id"):
        themes[solution_id].add(theme)
    rows = SolutionPage.objects.values_list("pk", "locale_id", "translation_key", "title", "dpg", "goal_index")
    return [
        SolutionTags(
            pk=pk,
            locale=locale,
            translation_key=translation_key,
            title=title,
            dpg=dpg,
            goals=frozenset(int(number) for number in goals.strip(",").split(",") if number),
            targets=frozenset(targets[pk]),
            themes=frozenset(themes[pk]),
            listed=pk in listed,
        )
        for pk, locale, translation_key, title, dpg, goals in rows
    ]


def refresh_similar_solutions():
    """Rank every solution's similar solutions (solutions.similarity) and store the ranking in one transaction
    (readers see the previous one until the commit): rows that changed are written in bulk, rows no longer
    wanted deleted, the others left alone. Reads take six queries whatever the catalogue's size.
    Returns {"solutions": ranked, "similar": rows, "written": n, "removed": n}."""
    ranked = rank_similar(solution_tags(), limit=SIMILAR_KEPT)
    wanted = {
        (pk, rank): (similar.pk, similar.score)
        for pk, found in ranked.items()
        for rank, similar in enumerate(found, start=1)
    }
    with transaction.atomic():
        stored = {
            (solution, rank): (pk, similar, score)
            for pk, solution, rank, similar, score in SimilarSolution.objects.order_by().values_list(
                "pk", "solution", "rank", "similar", "score"
            )
        }
        changed = [
            SimilarSolution(solution_id=solution, rank=rank, similar_id=similar, score=score)
            for (solution, rank), (similar, score) in wanted.items()
            if stored.get((solution, rank), (None, None, None))[1:] != (similar, score)
        ]
        stale = [pk for key, (pk, _similar, _score) in stored.items() if key not in wanted]
        for start in range(0, len(stale), 500):
            SimilarSolution.objects.filter(pk__in=stale[start : start + 500]).delete()
        SimilarSolution.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["solution", "rank"], update_fields=["similar", "score"]
        )
        if changed or stale:  # bulk writes send no signal: the pages that show them are forgotten here
            content_changed()
    return {"solutions": len(ranked), "similar": len(wanted), "written": len(changed), "removed": len(stale)}
