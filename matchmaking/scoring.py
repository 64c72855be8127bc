"""The matcher: who should learn from whom, why, and with whose help. Pure: plain records in, plain results out.

A `Matcher` reads the network graph (matchmaking.graph) once into sparse matrices, then scores every
solution for a learner as a weighted sum of signals, each in [0, 1]:

- need: how well the solution answers one of the learner's needs. Cosine of their tag vectors (SDG
  targets, goals, indicators, themes; each tag weighted by its kind and by how rare it is among
  solutions), or of their words (TF-IDF) where either side has no tags. Scaled by the need's priority.
- profile: the same overlap with the solutions the learner already adopted (SDGs and themes).
- neighbours: adopted by the members whose adoptions are most like the learner's (a two-step walk on the
  member-solution graph through the k nearest members, cosine similarity raised to a power).
- pagerank: personalised PageRank from the learner on the member-solution adoption graph.
- cooccurrence: adopted together with the learner's own solutions (item cosine).
- popularity: how many members adopted it.
- nearby: adopters in contexts like the learner's (same subregion, same region, same kind of member).
- maturity: how far the solution has gone (idea .. replicated abroad).
- context: fit between the provider and the learner (shared language, region, kind).

Weights live in `Weights` (defaults documented there; settings.MATCHMAKING_WEIGHTS overrides them).
Collaborative signals are scaled to the learner's best candidate; need, maturity and context are absolute.
"""

import contextlib
import gc
import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import scipy.sparse as sp

from matchmaking.graph import build_graph, edges, goal_of, records

#: How far a solution has gone, as a number in [0, 1].
MATURITY_LEVEL = {"idea": 0.0, "pilot": 0.25, "scaled": 0.5, "national": 0.75, "replicated": 1.0}
PRIORITY_FACTOR = {"high": 1.0, "medium": 0.85, "low": 0.7}
GOVERNMENT_KINDS = {"national_government", "subnational_government", "government_agency"}
WORD = re.compile(r"[^\W\d_]{3,}")
STOPWORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "the and for with that this from are was were has have its their our they into which who what when "
        "where how all any can not but more most such than other also each per les des une pour dans par sur "
        "est aux avec los las del por para con una"
    ).split()
)


@dataclass(frozen=True)
class Weights:
    """The matcher's weights and parameters, in one place. Tune them in settings.MATCHMAKING_WEIGHTS (or the
    environment variable of the same name, as JSON); `manage.py evaluate_matcher` measures the effect.

    The defaults come from leave-one-out on the demo content plus the Digital Public Goods registry
    (see README, "Matchmaking")."""

    need: float = 1.0  # answers one of the learner's needs (tags, or words where tags are missing)
    profile: float = 0.1  # SDG/theme overlap with the learner's adopted solutions
    neighbours: float = 1.0  # adopted by the members with the most similar adoptions
    pagerank: float = 0.0  # personalised PageRank on the adoption graph (subsumed by neighbours here)
    cooccurrence: float = 0.0  # adopted together with the learner's solutions (subsumed by neighbours)
    popularity: float = 0.15  # adopted by many members
    nearby: float = 0.5  # adopted in contexts like the learner's (subregion, region, kind)
    maturity: float = 0.1  # idea < pilot < scaled < national < replicated abroad
    context: float = 0.15  # provider and learner share language, region, kind
    #: Provider ranking only: the provider has shared its solutions through exchanges before (more so with
    #: learners like this one). Added to the provider's score, so the solution rankings do not change.
    track_record: float = 0.6

    # How much each kind of tag counts in the need/solution overlap (before rarity weighting).
    tag_target: float = 3.0
    tag_indicator: float = 3.0
    tag_goal: float = 1.0
    tag_theme: float = 1.5
    #: Word overlap counts this much of a tag match, and only where a need or solution has no tags.
    text: float = 0.6
    neighbours_k: int = 15
    neighbours_power: float = 2.0
    pagerank_restart: float = 0.5
    pagerank_steps: int = 6
    #: A provider's score: its best solution plus this share of its next two.
    provider_depth: float = 0.25

    SIGNALS = (
        "need",
        "profile",
        "neighbours",
        "pagerank",
        "cooccurrence",
        "popularity",
        "nearby",
        "maturity",
        "context",
    )

    @classmethod
    def from_dict(cls, values):
        """Weights with `values` overriding the defaults; an unknown name or a negative weight is a ValueError."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values or {}) - set(known))
        if unknown:
            raise ValueError(f"unknown matcher weight(s): {', '.join(unknown)}; known: {', '.join(known)}")
        cleaned = {}
        for name, value in (values or {}).items():
            try:
                number = int(value) if known[name].type in (int, "int") else float(value)
            except (TypeError, ValueError):
                raise ValueError(f"matcher weight {name!r} must be a number, not {value!r}") from None
            if number < 0 or math.isnan(number):
                raise ValueError(f"matcher weight {name!r} must be zero or more, not {value!r}")
            cleaned[name] = number
        return replace(cls(), **cleaned)

    def without(self, *signals):
        """These weights with the given signals switched off (for ablation)."""
        return replace(self, **dict.fromkeys(signals, 0.0))

    def as_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class Reason:
    """One piece of evidence for a recommendation: a `code` and its parameters, turned into a sentence in
    the reader's language by matchmaking.explain."""

    code: str
    params: dict

    def as_dict(self):
        return {"code": self.code, **self.params}


