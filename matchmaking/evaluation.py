"""Leave-one-out evaluation of the matcher against a popularity baseline. Pure, like the matcher.

Every adoption whose learner has at least two adoptions is hidden in turn (with the exchanges that brought
it); the matcher then ranks, for that learner, every solution it has not adopted, and we record where the
hidden one lands. hit@k is the share of cases ranked k or better, MRR the mean of 1 / rank."""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Evaluation:
    """Ranks of the hidden solutions, for the matcher and the baseline, with summary figures."""

    cases: list = field(default_factory=list)  # (learner key, solution key)
    ranks: dict = field(default_factory=dict)  # method name -> [rank per case]
    candidates: int = 0

    def summary(self, ks=(1, 3, 10)):
        """{method: {"mrr": float, "hit@k": float...}} plus the number of cases and learners."""
        result = {"cases": len(self.cases), "learners": len({learner for learner, _s in self.cases})}
        for method, ranks in self.ranks.items():
            ranks = np.asarray(ranks, dtype=float)
            figures = {"mrr": round(float(np.mean(1 / ranks)), 4) if len(ranks) else 0.0}
            for k in ks:
                figures[f"hit@{k}"] = round(float(np.mean(ranks <= k)), 4) if len(ranks) else 0.0
            result[method] = figures
        return result


def hidden_cases(matcher, min_adoptions=2, exclude_widespread=None):
    """(learner key, solution key) for every adoption that can be hidden, and the widespread solutions.

    With `exclude_widespread` N, solutions adopted by more than N members are neither hidden nor ranked,
    and only the remaining adoptions count towards a learner's `min_adoptions`."""
    adopters = Counter(solution for _member, solution, _status, _year in matcher.adoption_records)
    widespread = {s for s, n in adopters.items() if exclude_widespread is not None and n > exclude_widespread}
    kept = sorted({(m, s) for m, s, _status, _year in matcher.adoption_records if s not in widespread})
    per_learner = Counter(member for member, _s in kept)
    return [(m, s) for m, s in kept if per_learner[m] >= min_adoptions], widespread


def rank_of(scores, target, candidates):
    """1-based rank of `target` among `candidates` (indices), ties sharing the mean place."""
    value = scores[target]
    others = scores[candidates[candidates != target]]
    if not np.isfinite(value):
        return len(others) + 1
    return 1 + float(np.sum(others > value)) + float(np.sum(others == value)) / 2


def leave_one_out(matcher, min_adoptions=2, exclude_widespread=None, progress=None):
    """Evaluate `matcher` (a scoring.Matcher) and the popularity baseline by leave-one-out."""
    cases, widespread = hidden_cases(matcher, min_adoptions, exclude_widespread)
    keep = np.array([s.key not in widespread for s in matcher.solutions])
    evaluation = Evaluation(cases=cases, ranks={"matcher": [], "popularity": []}, candidates=int(keep.sum()))
    for number, (learner_key, solution_key) in enumerate(cases):
        hidden = matcher.without_adoption(learner_key, solution_key)
        learner = hidden.index_of(learner_key)
        target = hidden.solution_index[solution_key]
        not_adopted = np.ones(len(hidden.solutions), dtype=bool)
        not_adopted[hidden.adopted[learner].indices] = False
        candidates = np.flatnonzero(keep & not_adopted)
        scores, _signals = hidden.scores([learner])
        evaluation.ranks["matcher"].append(rank_of(scores[0], target, candidates))
        evaluation.ranks["popularity"].append(rank_of(hidden.adopter_count.astype(float), target, candidates))
        if progress:
            progress(number + 1, len(cases))
    return evaluation
