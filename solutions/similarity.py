"""Which solutions are most like each other: a pure ranking on plain data (no ORM), so that it is tested and
explained without a database. solutions.services.refresh_similar_solutions() reads the solutions, calls
`rank_similar()` and stores what it gives (solutions.models.SimilarSolution).

Two solutions are alike by the tags they share: 3 points per SDG target, 2 per theme, 1 per SDG goal (a target's
goal counts as a goal of the solution). A solution's similar solutions are the listed ones (live and public)
of its own language, other than itself and its translations, that share at least one tag; the best first, then
digital public goods, then by title (in code point order) and id.

Every solution of a language is scored against every candidate of that language at once, as a product of
(solutions x tags) and (tags x candidates) matrices, a block of solutions at a time so that memory stays flat at
any size.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse

#: Points for each shared tag.
TARGET_POINTS = 3
THEME_POINTS = 2
GOAL_POINTS = 1
#: How many scores are held at once: solutions are scored against every candidate by blocks of this many
#: scores (about 32 MB).
SCORES_HELD = 4_000_000


@dataclass(frozen=True)
class SolutionTags:
    """What the ranking knows of a solution. `listed`: whether others may show it (live and public);
    `locale` and `translation_key` as Wagtail keeps them (a solution is only compared within its locale, and never
    with its own translations)."""

    pk: int
    locale: int
    translation_key: object
    title: str
    dpg: bool = False
    goals: frozenset = frozenset()
    targets: frozenset = frozenset()
    themes: frozenset = frozenset()
    listed: bool = True


@dataclass(frozen=True)
class Similar:
    """A solution like another one, with its score (points for the tags they share)."""

    pk: int
    score: int


def score(solution, other):
    """The points `solution` and `other` (SolutionTags) earn for the tags they share."""
    return (
        TARGET_POINTS * len(solution.targets & other.targets)
        + THEME_POINTS * len(solution.themes & other.themes)
        + GOAL_POINTS * len(solution.goals & other.goals)
    )


def rank_similar(solutions, limit):
    """{pk: [Similar, ... at most `limit`, best first]} for every one of `solutions` (SolutionTags) that has any
    similar solution (see the module's docstring for the rule)."""
    by_locale = defaultdict(list)
    for solution in solutions:
        by_locale[solution.locale].append(solution)
    ranked = {}
    for group in by_locale.values():
        ranked.update(_rank_in_locale(group, limit))
    return ranked


def _tie_order(solution):
    """Among equal scores: digital public goods first, then by title and id."""
    return (not solution.dpg, solution.title, solution.pk)


def _rank_in_locale(solutions, limit):
    candidates = sorted((solution for solution in solutions if solution.listed), key=_tie_order)
    if not candidates or limit < 1:
        return {}
    columns = {}  # tag -> column of the tag matrices

    def rows(items, weighted):
        indptr, indices, data = [0], [], []
        for item in items:
            for kind, tags, points in (
                ("target", item.targets, TARGET_POINTS),
                ("theme", item.themes, THEME_POINTS),
                ("goal", item.goals, GOAL_POINTS),
            ):
                for tag in tags:
                    indices.append(columns.setdefault((kind, tag), len(columns)))
                    data.append(points if weighted else 1)
            indptr.append(len(indices))
        return indptr, indices, data

    candidate_rows = rows(candidates, weighted=False)
    solution_rows = rows(solutions, weighted=True)
    count, width = len(candidates), len(columns)
    # Candidates' tags as a dense (tags x candidates) table, solutions' as sparse rows: a block of solutions'
    # scores against every candidate is one sparse-dense product.
    offered = np.ascontiguousarray(
        sparse.csr_matrix(candidate_rows[::-1], shape=(count, width), dtype=np.int32).T.toarray()
    )
    tagged = sparse.csr_matrix(solution_rows[::-1], shape=(len(solutions), width), dtype=np.int32)
    candidate_pks = np.array([candidate.pk for candidate in candidates])
    # Within a locale only a page itself has its translation key: the column not to propose to it, or -1.
    column_of = {candidate.translation_key: column for column, candidate in enumerate(candidates)}
    own = np.array([column_of.get(solution.translation_key, -1) for solution in solutions])
    # Sort key of a candidate for a solution: its score, then its place in the tie order (a bonus below one
    # point: the earlier, the higher).
    bonus = np.arange(count - 1, -1, -1, dtype=np.int64)
    take = min(limit, count)

    block = max(1, SCORES_HELD // count)
    ranked = {}
    for start in range(0, len(solutions), block):
        scores = np.asarray(tagged[start : start + block] @ offered)
        rows_with_own = np.flatnonzero(own[start : start + block] >= 0)
        scores[rows_with_own, own[start + rows_with_own]] = 0
        order = scores.astype(np.int64)
        order *= count
        order += bonus
        best = np.argpartition(order, count - take, axis=1)[:, count - take :]
        best = np.take_along_axis(best, np.argsort(-np.take_along_axis(order, best, axis=1), axis=1), axis=1)
        best_scores = np.take_along_axis(scores, best, axis=1).tolist()
        best_pks = candidate_pks[best].tolist()
        for row, (pks, points) in enumerate(zip(best_pks, best_scores, strict=True)):
            found = [Similar(pk=pk, score=score) for pk, score in zip(pks, points, strict=True) if score > 0]
            if found:
                ranked[solutions[start + row].pk] = found
    return ranked
