"""Rank the similar solutions of the solutions already in the database (later changes rank them again on their
own: solutions.signals)."""

from collections import defaultdict

from django.db import migrations

from solutions.similarity import SolutionTags, rank_similar

#: As solutions.services.SIMILAR_KEPT when this migration was written.
SIMILAR_KEPT = 8


def rank(apps, schema_editor):
    SolutionPage = apps.get_model("solutions", "SolutionPage")
    SimilarSolution = apps.get_model("solutions", "SimilarSolution")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    targets, themes = defaultdict(set), defaultdict(set)
    for solution_id, target in SolutionPage.sdg_targets.through.objects.values_list("solutionpage_id", "sdgtarget_id"):
        targets[solution_id].add(target)
    for solution_id, theme in SolutionPage.themes.through.objects.values_list("solutionpage_id", "theme_id"):
        themes[solution_id].add(theme)
    rows = SolutionPage.objects.values_list(
        "pk", "locale_id", "translation_key", "title", "dpg", "goal_index", "live", "path"
    )
    solutions = [
        SolutionTags(
            pk=pk,
            locale=locale,
            translation_key=translation_key,
            title=title,
            dpg=dpg,
            goals=frozenset(int(number) for number in goals.strip(",").split(",") if number),
            targets=frozenset(targets[pk]),
            themes=frozenset(themes[pk]),
            # live().public(): published, and no view restriction on the page or above it
            listed=live and not any(path.startswith(prefix) for prefix in restricted),
        )
        for pk, locale, translation_key, title, dpg, goals, live, path in rows
    ]
    SimilarSolution.objects.all().delete()
    SimilarSolution.objects.bulk_create(
        [
            SimilarSolution(solution_id=pk, similar_id=similar.pk, rank=position, score=similar.score)
            for pk, found in rank_similar(solutions, limit=SIMILAR_KEPT).items()
            for position, similar in enumerate(found, start=1)
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("solutions", "0003_similar_solutions"),
    ]

    operations = [migrations.RunPython(rank, migrations.RunPython.noop)]
