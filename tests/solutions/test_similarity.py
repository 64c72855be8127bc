"""Similar solutions: the pure ranking (solutions.similarity) on plain data, then the stored ranking, recomputed
when solutions change."""

import math
import random
import uuid

import pytest

from solutions import similarity
from solutions.similarity import Similar, SolutionTags, rank_similar, score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def tags(pk, title, goals=(), targets=(), themes=(), dpg=False, listed=True, locale=1, translation_key=None):
    return SolutionTags(
        pk=pk,
        locale=locale,
        translation_key=translation_key or uuid.uuid4(),
        title=title,
        dpg=dpg,
        goals=frozenset(goals),
        targets=frozenset(targets),
        themes=frozenset(themes),
        listed=listed,
    )


# Targets by id: 166 is 16.6, 161 16.1 and so on; a target's goal is among the solution's goals, as in goal_index.
MYGOV = tags(1, "myGov", goals={16}, targets={166}, themes={"e-services"})
SAME_TARGET = tags(2, "Same-Target", goals={16}, targets={166})
SAME_THEME = tags(3, "Same-Theme", goals={1}, targets={11}, themes={"e-services"})
SAME_GOAL = tags(4, "Same-Goal", goals={16}, targets={161})
SAME_GOAL_DPG = tags(5, "Same-Goal-Dpg", goals={16}, targets={162}, dpg=True)
ALPHA_SAME_GOAL = tags(6, "Alpha-Same-Goal", goals={16}, targets={163})
PRIVATE = tags(7, "Private", goals={16}, targets={166}, themes={"e-services"}, listed=False)
UNRELATED = tags(8, "Unrelated", goals={3}, targets={31})
WORLD = [MYGOV, SAME_TARGET, SAME_THEME, SAME_GOAL, SAME_GOAL_DPG, ALPHA_SAME_GOAL, PRIVATE, UNRELATED]


def titles(ranked, solution, world=WORLD):
    by_pk = {s.pk: s.title for s in world}
    return [(by_pk[found.pk], found.score) for found in ranked.get(solution.pk, [])]


def test_shared_targets_themes_and_goals_score_3_2_and_1():
    assert score(MYGOV, SAME_TARGET) == 3 + 1
    assert score(MYGOV, SAME_THEME) == 2
    assert score(MYGOV, SAME_GOAL) == 1
    assert score(MYGOV, UNRELATED) == 0
    assert score(MYGOV, MYGOV) == 3 + 2 + 1


def test_the_best_first_then_digital_public_goods_then_by_title():
    ranked = rank_similar(WORLD, limit=10)

    assert titles(ranked, MYGOV) == [
        ("Same-Target", 4),
        ("Same-Theme", 2),
        ("Same-Goal-Dpg", 1),
        ("Alpha-Same-Goal", 1),
        ("Same-Goal", 1),
    ]
    assert titles(rank_similar(WORLD, limit=2), MYGOV) == [("Same-Target", 4), ("Same-Theme", 2)]


def test_only_listed_solutions_are_proposed_but_every_solution_gets_its_own():
    ranked = rank_similar(WORLD, limit=10)

    assert all(found.pk != PRIVATE.pk for results in ranked.values() for found in results)
    assert titles(ranked, PRIVATE)[0] == ("myGov", 6)  # a draft's preview has its similar solutions too
    assert UNRELATED.pk not in ranked  # shares nothing with anyone


def test_ties_on_title_go_by_id_and_titles_compare_by_code_point():
    world = [
        tags(10, "source", goals={5}),
        tags(12, "Twin", goals={5}),
        tags(11, "Twin", goals={5}),
        tags(13, "alpha", goals={5}),  # lower case sorts after upper case, as SQLite's default collation has it
    ]
    assert [found.pk for found in rank_similar(world, limit=5)[10]] == [11, 12, 13]


def test_a_solution_is_compared_within_its_locale_and_never_with_its_translations():
    key = uuid.uuid4()
    english = tags(1, "myGov", goals={16}, targets={166}, translation_key=key)
    french = tags(2, "myGov (fr)", goals={16}, targets={166}, locale=2, translation_key=key)
    other_french = tags(3, "Portail", goals={16}, locale=2)
    english_peer = tags(4, "Peer", goals={16})
    ranked = rank_similar([english, french, other_french, english_peer], limit=5)

    assert ranked[english.pk] == [Similar(pk=english_peer.pk, score=1)]
    assert ranked[french.pk] == [Similar(pk=other_french.pk, score=1)]


def test_nothing_listed_nothing_ranked():
    assert rank_similar([tags(1, "a", goals={1}, listed=False), tags(2, "b", goals={1}, listed=False)], 5) == {}
    assert rank_similar([], 5) == {}


def brute_force(world, limit):
    ranked = {}
    for solution in world:
        found = sorted(
            (-score(solution, other), not other.dpg, other.title, other.pk)
            for other in world
            if other.listed
            and other.locale == solution.locale
            and other.translation_key != solution.translation_key
            and score(solution, other) > 0
        )[:limit]
        if found:
            ranked[solution.pk] = [Similar(pk=pk, score=-points) for points, _dpg, _title, pk in found]
    return ranked


