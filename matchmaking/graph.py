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


def goal_of(code):
    """The goal number of a target or indicator code ("16.6" -> 16, "16.6.1" -> 16)."""
    return int(str(code).split(".", 1)[0])


def target_of(indicator):
    """The target code of an indicator code ("16.6.1" -> "16.6")."""
    return ".".join(str(indicator).split(".")[:2])


def build_graph(network):
    """The networkx graph of `network` (see the module docstring for its nodes and edges).

    Nodes are (kind, key) tuples with their record in the `record` attribute. Records that name a
    member or solution the network does not hold are left out rather than invented."""
    graph = nx.MultiGraph()
    for member in network.members:
        graph.add_node(("member", member.key), record=member)
    for member in network.members:
        node = ("member", member.key)
        for language in member.languages:
            graph.add_edge(node, ("language", language), rel="speaks")
        if member.region:
            graph.add_edge(node, ("region", member.region), rel="in")
        if member.subregion:
            graph.add_edge(node, ("subregion", member.subregion), rel="in")
        if member.parent and graph.has_node(("member", member.parent)):
            graph.add_edge(node, ("member", member.parent), rel="part_of")
    for need in network.needs:
        if not graph.has_node(("member", need.member)):
            continue
        graph.add_node(("need", need.key), record=need)
        graph.add_edge(("member", need.member), ("need", need.key), rel="needs")
        _add_tags(graph, ("need", need.key), need)
    for solution in network.solutions:
        if not graph.has_node(("member", solution.owner)):
            continue
        graph.add_node(("solution", solution.key), record=solution)
        graph.add_edge(("member", solution.owner), ("solution", solution.key), rel="owns")
        _add_tags(graph, ("solution", solution.key), solution)
    for adoption in network.adoptions:
        member, solution = ("member", adoption.member), ("solution", adoption.solution)
        if graph.has_node(member) and graph.has_node(solution):
            graph.add_edge(member, solution, rel="adopted", status=adoption.status, year=adoption.year)
    for exchange in network.exchanges:
        node = ("exchange", exchange.key)
        if not (graph.has_node(("member", exchange.provider)) and graph.has_node(("member", exchange.learner))):
            continue
        graph.add_node(node, record=exchange)
        graph.add_edge(node, ("member", exchange.provider), rel="provider")
        graph.add_edge(node, ("member", exchange.learner), rel="learner")
        if exchange.facilitator and graph.has_node(("member", exchange.facilitator)):
            graph.add_edge(node, ("member", exchange.facilitator), rel="facilitator")
        for solution in exchange.solutions:
            if graph.has_node(("solution", solution)):
                graph.add_edge(node, ("solution", solution), rel="about")
    return graph


def _add_tags(graph, node, record):
    for code in record.targets:
        graph.add_edge(node, ("target", code), rel="serves")
        graph.add_edge(("target", code), ("goal", goal_of(code)), rel="of", key="of")
    for goal in record.goals:
        graph.add_edge(node, ("goal", goal), rel="serves")
    for code in record.indicators:
        graph.add_edge(node, ("indicator", code), rel="serves")
        graph.add_edge(("indicator", code), ("target", target_of(code)), rel="of", key="of")
    for theme in record.themes:
        graph.add_edge(node, ("theme", theme), rel="serves")


def records(graph, kind):
    """The records of the nodes of `kind` ("member", "need", "solution", "exchange"), in graph order."""
    return [data["record"] for node, data in graph.nodes(data=True) if node[0] == kind]


def edges(graph, rel):
    """(u, v, data) for the edges of relation `rel`, each once."""
    return [(u, v, data) for u, v, data in graph.edges(data=True) if data.get("rel") == rel]
