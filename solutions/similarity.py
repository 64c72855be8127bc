"""Which solutions are most like each other: a pure ranking on plain data (no ORM), so that it is tested and
explained without a database. solutions.services.refresh_similar_solutions() reads the solutions, calls
`rank_similar()` and stores what it gives (solutions.models.SimilarSolution).

Two solutions are alike by the tags they share: 3 points per SDG target, 2 per theme, 1 per SDG goal (a target's
goal counts as a goal of the solution). A solution's similar solutions are the listed ones (live and public)
of its own language, other than itself and its translations, that share at least one tag; the best first, then
digital public goods, then by title (in code point order) and id.

Every solution of a language is scored against every candidate of that language at once, as a product of sparse
matrices (solutions x tags), a block of solutions at a time so that memory stays flat at any size.
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
    width = len(columns)
    offered = sparse.csr_matrix(candidate_rows[::-1], shape=(len(candidates), width), dtype=np.int64).T.tocsr()
    tagged = sparse.csr_matrix(solution_rows[::-1], shape=(len(solutions), width), dtype=np.int64)

    keys = {}
    candidate_keys = np.array([keys.setdefault(c.translation_key, len(keys)) for c in candidates])
    solution_keys = np.array([keys.setdefault(s.translation_key, len(keys)) for s in solutions])
    candidate_pks = np.array([candidate.pk for candidate in candidates])
    count = len(candidates)
    # A candidate's place in the tie order, as a bonus below one point: the higher, the earlier.
    bonus = np.arange(count - 1, -1, -1, dtype=np.int64)
    take = min(limit, count)

    block = max(1, SCORES_HELD // count)
    ranked = {}
    for start in range(0, len(solutions), block):
        scores = (tagged[start : start + block] @ offered).toarray()
        scores[solution_keys[start : start + block, None] == candidate_keys[None, :]] = 0  # itself, translations
        order = np.where(scores > 0, scores * count + bonus, -1)
        if take < count:
            best = np.argpartition(-order, take - 1, axis=1)[:, :take]
        else:
            best = np.broadcast_to(np.arange(count), order.shape)
        for row, taken in enumerate(best):
            taken = taken[np.argsort(-order[row, taken])]
            found = [
                Similar(pk=int(candidate_pks[column]), score=int(scores[row, column]))
                for column in taken
                if scores[row, column] > 0
            ]
            if found:
                ranked[solutions[start + row].pk] = found
    return ranked
