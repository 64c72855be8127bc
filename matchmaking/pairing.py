"""Meetings for a matchmaking workshop: who meets whom, in which time slot, at which table. Pure.

1. `choose_meetings`: each learner meets up to `k` providers and each provider has at most `c` meetings,
   maximising the total score of the chosen pairs. A bipartite b-matching, solved exactly as a linear
   program (its constraint matrix is totally unimodular, so the optimum is whole), with HiGHS via scipy.
2. `schedule`: places the meetings in slots so that no delegation has two meetings at once. A bipartite
   graph's edges can always be coloured with as many colours as its largest degree (König), so the
   agenda needs only as many slots as the busiest delegation has meetings. Colouring by alternating paths.
3. `check_agenda`: the guarantees, checked again after any hand edit.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


@dataclass(frozen=True)
class Meeting:
    """A learner delegation meeting a provider delegation, in a slot (0-based) at a table (1-based)."""

    learner: str
    provider: str
    score: float = 0.0
    slot: int | None = None
    table: int | None = None


class AgendaError(ValueError):
    """The meetings cannot be placed as asked (more meetings for one delegation than slots)."""


def choose_meetings(scores, k, c):
    """The pairs to meet: {(learner, provider): score} in, a list of Meetings (best first) out.

    Each learner gets at most `k` meetings, each provider at most `c`; pairs with a score of zero or less
    are never chosen; the total score is the largest possible."""
    pairs = sorted((pair, float(score)) for pair, score in scores.items() if score > 0 and pair[0] != pair[1])
    if not pairs or k < 1 or c < 1:
        return []
    learners = sorted({learner for (learner, _p), _s in pairs})
    providers = sorted({provider for (_l, provider), _s in pairs})
    learner_row = {key: i for i, key in enumerate(learners)}
    provider_row = {key: len(learners) + i for i, key in enumerate(providers)}
    n = len(pairs)
    rows = [learner_row[learner] for (learner, _p), _s in pairs] + [provider_row[p] for (_l, p), _s in pairs]
    cols = list(range(n)) * 2
    matrix = csr_matrix((np.ones(2 * n), (rows, cols)), shape=(len(learners) + len(providers), n))
    upper = np.array([k] * len(learners) + [c] * len(providers), dtype=float)
    result = milp(
        c=-np.array([score for _pair, score in pairs]),
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    if not result.success:  # pragma: no cover - a bounded 0/1 program with x = 0 feasible always solves
        raise AgendaError(result.message)
    chosen = [Meeting(learner, p, s) for ((learner, p), s), x in zip(pairs, result.x, strict=True) if x > 0.5]
    return sorted(chosen, key=lambda m: (-m.score, m.learner, m.provider))


def schedule(meetings, slots=None):
    """The meetings with a slot and a table each; no delegation in two meetings of the same slot.

    Uses as many slots as the busiest delegation has meetings; `slots`, when given, is the number the
    workshop has, and an AgendaError says which delegation has more meetings than that. A delegation comes
    either to learn or to share: one on both sides would make the graph non-bipartite (and the guarantee
    false), so that is an AgendaError too."""
    both = {m.learner for m in meetings} & {m.provider for m in meetings}
    if both:
        raise AgendaError(f"{', '.join(sorted(both))}: a delegation cannot be both a learner and a provider")
    degree = defaultdict(int)
    for meeting in meetings:
        degree[("learner", meeting.learner)] += 1
        degree[("provider", meeting.provider)] += 1
    needed = max(degree.values(), default=0)
    if slots is not None and needed > slots:
        busiest = max(degree, key=lambda node: (degree[node], node))
        raise AgendaError(f"{busiest[1]} has {needed} meetings but the workshop has only {slots} slots")
    colour_at = defaultdict(dict)  # node -> {slot: other node}
    for meeting in meetings:
        u, v = ("learner", meeting.learner), ("provider", meeting.provider)
        a = _free(colour_at[u], needed)
        b = _free(colour_at[v], needed)
        if a not in colour_at[v]:
            slot = a
        else:
            _flip(colour_at, v, a, b)  # the a/b path from v cannot reach u (bipartite), so a frees at v
            slot = a
        colour_at[u][slot] = v
        colour_at[v][slot] = u
    placed, tables = [], defaultdict(int)
    for meeting in meetings:
        slot = next(
            s for s, other in colour_at[("learner", meeting.learner)].items() if other == ("provider", meeting.provider)
        )
        tables[slot] += 1
        placed.append(Meeting(meeting.learner, meeting.provider, meeting.score, slot, tables[slot]))
    return sorted(placed, key=lambda m: (m.slot, m.table))


def _free(used, limit):
    return next(slot for slot in range(limit) if slot not in used)


def _flip(colour_at, start, a, b):
    """Swap slots a and b along the path from `start` that alternates a, b, a..."""
    path, node, slot = [], start, a
    while slot in colour_at[node]:
        nxt = colour_at[node][slot]
        path.append((node, nxt, slot))
        node, slot = nxt, (b if slot == a else a)
    for u, v, slot in path:
        del colour_at[u][slot]
        del colour_at[v][slot]
    for u, v, slot in path:
        other = b if slot == a else a
        colour_at[u][other] = v
        colour_at[v][other] = u


def plan(scores, k, c, slots=None):
    """choose_meetings then schedule: the proposed agenda."""
    return schedule(choose_meetings(scores, k, c), slots)


def check_agenda(meetings, k=None, c=None, slots=None):
    """Problems with an agenda (a list of sentences; empty when it holds): a delegation double-booked,
    a pair meeting twice, a slot out of range, a table used twice, too many meetings for one side."""
    problems = []
    seen_slot, seen_pair, seen_table = {}, set(), set()
    per_learner, per_provider = defaultdict(int), defaultdict(int)
    for meeting in meetings:
        pair = (meeting.learner, meeting.provider)
        if pair in seen_pair:
            problems.append(f"{meeting.learner} meets {meeting.provider} twice")
        seen_pair.add(pair)
        per_learner[meeting.learner] += 1
        per_provider[meeting.provider] += 1
        if meeting.slot is None:
            problems.append(f"{meeting.learner} – {meeting.provider} has no slot")
            continue
        if slots is not None and not 0 <= meeting.slot < slots:
            problems.append(f"{meeting.learner} – {meeting.provider} is in slot {meeting.slot + 1}, outside 1–{slots}")
        for delegation in (meeting.learner, meeting.provider):
            if (delegation, meeting.slot) in seen_slot:
                problems.append(f"{delegation} has two meetings in slot {meeting.slot + 1}")
            seen_slot[(delegation, meeting.slot)] = meeting
        if meeting.table is not None:
            if (meeting.slot, meeting.table) in seen_table:
                problems.append(f"table {meeting.table} is used twice in slot {meeting.slot + 1}")
            seen_table.add((meeting.slot, meeting.table))
    if k is not None:
        problems += [f"{key} has {n} meetings, more than {k}" for key, n in sorted(per_learner.items()) if n > k]
    if c is not None:
        problems += [f"{key} has {n} meetings, more than {c}" for key, n in sorted(per_provider.items()) if n > c]
    return problems


def spread(meetings, slots, tables=None):
    """Scheduled meetings moved between slots so that every slot holds about as many meetings (the sizes
    differ by one at most), then numbered table 1, 2... in each slot, the best score first.

    A bipartite graph's proper edge colourings can always be made equitable (de Werra): while slot `a`
    holds two more meetings than slot `b`, the meetings in `a` or `b` form paths and even cycles, one path
    has more `a` than `b` meetings, and swapping its two slots moves one meeting from `a` to `b` without
    double-booking anyone. So `slots` × `tables` places suffice for any agenda that fits the slots at all;
    an AgendaError says when a slot still needs more than `tables` tables."""
    meetings = list(meetings)
    if not meetings:
        return []
    if slots < 1 or any(m.slot is None or not 0 <= m.slot < slots for m in meetings):
        raise AgendaError(f"every meeting needs a slot between 1 and {slots}")
    slot_of = [m.slot for m in meetings]
    while True:
        sizes = [0] * slots
        for slot in slot_of:
            sizes[slot] += 1
        a = max(range(slots), key=lambda s: (sizes[s], -s))
        b = min(range(slots), key=lambda s: (sizes[s], s))
        if sizes[a] - sizes[b] <= 1:
            break
        _swap_one_path(meetings, slot_of, a, b)
    placed, tables_used = [], defaultdict(int)
    for i in sorted(range(len(meetings)), key=lambda i: (slot_of[i], -meetings[i].score, meetings[i].learner)):
        meeting, slot = meetings[i], slot_of[i]
        tables_used[slot] += 1
        placed.append(Meeting(meeting.learner, meeting.provider, meeting.score, slot, tables_used[slot]))
    if tables is not None and max(tables_used.values()) > tables:
        raise AgendaError(f"{max(tables_used.values())} meetings share one slot but there are only {tables} tables")
    return placed


def _swap_one_path(meetings, slot_of, a, b):
    """Swap slots a and b on one component of the a/b meetings that has more meetings in a than in b."""
    at = defaultdict(list)  # delegation -> indexes of its meetings in slot a or b (two at most)
    for i, meeting in enumerate(meetings):
        if slot_of[i] in (a, b):
            at[("learner", meeting.learner)].append(i)
            at[("provider", meeting.provider)].append(i)
    seen = set()
    for start in (i for i in range(len(meetings)) if slot_of[i] == a):
        if start in seen:
            continue
        component, todo = set(), [start]
        while todo:
            i = todo.pop()
            if i in component:
                continue
            component.add(i)
            meeting = meetings[i]
            todo += at[("learner", meeting.learner)] + at[("provider", meeting.provider)]
        seen |= component
        if sum(1 for i in component if slot_of[i] == a) > sum(1 for i in component if slot_of[i] == b):
            for i in component:
                slot_of[i] = b if slot_of[i] == a else a
            return
    raise AgendaError("the meetings double-book a delegation")  # pragma: no cover - impossible on a proper colouring
