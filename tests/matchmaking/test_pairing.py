"""Choosing and scheduling the meetings of a matchmaking workshop."""

import itertools
import random

import pytest

from matchmaking.pairing import AgendaError, Meeting, check_agenda, choose_meetings, plan, schedule, spread


def random_scores(learners, providers, density, seed):
    rng = random.Random(seed)
    return {
        (f"l{i}", f"p{j}"): round(rng.random(), 3)
        for i in range(learners)
        for j in range(providers)
        if rng.random() < density
    }


def test_limits_hold_and_the_best_pairs_win():
    scores = {("cod", "a2i"): 0.9, ("cod", "dimagi"): 0.5, ("barmm", "a2i"): 0.8, ("barmm", "fao"): 0.1}
    chosen = choose_meetings(scores, k=1, c=1)
    # a2i can take one meeting: DR Congo (0.9) + BARMM–FAO (0.1) = 1.0 < BARMM–a2i (0.8) + DR Congo–Dimagi (0.5).
    assert {(m.learner, m.provider) for m in chosen} == {("barmm", "a2i"), ("cod", "dimagi")}


@pytest.mark.parametrize("seed", range(5))
def test_the_choice_is_optimal_against_brute_force(seed):
    scores = random_scores(3, 3, 0.8, seed)
    k, c = 2, 2
    chosen = choose_meetings(scores, k, c)
    best = 0.0
    pairs = list(scores)
    for size in range(len(pairs) + 1):
        for subset in itertools.combinations(pairs, size):
            learners = [learner for learner, _p in subset]
            providers = [p for _l, p in subset]
            if all(learners.count(x) <= k for x in learners) and all(providers.count(x) <= c for x in providers):
                best = max(best, sum(scores[p] for p in subset))
    assert sum(m.score for m in chosen) == pytest.approx(best)
    assert check_agenda(schedule(chosen), k=k, c=c) == []


def test_no_delegation_is_double_booked_and_slots_equal_the_busiest_delegation():
    scores = random_scores(60, 40, 0.3, 7)
    agenda = plan(scores, k=5, c=6, slots=8)
    assert check_agenda(agenda, k=5, c=6, slots=8) == []
    busiest = max(
        max(sum(m.learner == x for m in agenda) for x in {m.learner for m in agenda}),
        max(sum(m.provider == x for m in agenda) for x in {m.provider for m in agenda}),
    )
    assert max(m.slot for m in agenda) + 1 == busiest
    tables = {(m.slot, m.table) for m in agenda}
    assert len(tables) == len(agenda)


def test_zero_scores_self_pairs_and_empty_input_give_no_meeting():
    assert choose_meetings({("a", "b"): 0.0, ("a", "a"): 1.0}, 2, 2) == []
    assert choose_meetings({}, 2, 2) == [] and schedule([]) == []
    assert choose_meetings({("a", "b"): 1.0}, 0, 2) == []


def test_too_few_slots_is_a_clear_error():
    meetings = [Meeting("cod", "a2i"), Meeting("cod", "fao"), Meeting("cod", "dimagi")]
    with pytest.raises(AgendaError, match="cod has 3 meetings but the workshop has only 2 slots"):
        schedule(meetings, slots=2)


def test_hand_edits_are_checked():
    agenda = [Meeting("cod", "a2i", slot=0, table=1), Meeting("cod", "fao", slot=0, table=2)]
    assert check_agenda(agenda) == ["cod has two meetings in slot 1"]
    agenda = [
        Meeting("cod", "a2i", slot=0, table=1),
        Meeting("barmm", "a2i", slot=1, table=1),
        Meeting("cod", "a2i", slot=2, table=1),
        Meeting("tur", "fao", slot=5, table=1),
    ]
    problems = check_agenda(agenda, k=1, c=1, slots=3)
    assert "cod meets a2i twice" in problems
    assert "tur – fao is in slot 6, outside 1–3" in problems
    assert "cod has 2 meetings, more than 1" in problems and "a2i has 3 meetings, more than 1" in problems
    assert check_agenda([Meeting("a", "b", slot=0, table=1), Meeting("c", "d", slot=0, table=1)]) == [
        "table 1 is used twice in slot 1"
    ]


def test_a_delegation_on_both_sides_is_refused():
    with pytest.raises(AgendaError, match="cod: a delegation cannot be both a learner and a provider"):
        schedule([Meeting("cod", "a2i"), Meeting("tur", "cod")])


@pytest.mark.parametrize("seed", range(6))
def test_spread_evens_the_slots_and_keeps_every_guarantee(seed):
    scores = random_scores(9, 7, 0.6, seed)
    chosen = choose_meetings(scores, k=3, c=4)
    scheduled = schedule(chosen)
    needed = max(m.slot for m in scheduled) + 1
    for slots in (needed, needed + 3):
        spread_out = spread(scheduled, slots)
        sizes = [sum(1 for m in spread_out if m.slot == s) for s in range(slots)]
        assert max(sizes) - min(sizes) <= 1
        assert sorted((m.learner, m.provider) for m in spread_out) == sorted((m.learner, m.provider) for m in chosen)
        assert check_agenda(spread_out, k=3, c=4, slots=slots) == []
        tables = -(-len(chosen) // slots)  # the ceiling: the fewest tables that can hold them all
        assert max(m.table for m in spread_out) == tables
        spread(scheduled, slots, tables=tables)
        if tables > 1:
            with pytest.raises(AgendaError, match=f"only {tables - 1} tables"):
                spread(scheduled, slots, tables=tables - 1)


def test_spread_moves_meetings_out_of_a_crowded_slot():
    # Three separate pairs: schedule puts them all in slot 0, spread gives one slot each.
    crowded = [Meeting(f"l{i}", f"p{i}", 1.0 - i / 10, slot=0, table=i + 1) for i in range(3)]
    assert schedule([Meeting(m.learner, m.provider, m.score) for m in crowded]) == crowded
    assert sorted(m.slot for m in spread(crowded, 3)) == [0, 1, 2]
    assert {m.table for m in spread(crowded, 3)} == {1}
    with pytest.raises(AgendaError):
        spread(crowded, 0)
