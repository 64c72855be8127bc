"""The pure matcher: scores, reasons, ties, exclusions, empty profiles and cycles, on hand-built networks."""

import math

import numpy as np
import pytest

from matchmaking.evaluation import hidden_cases, leave_one_out, rank_of
from matchmaking.graph import Adoption, Exchange, Member, Need, Network, Solution, build_graph
from matchmaking.scoring import Matcher, UnknownMember, Weights


def world(**changes):
    """Bangladesh's a2i offers myGov and ekShop; Kenya's agency offers a health tool; DR Congo needs one-stop
    services; BARMM (subnational) needs service centres; Turkey and Yemen adopted ekShop."""
    members = [
        Member("bgd", "Bangladesh", "national_government", "BGD", "asia", "southern-asia", ("bn", "en")),
        Member("bgd-a2i", "a2i", "government_agency", "BGD", "asia", "southern-asia", ("bn", "en"), parent="bgd"),
        Member(
            "ken-moh", "Kenya Ministry of Health", "government_agency", "KEN", "africa", "sub-saharan-africa", ("en",)
        ),
        Member("cod", "DR Congo", "national_government", "COD", "africa", "sub-saharan-africa", ("fr", "en")),
        Member("phl-barmm", "BARMM", "subnational_government", "PHL", "asia", "south-eastern-asia", ("en",)),
        Member("phl-davao", "Davao", "subnational_government", "PHL", "asia", "south-eastern-asia", ("en",)),
        Member("tur", "Turkey", "national_government", "TUR", "asia", "western-asia", ("tr",)),
        Member("yem", "Yemen", "national_government", "YEM", "asia", "western-asia", ("ar",)),
        Member("undp", "UNDP", "international_organisation", "USA", "americas", "northern-america", ("en", "fr")),
        Member(
            "undp-cod",
            "UNDP DR Congo",
            "international_organisation",
            "COD",
            "africa",
            "sub-saharan-africa",
            ("fr",),
            parent="undp",
        ),
        Member(
            "undp-bgd",
            "UNDP Bangladesh",
            "international_organisation",
            "BGD",
            "asia",
            "southern-asia",
            ("en",),
            parent="undp",
        ),
    ]
    needs = [
        Need(
            "cod-one-stop",
            "cod",
            "One-stop access to public services",
            targets=("16.6",),
            themes=("e-services",),
            priority="high",
        ),
        Need(
            "barmm-centres",
            "phl-barmm",
            "Service centres in every municipality",
            targets=("16.6", "9.c"),
            themes=("service-centres",),
        ),
    ]
    solutions = [
        Solution(
            "mygov",
            "myGov",
            "bgd-a2i",
            "one-stop portal of public services",
            targets=("16.6", "16.10"),
            themes=("e-services",),
            maturity="national",
            languages=("bn", "en"),
            figures=(("2,500+", "services"),),
        ),
        Solution(
            "udc",
            "Union Digital Centres",
            "bgd-a2i",
            "assisted service centres",
            targets=("16.6", "9.c"),
            themes=("service-centres", "e-services"),
            maturity="national",
        ),
        Solution(
            "ekshop",
            "ekShop",
            "bgd-a2i",
            "rural e-commerce",
            targets=("8.3",),
            themes=("e-commerce",),
            maturity="replicated",
        ),
        Solution(
            "health",
            "Health records",
            "ken-moh",
            "community health records",
            targets=("3.8",),
            themes=("health",),
            maturity="national",
        ),
    ]
    adoptions = [Adoption("tur", "ekshop", 2021), Adoption("yem", "ekshop", 2022), Adoption("phl-davao", "udc")]
    exchanges = [Exchange("ekshop-yemen", "bgd-a2i", "yem", "undp", ("ekshop",), "replicating")]
    network = Network(members, needs, solutions, adoptions, exchanges)
    for name, value in changes.items():
        setattr(network, name, value)
    return network


def test_the_graph_holds_every_kind_of_node_and_relation():
    graph = build_graph(world())
    kinds = {node[0] for node in graph}
    assert {"member", "need", "solution", "target", "goal", "theme", "language", "region", "exchange"} <= kinds
    assert graph.has_edge(("target", "16.6"), ("goal", 16))
    relations = {data["rel"] for _u, _v, data in graph.edges(data=True)}
    assert {
        "needs",
        "owns",
        "adopted",
        "serves",
        "speaks",
        "part_of",
        "provider",
        "learner",
        "facilitator",
    } <= relations


