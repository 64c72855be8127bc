"""The network as plain data, and as one networkx graph the matcher reads.

Nothing here touches the database: `matchmaking.recommendations` loads these records from the ORM, tests
and benchmarks build them by hand. The graph has a node per member, need, solution, SDG goal, target and
indicator, theme, language, region and exchange; edges say how they relate (`rel` attribute):

    member -needs-> need -serves-> target/goal/indicator/theme     member -speaks-> language
    member -owns-> solution -serves-> target/goal/indicator/theme  member -in-> region, subregion
    member -adopted-> solution (status, year)                      member -part_of-> parent member
    exchange -provider/learner/facilitator-> member, exchange -about-> solution
    target -of-> goal, indicator -of-> target
"""

import functools
from dataclasses import dataclass, field

import networkx as nx


@dataclass(frozen=True)
class Member:
    """A government, agency or organisation of the network."""

    key: str
    name: str
    kind: str
    country: str = ""
    region: str = ""
    subregion: str = ""
    languages: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class Need:
    """A problem a member wants to solve, tagged with SDG targets, goals and themes."""

    key: str
    member: str
    title: str
    text: str = ""
    targets: tuple[str, ...] = ()
    goals: tuple[int, ...] = ()
    indicators: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    priority: str = "medium"


@dataclass(frozen=True)
class Solution:
    """A catalogued innovation owned by a member. `figures` are (value, label) pairs."""

    key: str
    name: str
    owner: str
    text: str = ""
    targets: tuple[str, ...] = ()
    goals: tuple[int, ...] = ()
    indicators: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    maturity: str = ""
    languages: tuple[str, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Adoption:
    """A member taking up a solution (exploring, piloting or adopted)."""

    member: str
    solution: str
    year: int | None = None
    status: str = "adopted"


@dataclass(frozen=True)
class Exchange:
    """A pairing provider -> learner around solutions, with an optional facilitator."""

    key: str
    provider: str
    learner: str
    facilitator: str | None = None
    solutions: tuple[str, ...] = ()
    status: str = "proposed"


@dataclass
class Network:
    """Everything the matcher knows, as plain records."""

    members: list[Member] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    solutions: list[Solution] = field(default_factory=list)
    adoptions: list[Adoption] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)


@functools.lru_cache(maxsize=4096)
def goal_of(code):
    """The goal number of a target or indicator code ("16.6" -> 16, "16.6.1" -> 16)."""
    return int(str(code).split(".", 1)[0])


def target_of(indicator):
    """The target code of an indicator code ("16.6.1" -> "16.6")."""
    return ".".join(str(indicator).split(".")[:2])


def build_graph(network):
    """The networkx graph of `network` (see the module docstring for its nodes and edges).

    Nodes are (kind, key) tuples with their record in the `record` attribute. Records that name a
    member or solution the network does not hold are left out rather than invented. Edges are added in
    bulk, one list per relation: a graph of 20,000 solutions builds in well under a second."""
    graph = nx.Graph()
    graph.add_nodes_from((("member", m.key), {"record": m}) for m in network.members)
    members = {m.key for m in network.members}
    edges = []
    for member in network.members:
        node = ("member", member.key)
        edges.extend((node, ("language", language), {"rel": "speaks"}) for language in member.languages)
        if member.region:
            edges.append((node, ("region", member.region), {"rel": "in"}))
        if member.subregion:
            edges.append((node, ("subregion", member.subregion), {"rel": "in"}))
        if member.parent in members and member.parent != member.key:
            edges.append((node, ("member", member.parent), {"rel": "part_of"}))
    needs = [need for need in network.needs if need.member in members]
    graph.add_nodes_from((("need", need.key), {"record": need}) for need in needs)
    for need in needs:
        edges.append((("member", need.member), ("need", need.key), {"rel": "needs"}))
        edges.extend(_tag_edges(("need", need.key), need))
    solutions = [solution for solution in network.solutions if solution.owner in members]
    graph.add_nodes_from((("solution", s.key), {"record": s}) for s in solutions)
    for solution in solutions:
        edges.append((("member", solution.owner), ("solution", solution.key), {"rel": "owns"}))
        edges.extend(_tag_edges(("solution", solution.key), solution))
    solution_keys = {s.key for s in solutions}
    for adoption in network.adoptions:
        if adoption.member in members and adoption.solution in solution_keys:
            data = {"rel": "adopted", "status": adoption.status, "year": adoption.year}
            edges.append((("member", adoption.member), ("solution", adoption.solution), data))
    for exchange in network.exchanges:
        if exchange.provider not in members or exchange.learner not in members:
            continue
        node = ("exchange", exchange.key)
        graph.add_node(node, record=exchange)
        edges.append((node, ("member", exchange.provider), {"rel": "provider"}))
        edges.append((node, ("member", exchange.learner), {"rel": "learner"}))
        if exchange.facilitator in members:
            edges.append((node, ("member", exchange.facilitator), {"rel": "facilitator"}))
        edges.extend((node, ("solution", key), {"rel": "about"}) for key in exchange.solutions if key in solution_keys)
    # The framework's own edges, once per code: indicator -of-> target -of-> goal.
    indicators = {code for record in [*needs, *solutions] for code in record.indicators}
    targets = {code for record in [*needs, *solutions] for code in record.targets} | {target_of(c) for c in indicators}
    edges.extend((("indicator", code), ("target", target_of(code)), {"rel": "of"}) for code in indicators)
    edges.extend((("target", code), ("goal", goal_of(code)), {"rel": "of"}) for code in targets)
    graph.add_edges_from(edges)
    return graph


def _tag_edges(node, record):
    """Edges from a need or solution to what it serves, and from targets/indicators up the framework."""
    for code in record.targets:
        yield node, ("target", code), {"rel": "serves"}
        yield ("target", code), ("goal", goal_of(code)), {"rel": "of"}
    for goal in record.goals:
        yield node, ("goal", goal), {"rel": "serves"}
    for code in record.indicators:
        yield node, ("indicator", code), {"rel": "serves"}

    for theme in record.themes:
        yield node, ("theme", theme), {"rel": "serves"}


def records(graph, kind):
    """The records of the nodes of `kind` ("member", "need", "solution", "exchange"), in graph order."""
    return [data["record"] for node, data in graph.nodes(data=True) if node[0] == kind]


def edges(graph, rel, kind=None):
    """(u, v, data) for the edges of relation `rel`, each once; with `kind`, only edges at nodes of that kind
    (faster: the other nodes' edges are not visited), each given from that node."""
    if kind is None:
        return [(u, v, data) for u, v, data in graph.edges(data=True) if data.get("rel") == rel]
    nodes = [node for node in graph if node[0] == kind]
    return [(u, v, data) for u, v, data in graph.edges(nodes, data=True) if data.get("rel") == rel]