@dataclass(frozen=True)
class SolutionMatch:
    """A solution recommended to a learner."""

    key: str
    provider: str
    score: float
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class ProviderMatch:
    """A provider recommended to a learner, with the solutions that answer it and suggested facilitators."""

    key: str
    score: float
    solutions: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()
    facilitators: tuple[str, ...] = ()
    facilitator_reasons: tuple[Reason, ...] = ()


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while the matcher builds and scores.

    Building the graph allocates millions of small objects; each allocation burst makes the collector
    walk everything alive, which took a third of a full recomputation. The matcher makes no reference
    cycles of note, and the collector runs again as soon as the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class UnknownMember(KeyError):
    """The network holds no member with this key."""


class Matcher:
    """The network read into matrices once; `recommend()` then scores any learner in milliseconds.

    `without_adoption()` gives a matcher that does not know one adoption (and the exchanges about it),
    for leave-one-out evaluation, sharing everything that does not depend on adoptions."""

    def __init__(self, network, weights=None):
        self.weights = weights or Weights()
        graph = build_graph(network)
        self.graph = graph
        self.members = records(graph, "member")
        self.solutions = records(graph, "solution")
        self.needs = records(graph, "need")
        self.exchanges = records(graph, "exchange")
        self.member_index = {m.key: i for i, m in enumerate(self.members)}
        self.solution_index = {s.key: i for i, s in enumerate(self.solutions)}
        self.member_by_key = {m.key: m for m in self.members}
        self.solution_by_key = {s.key: s for s in self.solutions}
        self.owner = np.array([self.member_index[s.owner] for s in self.solutions], dtype=np.int64)
        # Positions in key order, to break ties between equal scores the same way every time.
        self.key_rank = np.argsort(np.argsort([s.key for s in self.solutions], kind="stable"), kind="stable")
        self.member_key_rank = np.argsort(np.argsort([m.key for m in self.members], kind="stable"), kind="stable")
        self._read_family()
        self._read_tags()
        self._read_context()
        adoptions = edges(graph, "adopted", kind="member")
        self.adoption_records = [
            (u[1], v[1], d.get("status"), d.get("year"))
            if u[0] == "member"
            else (v[1], u[1], d.get("status"), d.get("year"))
            for u, v, d in adoptions
        ]
        self._set_adoptions(self.adoption_records, self.exchanges)

    # -- reading the graph ---------------------------------------------------------------------------

    def _read_family(self):
        """Each member's own family (itself, its parents and children): never its own provider."""
        parent = {m.key: m.parent for m in self.members if m.parent in self.member_by_key}
        children = defaultdict(set)
        for child, par in parent.items():
            children[par].add(child)
        self.parent_of = parent
        self.children_of = children
        self.family = {}
        for member in self.members:
            family = {member.key}
            up = member.key
            while up in parent and parent[up] not in family:
                up = parent[up]
                family.add(up)
            stack = [member.key]
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in family:
                        family.add(child)
                        stack.append(child)
            self.family[member.key] = family

    def _read_tags(self):
        """Tag and word vectors of solutions and needs, L2-normalised, rare tags weighing more."""
        w = self.weights
        feature_index = {}

        def tags(record):
            found = {}
            goals = set(record.goals) | {goal_of(code) for code in record.targets + record.indicators}
            for code in record.targets:
                found[("target", code)] = w.tag_target
            for code in record.indicators:
                found[("indicator", code)] = w.tag_indicator
            for goal in goals:
                found[("goal", goal)] = w.tag_goal
            for theme in record.themes:
                found[("theme", theme)] = w.tag_theme
            return found

        sol_tags = [tags(s) for s in self.solutions]
        need_tags = [tags(n) for n in self.needs]
        for found in sol_tags + need_tags:
            for feature in found:
                feature_index.setdefault(feature, len(feature_index))
        self.sol_features = _normalised(_tag_matrix(sol_tags, feature_index), _idf(sol_tags, feature_index))
        self.need_features = _normalised(_tag_matrix(need_tags, feature_index), _idf(sol_tags, feature_index))
        self.sol_features_t = self.sol_features.T.tocsr()  # CSR @ CSR: no conversion per product
        self.sol_tagged = np.array([bool(t) for t in sol_tags])
        self.need_tagged = np.array([bool(t) for t in need_tags])
        sol_words = [_words(s.text or s.name) for s in self.solutions]
        need_words = [_words(n.text or n.title) for n in self.needs]
        vocabulary = {}
        for words in sol_words + need_words:
            for word in words:
                vocabulary.setdefault(word, len(vocabulary))
        word_idf = _idf(sol_words, vocabulary)
        self.sol_text = _normalised(_tag_matrix(sol_words, vocabulary), word_idf)
        self.need_text = _normalised(_tag_matrix(need_words, vocabulary), word_idf)
        self.sol_text_t = self.sol_text.T.tocsr()
        self.need_member = np.array([self.member_index[n.member] for n in self.needs], dtype=np.int64)
        needs_of = defaultdict(list)
        for index, member in enumerate(self.need_member):
            needs_of[member].append(index)
        self.needs_of = [np.array(needs_of[i], dtype=np.int64) for i in range(len(self.members))]
        self.need_priority = np.array([PRIORITY_FACTOR.get(n.priority, 0.85) for n in self.needs])
        self.maturity = np.array([MATURITY_LEVEL.get(s.maturity, 0.25) for s in self.solutions])
        self.solution_goals = [set(s.goals) | {goal_of(c) for c in s.targets} for s in self.solutions]

    def _read_context(self):
        """Member attributes as index arrays and a member x language matrix."""
        members = self.members
        self.subregion = np.array([m.subregion or f"-{i}" for i, m in enumerate(members)])
        self.region = np.array([m.region or f"-{i}" for i, m in enumerate(members)])
        self.kind = np.array([m.kind for m in members])
        languages = {}
        rows, cols = [], []
        for i, member in enumerate(members):
            for language in member.languages:
                rows.append(i)
                cols.append(languages.setdefault(language, len(languages)))
        self.speaks = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(members), max(len(languages), 1)))
        # Where each member works: its own country and its children's (UNDP and its country offices).
        self.countries_of = defaultdict(set)
        for member in members:
            if member.country:
                for key in self.family_upwards(member.key):
                    self.countries_of[key].add(member.country)
        # Organisations (not governments) present in each country, themselves or through an office.
        self.present_in = defaultdict(set)
        for key, countries in self.countries_of.items():
            if self.member_by_key[key].kind not in GOVERNMENT_KINDS:
                for country in countries:
                    self.present_in[country].add(key)

    def family_upwards(self, key):
        """`key` and its parents."""
        found = [key]
        while found[-1] in self.parent_of and self.parent_of[found[-1]] not in found:
            found.append(self.parent_of[found[-1]])
        return found

    def _set_adoptions(self, adoption_records, exchanges):
        """The adoption matrix and everything derived from it."""
        self.adoption_records = list(adoption_records)
        M, S = len(self.members), len(self.solutions)
        rows = [self.member_index[m] for m, _s, _st, _y in self.adoption_records]
        cols = [self.solution_index[s] for _m, s, _st, _y in self.adoption_records]
        adopted = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(M, S))
        adopted.data[:] = 1.0  # duplicates count once
        self.adopted = adopted
        self.adopted_t = adopted.T.tocsr()
        # Rows as Python sets, for explanations (slicing a sparse matrix row by row is slow).
        self.adopted_by = [frozenset(adopted.indices[adopted.indptr[i] : adopted.indptr[i + 1]]) for i in range(M)]
        self.adopters_of = [
            self.adopted_t.indices[self.adopted_t.indptr[j] : self.adopted_t.indptr[j + 1]] for j in range(S)
        ]
        self.adopter_count = np.asarray(adopted.sum(0)).ravel()
        self.adoption_count = np.asarray(adopted.sum(1)).ravel()
        self.exchanges = list(exchanges)
        self.active_pairs = {(e.provider, e.learner) for e in self.exchanges if e.status != "dropped"}
        self.exchanged_solutions = defaultdict(set)  # learner -> solutions of its active exchanges
        self.learners_of = defaultdict(set)  # provider -> learners of its active exchanges
        self.facilitated_with = defaultdict(list)  # member -> facilitated exchanges it took part in
        self.has_track_record = np.zeros(M, dtype=bool)
        for exchange in self.exchanges:
            if exchange.status != "dropped":
                self.has_track_record[self.member_index[exchange.provider]] = True
        for exchange in self.exchanges:
            if exchange.facilitator:
                for side in {exchange.provider, exchange.learner}:
                    self.facilitated_with[side].append(exchange)
        for exchange in self.exchanges:
            if exchange.status != "dropped":
                self.exchanged_solutions[exchange.learner].update(exchange.solutions)
                self.learners_of[exchange.provider].add(exchange.learner)
        # Adopters per subregion / region / kind: group x solution counts.
        self._groups = {}
        for name, labels in (("subregion", self.subregion), ("region", self.region), ("kind", self.kind)):
            values, inverse = np.unique(labels, return_inverse=True)
            grouping = sp.csr_matrix((np.ones(M), (inverse, np.arange(M))), shape=(len(values), M))
            self._groups[name] = (inverse, (grouping @ adopted).toarray())  # a few dozen rows: dense
        # One nearby row per (subregion, region, kind) found among members, computed once.
        contexts = [
            f"{sub}|{region}|{kind}" for sub, region, kind in zip(self.subregion, self.region, self.kind, strict=True)
        ]
        first, self._context_group = np.unique(contexts, return_index=True, return_inverse=True)[1:]
        all_solutions = np.arange(S)
        rows = [self._nearby_value(member, all_solutions) for member in first]
        self._nearby_rows = np.array(rows) if rows else np.zeros((0, S))

    def without_adoption(self, member, solution):
        """A matcher that does not know `member` adopted `solution`, nor the exchanges that brought it."""
        clone = object.__new__(Matcher)
        clone.__dict__.update(self.__dict__)
        hidden = [a for a in self.adoption_records if not (a[0] == member and a[1] == solution)]
        exchanges = [e for e in self.exchanges if not (e.learner == member and solution in e.solutions)]
        clone._set_adoptions(hidden, exchanges)
        return clone

    # -- scoring ---------------------------------------------------------------------------------------

    def index_of(self, member_key):
        try:
            return self.member_index[member_key]
        except KeyError:
            raise UnknownMember(member_key) from None

    def signals(self, learners):
        """{signal name: array (len(learners) x solutions), or (1 x solutions) where it is the same for every
        learner} for learner indices `learners`, each value in [0, 1]."""
        learners = np.asarray(learners, dtype=np.int64)
        w = self.weights
        out = {}
        learner_rows = self.adopted[learners]
        # "_"-prefixed entries are evidence for the reasons, not signals.
        out["need"], out["_need_index"] = self._need_fit(learners)
        if w.profile:
            profile = _normalised(learner_rows @ self.sol_features, None)
            out["profile"] = (profile @ self.sol_features_t).toarray()
        if w.neighbours:
            walk, out["_neighbours"] = self._neighbours(learners, learner_rows)
            out["neighbours"] = _scaled(walk)
        if w.pagerank:
            out["pagerank"] = _scaled(self._pagerank(learners))
        if w.cooccurrence:
            norm = 1 / np.sqrt(np.maximum(self.adopter_count, 1))
            co = (learner_rows.multiply(norm).tocsr() @ self.adopted_t.T) @ self.adopted_t
            out["cooccurrence"] = _scaled(np.asarray(co.todense()) * norm)
        if w.popularity:
            popular = np.log1p(self.adopter_count)
            out["popularity"] = (popular / max(popular.max(initial=0), 1e-9))[None, :]
        if w.nearby:
            out["nearby"] = _scaled(self._nearby(learners, learner_rows))
        if w.maturity:
            out["maturity"] = self.maturity[None, :]
        if w.context:
            out["context"] = self._context(learners)[:, self.owner]
        return out

    def scores(self, learners):
        """Weighted sum of the signals, with what a learner cannot be offered set to -inf."""
        signals = self.signals(learners)
        total = np.zeros((len(learners), len(self.solutions)))
        for name, value in signals.items():
            weight = 0.0 if name.startswith("_") else getattr(self.weights, name)
            if weight:
                total += weight * value  # in place: no temporary array per signal
        for row, learner in enumerate(np.asarray(learners)):
            total[row, self._excluded(learner)] = -np.inf
        return total, signals

    def _need_fit(self, learners):
        """Best priority-weighted fit of each solution to one of the learner's needs, and which need
        (an index into self.needs, -1 where the learner has none)."""
        fit = np.zeros((len(learners), len(self.solutions)), dtype=np.float32)  # half the memory traffic
        which = np.full((len(learners), len(self.solutions)), -1, dtype=np.int32)
        for start in range(0, len(learners), 50):  # the needs of 50 learners in one sparse product
            rows = range(start, min(start + 50, len(learners)))
            lists = [self.needs_of[learners[row]] for row in rows]
            if not any(len(needs) for needs in lists):
                continue
            per_need = self._fit(np.concatenate(lists))
            offset = 0
            for row, needs in zip(rows, lists, strict=True):
                if len(needs):
                    block = per_need[offset : offset + len(needs)]
                    best = block.argmax(axis=0)
                    fit[row] = np.take_along_axis(block, best[None, :], axis=0)[0]
                    which[row] = needs[best]
                offset += len(needs)
        return fit, which

    def _fit(self, needs, solutions=None):
        """needs x solutions (all, or the given indices): tag cosine, or word cosine where the need or the
        solution has no tags; scaled by the need's priority."""
        if solutions is None:  # all of them: no copy of the matrices
            sol_features_t, sol_text_t, sol_tagged = self.sol_features_t, self.sol_text_t, self.sol_tagged
        else:
            columns = np.asarray(solutions)
            sol_features_t, sol_text_t = self.sol_features[columns].T.tocsr(), self.sol_text[columns].T.tocsr()
            sol_tagged = self.sol_tagged[columns]
        fit = (self.need_features[needs] @ sol_features_t).toarray()
        text = self.weights.text
        untagged_needs = np.flatnonzero(~self.need_tagged[needs])
        if len(untagged_needs):  # needs without tags: their words against every solution
            words = (self.need_text[needs[untagged_needs]] @ sol_text_t).toarray() * text
            fit[untagged_needs] = np.maximum(fit[untagged_needs], words)
        untagged_solutions = np.flatnonzero(~sol_tagged)
        if len(untagged_solutions):  # solutions without tags: their words against every need
            words = (self.need_text[needs] @ sol_text_t[:, untagged_solutions]).toarray() * text
            fit[:, untagged_solutions] = np.maximum(fit[:, untagged_solutions], words)
        return fit * self.need_priority[needs][:, None]

    def _neighbours(self, learners, learner_rows):
        """Sum over the k members most like the learner (cosine of adoptions) of similarity^p x their adoptions;
        and, per learner, those members (indices, best first)."""
        w = self.weights
        norms = np.sqrt(self.adoption_count)
        overlap = np.asarray((learner_rows @ self.adopted_t).todense())  # learners x members
        similarity = overlap / np.maximum(np.outer(norms[learners], norms), 1e-9)
        similarity[np.arange(len(learners)), learners] = 0.0
        k = min(w.neighbours_k, similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k] if k else np.zeros((len(learners), 0), int)
        rows = np.arange(len(learners))[:, None]
        kept = np.zeros_like(similarity)
        kept[rows, nearest] = similarity[rows, nearest]
        order = np.argsort(-similarity[rows, nearest], axis=1, kind="stable")
        nearest = np.take_along_axis(nearest, order, axis=1)
        neighbours = [[int(i) for i in row if similarity[r, i] > 0] for r, row in enumerate(nearest)]
        return (sp.csr_matrix(kept**w.neighbours_power) @ self.adopted).toarray(), neighbours

    def _pagerank(self, learners):
        """Personalised PageRank mass reaching each solution, by power iteration from the learners."""
        w = self.weights
        to_solution = sp.diags(1 / np.maximum(self.adoption_count, 1)) @ self.adopted
        to_member = sp.diags(1 / np.maximum(self.adopter_count, 1)) @ self.adopted_t
        start = np.zeros((len(learners), len(self.members)))
        start[np.arange(len(learners)), learners] = 1.0
        walk, reached = start, np.zeros((len(learners), len(self.solutions)))
        for _step in range(w.pagerank_steps):
            on_solutions = np.asarray(to_solution.T @ walk.T).T
            reached += on_solutions
            walk = w.pagerank_restart * start + (1 - w.pagerank_restart) * np.asarray(to_member.T @ on_solutions.T).T
        return reached

    def _nearby(self, learners, learner_rows):
        """Adopters in the learner's subregion (1), elsewhere in its region (1/2), of its kind when that is
        not a national government (1/2), not counting the learner itself."""

        # Learners of the same subregion, region and kind share a row; only the learner's own adoptions
        # (which it is never offered, but which set the row's scale) need it taken out of the counts.
        result = self._nearby_rows[self._context_group[learners]]
        for row, learner in enumerate(learners):
            own = np.fromiter(self.adopted_by[learner], dtype=np.int64)
            if len(own):
                result[row, own] = self._nearby_value(learner, own, minus=1)
        return result

    def _nearby_value(self, member, solutions, minus=0):
        """The nearby signal of `solutions` for a member, its own adoptions taken out (`minus`)."""
        counts = {name: self._groups[name][1][self._groups[name][0][member], solutions] for name in self._groups}
        same_subregion = counts["subregion"] - minus
        elsewhere_in_region = counts["region"] - counts["subregion"]  # the member is in both: it cancels out
        same_kind = (counts["kind"] - minus) * (self.kind[member] != "national_government")
        value = np.log1p(np.maximum(same_subregion, 0))
        value += 0.5 * np.log1p(np.maximum(elsewhere_in_region, 0))
        value += 0.5 * np.log1p(np.maximum(same_kind, 0))
        return value

    def _context(self, learners):
        """learners x members: shared language, same subregion (1) or region (1/2), same kind, averaged."""
        shared = np.asarray((self.speaks[learners] @ self.speaks.T).todense()) > 0
        place = (self.subregion[learners][:, None] == self.subregion[None, :]) * 1.0
        place = np.maximum(place, (self.region[learners][:, None] == self.region[None, :]) * 0.5)
        kind = (self.kind[learners][:, None] == self.kind[None, :]) * 1.0
        return (shared + place + kind) / 3

    def _excluded(self, learner):
        """Solutions a learner is not offered: adopted already, its own family's, or part of an exchange
        under way or done with their provider."""
        key = self.members[learner].key
        excluded = set(self.adopted_by[learner])
        family = {self.member_index[k] for k in self.family[key]}
        excluded.update(np.flatnonzero(np.isin(self.owner, list(family))))
        blocked = {self.member_index[p] for p, lr in self.active_pairs if lr == key}
        if blocked:
            excluded.update(np.flatnonzero(np.isin(self.owner, list(blocked))))
        excluded.update(
            self.solution_index[s] for s in self.exchanged_solutions.get(key, ()) if s in self.solution_index
        )
        return np.fromiter(excluded, dtype=np.int64)

    # -- results ---------------------------------------------------------------------------------------

    def recommend(self, learner_key, top=10, by="provider"):
        """The best `top` providers (by="provider") or solutions (by="solution") for a learner, explained."""
        return self.recommend_many([learner_key], top=top, by=by)[learner_key]

    def recommend_many(self, learner_keys, top=10, by="provider", explain=True):
        """{learner key: results} for several learners, scored together (faster than one by one).

        `by` is "provider", "solution", "adopters" (solutions taken up by members with similar adoptions),
        or a tuple of these, which gives {by: {learner key: results}} from one scoring pass."""
        several = isinstance(by, tuple | list)
        kinds = tuple(by) if several else (by,)
        for kind in kinds:
            if kind not in ("provider", "solution", "adopters"):
                raise ValueError(f"by must be provider, solution or adopters, not {kind!r}")
        indices = [self.index_of(key) for key in learner_keys]
        found = {kind: {} for kind in kinds}
        if indices:
            total, signals = self.scores(indices)
            for row, learner in enumerate(indices):
                key = self.members[learner].key
                for kind in kinds:
                    if kind == "provider":
                        found[kind][key] = self._providers(learner, total[row], signals, row, top, explain)
                    elif kind == "solution":
                        found[kind][key] = self._solutions(learner, total[row], signals, row, top, explain)
                    else:
                        walk = signals["neighbours"][row] if "neighbours" in signals else 0.0
                        adopters = np.where(np.isfinite(total[row]), walk, -np.inf)
                        found[kind][key] = self._solutions(learner, adopters, signals, row, top, explain, "adopters")
        return found if several else found[kinds[0]]

    def _ranked(self, scores, top):
        """Indices of the best finite, positive scores, best first; ties by key."""
        candidates = np.flatnonzero(np.isfinite(scores) & (scores > 0))
        if not len(candidates):
            return []
        if top is not None and len(candidates) > 4 * top + 20:
            cut = np.partition(scores[candidates], -(4 * top + 20))[-(4 * top + 20)]
            candidates = candidates[scores[candidates] >= cut]
        return sorted(candidates, key=lambda j: (-scores[j], self.solutions[j].key))[:top]

    def _solutions(self, learner, scores, signals, row, top, explain, kind="solution"):
        def reasons(j):
            if not explain:
                return ()
            if kind == "adopters":  # the evidence is who took it up
                return tuple(self._neighbour_reason(learner, j, signals["_neighbours"][row]))
            return tuple(self.solution_reasons(learner, j, signals, row))

        return [
            SolutionMatch(
                key=self.solutions[j].key,
                provider=self.solutions[j].owner,
                score=round(float(scores[j]), 4),
                reasons=reasons(j),
            )
            for j in self._ranked(scores, top)
        ]

    def _providers(self, learner, scores, signals, row, top, explain):
        candidates = np.flatnonzero(np.isfinite(scores) & (scores > 0))
        if not len(candidates):
            return []
        if top is not None and len(candidates) > 50 * top:
            # A provider scores at most 1.5 x its best solution plus its track record, so the best 50 x top
            # solutions and those of providers with a track record hold every provider that can rank.
            cut = np.partition(scores[candidates], -50 * top)[-50 * top]
            candidates = candidates[(scores[candidates] >= cut) | self.has_track_record[self.owner[candidates]]]
        # Candidates grouped by provider, best first within a group (ties by key), in one sort.
        order = candidates[np.lexsort((self.key_rank[candidates], -scores[candidates], self.owner[candidates]))]
        owners = self.owner[order]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(order)]))
        position = np.arange(len(order)) - starts[group]
        values = scores[order]
        runners_up = (position > 0) & (position < 3)
        depth = np.bincount(group[runners_up], weights=values[runners_up], minlength=len(starts))
        providers = owners[starts]
        provider_scores = values[starts] + self.weights.provider_depth * depth
        provider_scores += self.weights.track_record * self.track_record(learner)[providers]
        best = np.lexsort((self.member_key_rank[providers], -provider_scores))
        ranked = []
        for g in best if top is None else best[:top]:
            solutions = order[starts[g] : starts[g] + 3]
            chosen = [j for j in solutions if scores[j] >= 0.5 * values[starts[g]]]
            ranked.append((provider_scores[g], self.members[providers[g]].key, providers[g], chosen))
        results = []
        for score, key, provider, chosen in ranked[:top]:
            reasons, facilitators, facilitator_reasons = (), (), ()
            if explain:
                reasons = tuple(self.provider_reasons(learner, provider, chosen, signals, row))
                facilitators, facilitator_reasons = self.facilitators(self.members[learner].key, key)
            results.append(
                ProviderMatch(
                    key=key,
                    score=round(float(score), 4),
                    solutions=tuple(self.solutions[j].key for j in chosen),
                    reasons=reasons,
                    facilitators=tuple(facilitators),
                    facilitator_reasons=tuple(facilitator_reasons),
                )
            )
        return results

    # -- reasons ---------------------------------------------------------------------------------------

    def solution_reasons(self, learner, j, signals, row, needs_only=False):
        """The evidence for solution j, strongest first (with `needs_only`, only how it answers a need)."""
        memo = signals.setdefault("_reasons", {})  # a solution often shows in both lists of a learner
        if (row, j, needs_only) not in memo:
            memo[row, j, needs_only] = self._solution_reasons(learner, j, signals, row, needs_only)
        return memo[row, j, needs_only]

    def _solution_reasons(self, learner, j, signals, row, needs_only):
        reasons = []
        learner_rec, solution = self.members[learner], self.solutions[j]
        need = self._best_need(learner, j, signals, row)
        if need is not None:
            reasons.append(self._need_reason(learner_rec, need, solution))
        if needs_only:
            return reasons
        if signals.get("neighbours") is not None and signals["neighbours"][row, j] > 0:
            reasons.extend(self._neighbour_reason(learner, j, signals["_neighbours"][row]))
        reasons.extend(self._adopter_reasons(learner, j))
        return reasons

    def provider_reasons(self, learner, provider, chosen, signals, row):
        """Evidence for a provider: how its solutions answer the learner's needs, who like the learner took
        them up (for its best solution), then what the two members share."""
        reasons = []
        for position, j in enumerate(chosen):
            for reason in self.solution_reasons(learner, j, signals, row, needs_only=position > 0):
                if reason not in reasons:
                    reasons.append(reason)
        reasons.extend(self._context_reasons(self.members[learner], self.members[provider]))
        shared_before = sorted(
            {e.learner for e in self.exchanges if e.provider == self.members[provider].key and e.status != "dropped"}
            - {self.members[learner].key}
        )
        if shared_before:
            reasons.append(
                Reason(
                    "exchanged_before",
                    {
                        "provider": self.members[provider].name,
                        "learners": [self.member_by_key[k].name for k in shared_before][:4],
                    },
                )
            )
        return reasons

    def track_record(self, learner):
        """Per member: how many learners it has shared solutions with through exchanges under way or done
        (log-scaled, 1 for the most experienced provider), a learner of the same subregion or kind as this
        one counting double. This learner's own exchanges do not count."""
        me = self.members[learner]
        points = defaultdict(float)
        for provider, learners in self.learners_of.items():
            for other in learners - {me.key}:
                peer = self.member_by_key[other]
                alike = (me.subregion and peer.subregion == me.subregion) or peer.kind == me.kind
                points[provider] += 2.0 if alike else 1.0
        result = np.zeros(len(self.members))
        if points:
            top = math.log1p(max(points.values()))
            for provider, value in points.items():
                result[self.member_index[provider]] = math.log1p(value) / top
        return result

    def _best_need(self, learner, j, signals, row):
        """(the learner's need that solution j answers best, fit), or None below a meaningful fit."""
        index = signals["_need_index"][row, j]
        fit = signals["need"][row, j]
        return (self.needs[index], float(fit)) if index >= 0 and fit > 0.15 else None

    def _need_reason(self, learner, found, solution):
        need, fit = found
        need_goals = set(need.goals) | {goal_of(c) for c in need.targets}
        solution_goals = self.solution_goals[self.solution_index[solution.key]]
        targets = sorted(set(need.targets) & set(solution.targets), key=_code_key)
        goals = sorted(need_goals & solution_goals)
        themes = sorted(set(need.themes) & set(solution.themes))
        params = {
            "learner": learner.name,
            "need": need.title,
            "solution": solution.name,
            "provider": self.member_by_key[solution.owner].name,
            "targets": targets,
            "goals": [] if targets else goals,
            "themes": themes,
            "maturity": solution.maturity,
            "figure": list(solution.figures[0]) if solution.figures else None,
        }
        if not (targets or goals or themes):
            return Reason("need_words", params)
        return Reason("need", params)

    def _neighbour_reason(self, learner, j, neighbours):
        """The members most like the learner that adopted j, and the solutions they share with it."""
        mine = self.adopted_by[learner]
        adopters = [a for a in neighbours if j in self.adopted_by[a]][:3]
        if not mine or not adopters:
            return []
        shared = Counter(s for a in adopters for s in mine & self.adopted_by[a])
        return [
            Reason(
                "adopted_by_similar",
                {
                    "members": [self.members[a].name for a in adopters],
                    "shared": [
                        self.solutions[s].name
                        for s, _count in sorted(shared.items(), key=lambda x: (-x[1], self.solutions[x[0]].name))[:2]
                    ],
                },
            )
        ]

    def _adopter_reasons(self, learner, j):
        """Adopted in contexts like the learner's: its kind (when not a national government), its region."""
        me = self.members[learner]
        adopters = self.adopters_of[j]
        adopters = adopters[adopters != learner]
        if not len(adopters):
            return []
        reasons = []
        if me.kind != "national_government":
            same_kind = adopters[self.kind[adopters] == me.kind]
            if len(same_kind):
                names = sorted(self.members[a].name for a in same_kind[:50])[:3]
                reasons.append(Reason("adopted_by_kind", {"kind": me.kind, "members": names}))
        if me.subregion:
            same_place = adopters[self.subregion[adopters] == me.subregion]
            if len(same_place):
                names = sorted(self.members[a].name for a in same_place[:50])[:3]
                reasons.append(
                    Reason("adopted_nearby", {"subregion": me.subregion, "members": names, "count": len(same_place)})
                )
        reasons.append(Reason("adopted_count", {"count": len(adopters)}))
        return reasons

    def _context_reasons(self, learner, provider):
        reasons = []
        languages = [code for code in learner.languages if code in provider.languages]
        if languages:
            reasons.append(Reason("shared_language", {"languages": languages[:2]}))
        if learner.subregion and learner.subregion == provider.subregion:
            reasons.append(Reason("same_subregion", {"subregion": learner.subregion}))
        elif learner.region and learner.region == provider.region:
            reasons.append(Reason("same_region", {"region": learner.region}))
        if learner.kind == provider.kind:
            reasons.append(Reason("same_kind", {"kind": learner.kind}))
        return reasons

    def facilitators(self, learner_key, provider_key, top=3):
        """Members suggested to facilitate: those that facilitated exchanges with either side (or their
        families) before, and those that work in both countries; with the reasons."""
        sides = self.family[learner_key] | self.family[provider_key]
        learner, provider = self.member_by_key[learner_key], self.member_by_key[provider_key]
        points, why = Counter(), defaultdict(list)
        countries = {learner.country, provider.country}
        for side in sorted(sides):
            for exchange in self.facilitated_with.get(side, ()):
                # A country office elsewhere (UNDP DR Congo, for Sierra Leone and Bangladesh) stands for its
                # organisation: suggest the organisation.
                key = exchange.facilitator
                office = self.member_by_key[key]
                if office.parent and office.country not in countries:
                    key = self.family_upwards(key)[-1]
                if key in sides:
                    continue
                points[key] += 2
                if not why[key]:
                    names = [self.member_by_key[exchange.provider].name, self.member_by_key[exchange.learner].name]
                    facilitator = self.member_by_key[exchange.facilitator].name
                    why[key].append(Reason("facilitated_before", {"facilitator": facilitator, "members": names}))
        if learner.country and provider.country and learner.country != provider.country:
            both = sorted({learner.country, provider.country})
            for key in sorted(self.present_in.get(both[0], set()) & self.present_in.get(both[1], set()) - sides):
                points[key] += 1
                why[key].append(
                    Reason("works_in_both", {"facilitator": self.member_by_key[key].name, "countries": both})
                )
        ranked = sorted(points, key=lambda k: (-points[k], self.member_by_key[k].name))[:top]
        return ranked, [reason for key in ranked for reason in why[key]]


