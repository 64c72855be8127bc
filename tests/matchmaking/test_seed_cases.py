"""The seeds' own cases, on the demo content plus the whole Digital Public Goods registry (read from the files,
no database): with each exchange and adoption hidden, the real partner is among the first three."""

import dataclasses
import json
from pathlib import Path

import pytest

from matchmaking.documents import existing_for_dpg, network_from_catalogue
from matchmaking.scoring import Matcher
from network.dpg import convert, read_registry
from network.services import DEFAULT_REGISTRY

DEMO = Path(__file__).resolve().parents[2] / "network" / "demo" / "catalogue.json"

#: learner -> the solutions it took from a2i, as the seeds tell.
CASES = {
    "cod": ["mygov", "sdg-tracker"],
    "phl-barmm": ["mygov", "union-digital-centres", "village-courts"],
    "tur": ["ekshop"],
    "yem": ["ekshop"],
    "som": ["nise"],
    "jor": ["nise"],
}


@pytest.fixture(scope="module")
def network():
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    members, solutions = existing_for_dpg(demo)
    registry = convert(read_registry(DEFAULT_REGISTRY), existing_members=members, existing_solutions=solutions)
    return network_from_catalogue(demo, registry.document)


def test_the_network_holds_the_demo_and_the_registry(network):
    assert len(network.solutions) == 186 and len(network.members) == 402
    assert len(network.adoptions) > 2500 and len(network.exchanges) == 6


@pytest.mark.parametrize("learner, taken", CASES.items())
def test_the_real_partner_is_in_the_top_three(network, learner, taken):
    hidden = dataclasses.replace(
        network,
        adoptions=[a for a in network.adoptions if not (a.member == learner and a.solution in taken)],
        exchanges=[e for e in network.exchanges if e.learner != learner],
    )
    partners = [result.key for result in Matcher(hidden).recommend(learner, top=3)]
    assert "bgd-a2i" in partners, partners