def test_records_naming_unknown_members_are_left_out_not_invented():
    network = world(adoptions=[Adoption("nobody", "mygov"), Adoption("tur", "missing")])
    graph = build_graph(network)
    assert ("member", "nobody") not in graph and ("solution", "missing") not in graph


def test_a_learner_with_a_need_gets_the_solution_that_answers_it_first_with_the_reasons():
    matcher = Matcher(world())
    results = matcher.recommend("cod", by="solution")
    keys = [r.key for r in results]
    # The two solutions serving 16.6 and e-services come before the one that answers no need.
    assert set(keys[:2]) == {"mygov", "udc"} and keys.index("health") > 1
    need = results[keys.index("mygov")].reasons[0]
    assert need.code == "need"
    assert need.params["targets"] == ["16.6"] and need.params["need"] == "One-stop access to public services"
    assert need.params["figure"] == ["2,500+", "services"] and need.params["maturity"] == "national"


def test_providers_group_their_solutions_and_suggest_facilitators():
    matcher = Matcher(world())
    providers = matcher.recommend("cod")
    assert providers[0].key == "bgd-a2i"
    assert "mygov" in providers[0].solutions
    # UNDP works in both countries through its offices; its DR Congo office alone does not.
    assert "undp" in providers[0].facilitators
    assert "undp-cod" not in providers[0].facilitators
    codes = {reason.code for reason in providers[0].reasons}
    assert {"need", "shared_language", "exchanged_before"} <= codes


def test_a_subnational_learner_hears_about_subnational_adopters():
    matcher = Matcher(world())
    udc = next(r for r in matcher.recommend("phl-barmm", by="solution") if r.key == "udc")
    kind = next(reason for reason in udc.reasons if reason.code == "adopted_by_kind")
    assert kind.params == {"kind": "subnational_government", "members": ["Davao"]}


def test_adopted_solutions_own_solutions_and_active_exchanges_are_not_recommended():
    matcher = Matcher(world())
    assert "ekshop" not in [r.key for r in matcher.recommend("tur", by="solution")]  # adopted
    assert all(r.key != "bgd-a2i" for r in matcher.recommend("bgd"))  # its own agency
    assert all(r.key != "bgd-a2i" for r in matcher.recommend("yem"))  # exchange under way


def test_a_dropped_exchange_lets_the_pair_be_recommended_again():
    network = world(exchanges=[Exchange("dropped", "bgd-a2i", "cod", None, ("mygov",), "dropped")])
    assert Matcher(network).recommend("cod")[0].key == "bgd-a2i"
    network = world(exchanges=[Exchange("agreed", "bgd-a2i", "cod", None, ("mygov",), "agreed")])
    assert all(r.key != "bgd-a2i" for r in Matcher(network).recommend("cod"))


def test_collaborative_evidence_points_to_what_similar_adopters_took_up():
    network = world()
    network.solutions.append(Solution("other", "Other tool", "ken-moh", "another tool"))
    network.adoptions += [Adoption("yem", "health"), Adoption("tur", "other")]
    matcher = Matcher(network)
    # Turkey shares ekShop with Yemen, which also took up the health records.
    found = matcher.recommend("tur", by="adopters")
    assert found[0].key == "health"
    similar = next(reason for reason in found[0].reasons if reason.code == "adopted_by_similar")
    assert similar.params == {"members": ["Yemen"], "shared": ["ekShop"]}


def test_empty_profiles_and_members_without_needs_still_get_a_ranking_or_nothing_without_error():
    network = world()
    network.members.append(Member("new", "Newcomer", "national_government"))
    matcher = Matcher(network)
    results = matcher.recommend("new", by="solution")
    assert [r.key for r in results] == sorted(
        [r.key for r in results], key=lambda k: -next(x.score for x in results if x.key == k)
    )
    assert all(not any(reason.code == "need" for reason in r.reasons) for r in results)
    empty = Matcher(Network(members=[Member("solo", "Solo", "national_government")]))
    assert empty.recommend("solo") == [] and empty.recommend("solo", by="solution") == []


def test_ties_are_broken_by_key_so_results_are_stable():
    members = [
        Member("learner", "Learner", "national_government"),
        Member("p1", "P1", "government_agency"),
        Member("p2", "P2", "government_agency"),
    ]
    solutions = [Solution("b-tool", "B", "p2", targets=("16.6",)), Solution("a-tool", "A", "p1", targets=("16.6",))]
    needs = [Need("n", "learner", "Need", targets=("16.6",))]
    matcher = Matcher(Network(members, needs, solutions))
    results = matcher.recommend("learner", by="solution")
    assert [r.key for r in results] == ["a-tool", "b-tool"] and results[0].score == results[1].score
    assert [r.key for r in matcher.recommend("learner")] == ["p1", "p2"]


