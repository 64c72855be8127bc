"""A synthetic network of any size, for benchmarks: members in real countries, needs and solutions tagged
with real SDG targets and themes, adoptions with a long tail (a few solutions everywhere, most in a
handful of places, more often near their owner). Seeded, so the same arguments give the same network.

`generate()` gives the plain records (matchmaking.graph.Network); `as_catalogue()` the same network in
the catalogue format, for import_catalogue."""

import random

import pycountry

from matchmaking.graph import Adoption, Member, Need, Network, Solution
from network.catalogue import FORMAT
from ssn4psi.regions import region_for_country, subregion_for_country
from ssn4psi.vocabulary import THEME_KEYS

#: Targets per goal in the SDG framework (goal -> count of numbered targets, then lettered ones).
TARGETS_PER_GOAL = {
    1: (5, "ab"), 2: (5, "abc"), 3: (9, "abcd"), 4: (7, "abc"), 5: (6, "abc"), 6: (6, "ab"), 7: (3, "ab"),
    8: (10, "ab"), 9: (5, "abc"), 10: (7, "abc"), 11: (7, "abc"), 12: (8, "abc"), 13: (3, "ab"),
    14: (7, "abc"), 15: (9, "abc"), 16: (10, "ab"), 17: (19, ""),
}  # fmt: skip
TARGETS = [
    f"{goal}.{n}" for goal, (count, letters) in TARGETS_PER_GOAL.items() for n in [*range(1, count + 1), *letters]
]
KINDS = [
    ("national_government", 0.2),
    ("subnational_government", 0.25),
    ("government_agency", 0.3),
    ("international_organisation", 0.1),
    ("private_sector", 0.05),
    ("academia", 0.05),
    ("civil_society", 0.05),
]
LANGUAGES = ["en", "fr", "es", "ar", "pt", "ru", "sw", "bn", "hi", "id"]
WORDS = (  # noqa: SIM905 - a word list reads better as text
    "digital service citizen portal registry payment health school farmer market court data identity "
    "village centre mobile records benefit licence tax budget procurement training jobs water energy"
).split()


def generate(members=1000, needs=5000, solutions=20000, adoptions=50000, seed=1):
    """A Network of the given size (adoptions is approximate: duplicates are dropped)."""
    rng = random.Random(seed)
    countries = sorted(c.alpha_3 for c in pycountry.countries if subregion_for_country(c.alpha_3))
    themes = sorted(THEME_KEYS)
    member_list = []
    for i in range(members):
        kind = rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS])[0]
        country = rng.choice(countries)
        member_list.append(
            Member(
                key=f"m{i:05d}",
                name=f"Member {i}",
                kind=kind,
                country=country,
                region=region_for_country(country),
                subregion=subregion_for_country(country),
                languages=tuple(sorted(set(rng.sample(LANGUAGES, rng.randint(1, 3))))),
            )
        )

    def tags():
        targets = tuple(sorted(set(rng.sample(TARGETS, rng.randint(1, 3)))))
        return targets, tuple(sorted(set(rng.sample(themes, rng.randint(1, 2)))))

    need_list = []
    for i in range(needs):
        targets, need_themes = tags()
        owner = member_list[rng.randrange(members)]
        text = " ".join(rng.sample(WORDS, 5))
        need_list.append(
            Need(
                key=f"n{i:05d}",
                member=owner.key,
                title=text.capitalize(),
                text=text,
                targets=targets if rng.random() > 0.1 else (),  # some needs are words only
                themes=need_themes,
                priority=rng.choice(["high", "medium", "low"]),
            )
        )
    providers = [m for m in member_list if m.kind != "national_government"] or member_list
    solution_list = []
    for i in range(solutions):
        targets, solution_themes = tags()
        text = " ".join(rng.sample(WORDS, 8))
        solution_list.append(
            Solution(
                key=f"s{i:05d}",
                name=f"Solution {i}",
                owner=rng.choice(providers).key,
                text=text,
                targets=targets,
                themes=solution_themes,
                maturity=rng.choice(["idea", "pilot", "scaled", "national", "replicated"]),
                languages=tuple(rng.sample(LANGUAGES, rng.randint(1, 2))),
                figures=((f"{rng.randint(2, 900)},000", "users"),),
            )
        )
    # Popularity follows a power law; adopters come from the owner's subregion half of the time.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(solutions)]
    by_subregion = {}
    for member in member_list:
        by_subregion.setdefault(member.subregion, []).append(member)
    owner_of = {m.key: m for m in member_list}
    found = set()
    for solution in rng.choices(solution_list, weights, k=adoptions):
        pool = by_subregion[owner_of[solution.owner].subregion] if rng.random() < 0.5 else member_list
        adopter = rng.choice(pool)
        if adopter.key != solution.owner:
            found.add((adopter.key, solution.key))
    adoption_list = [
        Adoption(
            member, solution, year=rng.randint(2012, 2026), status=rng.choice(["exploring", "piloting", "adopted"])
        )
        for member, solution in sorted(found)
    ]
    return Network(members=member_list, needs=need_list, solutions=solution_list, adoptions=adoption_list)


def as_catalogue(network):
    """The network as a catalogue-format document (import it with import_catalogue)."""
    needs, adoptions = {}, {}
    for need in network.needs:
        needs.setdefault(need.member, []).append(need)
    for adoption in network.adoptions:
        adoptions.setdefault(adoption.solution, []).append(adoption)
    return {
        "format": FORMAT,
        "members": [
            {
                "key": m.key,
                "name": m.name,
                "kind": m.kind,
                "country": m.country,
                "languages": list(m.languages),
                "needs": [
                    {
                        "key": n.key,
                        "title": n.title,
                        "description": n.text,
                        "sdg_targets": list(n.targets),
                        "themes": list(n.themes),
                        "priority": n.priority,
                    }
                    for n in needs.get(m.key, [])
                ],
            }
            for m in network.members
        ],
        "solutions": [
            {
                "key": s.key,
                "name": s.name,
                "owner": s.owner,
                "summary": s.text,
                "sdg_targets": list(s.targets),
                "themes": list(s.themes),
                "maturity": s.maturity,
                "languages": list(s.languages),
                "key_figures": [{"value": value, "label": label} for value, label in s.figures],
                "adoptions": [
                    {"member": a.member, "year": a.year, "status": a.status} for a in adoptions.get(s.key, [])
                ],
            }
            for s in network.solutions
        ],
    }
