"""Writes about solutions: importing the Digital Public Goods registry, ranking similar solutions."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from members.models import MemberPage
from solutions.dpg import convert, read_registry
from solutions.models import Adoption, SimilarSolution, SolutionPage
from solutions.similarity import SolutionTags, rank_similar
from ssn4psi.catalogue.importer import import_catalogue

DEFAULT_REGISTRY = Path(settings.BASE_DIR) / "ssn4psi" / "data" / "dpg-registry"


class RegistryNotFound(Exception):
    """The folder given holds neither `nominees/` nor `digitalpublicgoods/`."""


@dataclass
class DpgImportReport:
    """The import's summary and what it could not use."""

    summary: object
    unmapped_countries: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def lines(self):
        lines = list(self.summary.lines())
        for name, products in sorted(self.unmapped_countries.items()):
            lines.append(f"country not mapped: {name!r} (in {', '.join(sorted(set(products)))})")
        lines += [f"skipped {key}: {reason}" for key, reason in self.skipped]
        lines += [f"not read: {problem}" for problem in self.problems]
        return lines


#: How many similar solutions are kept for each solution: more than a page shows (SIMILAR_SHOWN), so that one
#: hidden since the last ranking leaves its place to the next one until they are ranked again.
SIMILAR_KEPT = 8


def existing_catalogue():
    """What the converter needs to know of the catalogue already in the database (four queries)."""
    members = {}
    for key, title in MemberPage.objects.values_list("key", "title"):
        members[key] = key
        members.setdefault(title.lower(), key)
    solutions = {}
    tagged = set(SolutionPage.sdg_targets.through.objects.values_list("solutionpage_id", flat=True))
    tagged |= set(SolutionPage.sdg_goals.through.objects.values_list("solutionpage_id", flat=True))
    rows = SolutionPage.objects.values_list("pk", "key", "title", "member__key", "licence", "repository", "website")
    by_pk = {}
    for pk, key, title, owner, licence, repository, website in rows:
        by_pk[pk] = solutions[key] = {
            "name": title,
            "owner": owner,
            "licence": licence,
            "repository": repository,
            "website": website,
            "has_tags": pk in tagged,
            "adoptions": [],
        }
    for solution_id, member, year, status in Adoption.objects.order_by("sort_order").values_list(
        "solution_id", "member__key", "year", "status"
    ):
        by_pk[solution_id]["adoptions"].append({"member": member, "year": year, "status": status})
    return members, solutions


def import_dpg(directory=DEFAULT_REGISTRY, *, user=None):
    """Import the registry under `directory` through the catalogue importer (atomic, idempotent by key)."""
    directory = Path(directory)
    if not (directory / "nominees").is_dir() and not (directory / "digitalpublicgoods").is_dir():
        raise RegistryNotFound(f"{directory} holds neither nominees/ nor digitalpublicgoods/")
    members, solutions = existing_catalogue()
    conversion = convert(read_registry(directory), existing_members=members, existing_solutions=solutions)
    summary = import_catalogue(conversion.document, user=user)
    return DpgImportReport(
        summary=summary,
        unmapped_countries=conversion.unmapped_countries,
        skipped=conversion.skipped,
        problems=conversion.problems,
    )


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
    return {"solutions": len(ranked), "similar": len(wanted), "written": len(changed), "removed": len(stale)}