def _code_key(code):
    """Sort key of a target code: 9.2 before 9.10 before 9.a."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in str(code).split("."))


def _words(text):
    """Word counts of a text, each word cut to its first six letters: a crude stemmer that works across
    English, French and Spanish ("registering", "registration", "registro" -> "regist", "regist", "regist")."""
    return Counter(word[:6] for word in WORD.findall((text or "").lower()) if word not in STOPWORDS)


def _tag_matrix(rows, index):
    data, cols, indptr = [], [], [0]
    for found in rows:
        for feature, value in found.items():
            if feature in index:
                cols.append(index[feature])
                data.append(float(value))
        indptr.append(len(cols))
    return sp.csr_matrix((data, cols, indptr), shape=(len(rows), max(len(index), 1)))


def _idf(rows, index):
    """Rarity of each feature among `rows`: log((n + 1) / (df + 1)) + 1."""
    df = np.zeros(max(len(index), 1))
    for found in rows:
        for feature in found:
            df[index[feature]] += 1
    return np.log((len(rows) + 1) / (df + 1)) + 1


def _normalised(matrix, column_weights):
    """Rows scaled to unit length (after weighting the columns), as float32: scores need no more."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    if column_weights is not None:
        matrix = sp.csr_matrix(matrix.multiply(column_weights[None, :]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1 / norms).astype(np.float32)) @ matrix, dtype=np.float32)


def _scaled(values):
    """Each row divided by its maximum (rows of zeros stay zero)."""
    values = np.asarray(values, dtype=float)
    if not values.size:
        return values
    top = values.max(axis=1, keepdims=True)
    return np.divide(values, top, out=np.zeros_like(values), where=top > 0)