def test_cycles_in_the_member_tree_and_exchanges_do_not_loop():
    members = [
        Member("a", "A", "national_government", parent="b"),
        Member("b", "B", "government_agency", parent="a"),
        Member("c", "C", "national_government"),
    ]
    solutions = [Solution("s", "S", "c", targets=("1.1",))]
    exchanges = [Exchange("x", "a", "c", "b", ("s",), "completed"), Exchange("y", "c", "a", None, (), "agreed")]
    matcher = Matcher(Network(members, [Need("n", "a", "N", targets=("1.1",))], solutions, [], exchanges))
    assert matcher.family["a"] == {"a", "b"}
    assert matcher.recommend("b")[0].key == "c"


def test_words_answer_when_tags_are_missing():
    members = [Member("l", "L", "national_government"), Member("p", "P", "government_agency")]
    needs = [Need("n", "l", "Birth registration", text="registering births in villages")]
    solutions = [
        Solution("reg", "Registry", "p", text="civil registration of births and deaths"),
        Solution("maps", "Maps", "p", text="geographic maps of roads"),
    ]
    results = Matcher(Network(members, needs, solutions)).recommend("l", by="solution")
    assert results[0].key == "reg" and results[0].reasons[0].code == "need_words"


def test_weights_are_validated_and_switch_signals_off():
    assert Weights.from_dict({"need": "2"}).need == 2.0
    with pytest.raises(ValueError, match="unknown matcher weight"):
        Weights.from_dict({"neeed": 1})
    with pytest.raises(ValueError, match="zero or more"):
        Weights.from_dict({"need": -1})
    with pytest.raises(ValueError, match="must be a number"):
        Weights.from_dict({"need": "a lot"})
    only_need = Weights().without(*[name for name in Weights.SIGNALS if name != "need"])
    scores, signals = Matcher(world(), only_need).scores([Matcher(world()).index_of("cod")])
    assert {name for name in signals if not name.startswith("_")} == {"need"} and math.isfinite(scores.max())


def test_unknown_learner_is_an_error():
    with pytest.raises(UnknownMember):
        Matcher(world()).recommend("nobody")


def test_leave_one_out_hides_the_adoption_and_its_exchange():
    matcher = Matcher(world())
    hidden = matcher.without_adoption("yem", "ekshop")
    assert "ekshop" in [r.key for r in hidden.recommend("yem", by="solution")]
    assert matcher.adopter_count[matcher.solution_index["ekshop"]] == 2  # the original is untouched
    assert hidden.adopter_count[hidden.solution_index["ekshop"]] == 1


def test_evaluation_counts_cases_and_ranks():
    network = world()
    network.adoptions += [Adoption("tur", "health"), Adoption("yem", "health")]
    cases, widespread = hidden_cases(Matcher(network))
    assert cases == [("tur", "ekshop"), ("tur", "health"), ("yem", "ekshop"), ("yem", "health")]
    assert widespread == set()
    cases, widespread = hidden_cases(Matcher(network), exclude_widespread=1)
    assert widespread == {"ekshop", "health"} and cases == []
    summary = leave_one_out(Matcher(network)).summary((1, 10))
    assert summary["cases"] == 4 and summary["learners"] == 2
    assert 0 < summary["matcher"]["mrr"] <= 1 and summary["matcher"]["hit@10"] == 1.0
    assert rank_of(np.array([3.0, 2.0, 2.0, 1.0]), 1, np.array([0, 1, 2, 3])) == 2.5
    assert rank_of(np.array([-np.inf, 1.0]), 0, np.array([0, 1])) == 2


def test_the_pure_matcher_and_the_site_agree_on_who_learns():
    from matchmaking.scoring import GOVERNMENT_KINDS
    from ssn4psi.vocabulary import LEARNER_KINDS

    assert set(GOVERNMENT_KINDS) == {str(kind) for kind in LEARNER_KINDS}


def test_reasons_speak_the_readers_language():
    from django.utils import translation

    from matchmaking.explain import describe

    reason = {"code": "works_in_both", "facilitator": "UNDP", "countries": ["COD", "PHL"]}
    with translation.override("en"):
        assert describe(reason) == "UNDP works in the Democratic Republic of the Congo and Philippines"
        assert describe({"code": "shared_language", "languages": ["fr"]}) == "both use French"
    with translation.override("es"):
        assert "República Democrática del Congo" in describe(reason)
    with translation.override("fr"):
        assert "Français" in describe({"code": "shared_language", "languages": ["fr"]})