@pytest.mark.parametrize("held", [7, 1000, similarity.SCORES_HELD])
def test_the_ranking_is_the_rule_applied_to_every_pair(monkeypatch, held):
    """On a random catalogue, scored by blocks of any size: what comparing every pair by the rule gives."""
    monkeypatch.setattr(similarity, "SCORES_HELD", held)
    chance = random.Random(4)
    themes = ["e-services", "health", "education", "justice", "agriculture", "e-commerce"]
    world = []
    for pk in range(1, 301):
        targets = {chance.randrange(1, 40) for _ in range(chance.randrange(0, 3))}
        world.append(
            tags(
                pk,
                f"Solution {chance.randrange(50):02d}",
                goals={target % 17 + 1 for target in targets} | {chance.randrange(1, 18)},
                targets=targets,
                themes=set(chance.sample(themes, chance.randrange(0, 3))),
                dpg=chance.random() < 0.2,
                listed=chance.random() < 0.9,
                locale=1 if pk % 10 else 2,
            )
        )
    assert rank_similar(world, limit=8) == brute_force(world, limit=8)


# The stored ranking ------------------------------------------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks, eager_tasks):
    """Use as `with committed():` around writes: their on-commit work runs as after a real commit."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def similar_titles(key):
    from solutions.models import SolutionPage

    return [solution.title for solution in SolutionPage.objects.get(key=key).similar_solutions(limit=8)]


@pytest.mark.django_db
def test_an_import_ranks_the_similar_solutions_once_committed(site, small_world_document, committed):
    from network.catalogue.importer import import_catalogue
    from solutions.models import SimilarSolution

    small_world_document["solutions"].append(
        {"key": "portal", "name": "Portal", "owner": "cod", "sdg_targets": ["16.6"]}
    )
    with committed() as callbacks:
        import_catalogue(small_world_document)
        assert not SimilarSolution.objects.exists()  # ranked after the commit, not during the import
    assert callbacks
    assert similar_titles("mygov") == ["Portal"]
    assert similar_titles("portal") == ["myGov"]
    assert similar_titles("ekshop") == []  # it shares nothing with them


@pytest.mark.django_db
def test_the_stored_ranking_is_the_pure_rankings(small_world, many_solutions):
    from solutions.models import SimilarSolution
    from solutions.services import SIMILAR_KEPT, refresh_similar_solutions, solution_tags

    many_solutions(40)
    refresh_similar_solutions()
    expected = rank_similar(solution_tags(), limit=SIMILAR_KEPT)
    stored = {}
    for row in SimilarSolution.objects.order_by("solution", "rank"):
        stored.setdefault(row.solution_id, []).append(Similar(pk=row.similar_id, score=row.score))
    assert stored == expected
    assert max(len(found) for found in stored.values()) == SIMILAR_KEPT


@pytest.mark.django_db
def test_publishing_a_similar_solution_shows_it_after_the_refresh_and_unpublishing_hides_it_at_once(
    small_world, committed
):
    from members.models import MemberPage
    from solutions.models import SolutionPage
    from ssn4psi.models import SdgTarget, Theme

    with committed():
        cod = MemberPage.objects.get(key="cod")
        portal = cod.add_child(instance=SolutionPage(title="One-Stop Portal", slug="one-stop", key="one-stop"))
        portal.sdg_targets.set([SdgTarget.objects.get(code="16.6")])
        portal.themes.set([Theme.objects.get(key="e-services")])
        portal.save_revision().publish()
    assert similar_titles("mygov")[0] == "One-Stop Portal"

    with committed() as callbacks:
        SolutionPage.objects.get(key="one-stop").unpublish()
        assert "One-Stop Portal" not in similar_titles("mygov")  # at once, before the refresh
    assert callbacks
    assert "One-Stop Portal" not in similar_titles("mygov")


@pytest.mark.django_db
def test_what_changes_the_ranking_queues_a_refresh_and_a_draft_does_not(
    small_world, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    from members.models import MemberPage
    from solutions.models import SolutionPage
    from ssn4psi.models import Theme

    def queued(change):
        with django_capture_on_commit_callbacks() as callbacks:
            change()
        return any(callback.__module__ == "solutions.signals" for callback in callbacks)

    mygov = SolutionPage.objects.get(key="mygov")

    def draft():
        mygov.title = "myGov, renamed in a draft"
        mygov.save_revision()

    assert not queued(draft)
    assert queued(lambda: SolutionPage.objects.get(key="mygov").save_revision().publish())

    def retag():
        page = SolutionPage.objects.get(key="mygov")
        page.themes.add(Theme.objects.get(key="health"))
        page.save_revision().publish()

    assert queued(retag)
    login = PageViewRestriction.LOGIN
    assert queued(
        lambda: PageViewRestriction.objects.create(page=MemberPage.objects.get(key="bgd"), restriction_type=login)
    )
    assert queued(lambda: PageViewRestriction.objects.all().delete())
    assert queued(lambda: MemberPage.objects.get(key="bgd-a2i").move(MemberPage.objects.get(key="cod"), "last-child"))
    assert queued(lambda: SolutionPage.objects.get(key="ekshop").move(MemberPage.objects.get(key="tur"), "last-child"))
    assert queued(lambda: SolutionPage.objects.get(key="ekshop").unpublish())
    assert queued(lambda: SolutionPage.objects.get(key="ekshop").delete())


@pytest.mark.django_db
def test_the_refresh_reads_in_a_fixed_number_of_queries_and_writes_in_bulk(small_world, many_solutions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from solutions.services import refresh_similar_solutions

    def queries():
        with CaptureQueriesContext(connection) as captured:
            result = refresh_similar_solutions()
        sql = [query["sql"].lstrip().upper() for query in captured.captured_queries]
        return result, [q for q in sql if q.startswith("SELECT")], [q for q in sql if q.startswith("INSERT")]

    many_solutions(8)
    _result, small_reads, _writes = queries()
    many_solutions(290, start=8)
    result, large_reads, writes = queries()

    assert len(small_reads) == len(large_reads) == 6
    assert result["similar"] > 2000
    assert len(writes) <= math.ceil(result["similar"] / 200)
