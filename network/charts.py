"""The network page's pictures, drawn on the server as SVG shapes: plain data in, coordinates out (no ORM, no
template), so that they are tested without a database and the page sends no script.

- `flow_diagram()`: who learned from whom. Provider countries on the left, learner countries on the right, one
  band per pair as thick as its count (exchanges and adoptions). The countries with the largest flows are drawn
  on their own and the rest as one "other countries" node per side, so that the picture stays readable and light
  whatever the number of countries; its bands are the rows of the table that stands for it.
- `bar_chart()`: exchanges and adoptions by year.

Coordinates are in the SVG's own units (its viewBox): the picture scales to the width the page gives it. Each
picture's `shapes()` is the markup inside its <svg> element (the page's template writes the element, with the
picture's accessible name and description): made here in one go rather than by the template, whose cost grows with
every coordinate it writes. Colours are SVG presentation attributes, which the site's CSP allows, never style="".
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

#: The site's colours (ssn4psi/static/css/site.css): bands and bars, nodes, text, axis.
ACCENT = "#0b5cad"
ACCENT_DARK = "#07437f"
INK = "#1b1f24"
MUTED = "#555d66"

#: The key of the node that stands for the countries not drawn on their own.
OTHERS = None


@dataclass(frozen=True)
class Flow:
    """What a learner country learned from a provider country: exchanges (that shared knowledge at least) and
    adoptions of the provider's solutions. `provider` or `learner` is OTHERS for a group of countries."""

    provider: str | None
    learner: str | None
    exchanges: int = 0
    adoptions: int = 0

    @property
    def total(self):
        return self.exchanges + self.adoptions

    def weight(self, of="total"):
        """Its exchanges, its adoptions or its total (`of`): what a diagram draws."""
        return getattr(self, of)


def flows_from(counts, weight="total"):
    """Flows from {(provider, learner): (exchanges, adoptions)}, the largest (by `weight`) first, then by the
    countries' codes, OTHERS last, so that the order never depends on the database's."""
    flows = [Flow(provider, learner, *numbers) for (provider, learner), numbers in counts.items() if any(numbers)]
    return sorted(flows, key=lambda flow: (-flow.weight(weight), _code_order(flow.provider), _code_order(flow.learner)))


def _code_order(code):
    return (code is OTHERS, code or "")


# -- the flow diagram ------------------------------------------------------------------------------------------

WIDTH = 360
#: Room for the countries' names on each side.
LABEL_WIDTH = 122
NODE_WIDTH = 8
#: The height all the bands take together (before the room labels need), or less when a side has few nodes:
#: NODE_HEIGHT for each node of the side that has more.
BANDS_HEIGHT = 240
NODE_HEIGHT = 40
#: The space between two nodes.
GAP = 8
#: The least height a node takes on its side, so that two labels never overlap: per line of its label, and more.
LINE_HEIGHT = 12
MIN_SLOT = 16
MARGIN = 4
#: A label's lines: at most this many characters each (what LABEL_WIDTH holds at the diagram's font size), and
#: at most this many lines, the last cut short with an ellipsis.
LINE_CHARACTERS = 20
LABEL_LINES = 2


def label_lines(text, width=LINE_CHARACTERS, lines=LABEL_LINES):
    """`text` in at most `lines` lines of at most `width` characters, cut between words (within a word when one
    is longer), the last line ending in "…" when the text does not fit."""
    found, line = [], ""
    for word in text.split():
        while len(word) > width:  # a word longer than a line fills lines of its own
            if line:
                found.append(line)
                line = ""
            found.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
        else:
            found.append(line)
            line = word
    if line:
        found.append(line)
    if len(found) > lines:
        last = " ".join(found[lines - 1 :])
        found = found[: lines - 1] + [last[: width - 1].rstrip() + "…"]
    return found


@dataclass
class Node:
    """A country (or the other countries: key OTHERS, standing for `countries` of them) on one side."""

    key: str | None
    side: str  # "provider" or "learner"
    weight: int = 0
    countries: int = 1
    label: str = ""
    x: float = 0
    y: float = 0
    height: float = 0

    @property
    def lines(self):
        """Its label as drawn: label_lines() of it."""
        return label_lines(self.label)

    @property
    def slot(self):
        """The height it takes on its side: its own, or its label's when that is taller."""
        return max(self.height, MIN_SLOT, len(self.lines) * LINE_HEIGHT + 4)

    @property
    def label_x(self):
        return self.x - 5 if self.side == "provider" else self.x + NODE_WIDTH + 5

    @property
    def label_y(self):
        """The first line's baseline: the lines together centred on the node."""
        return round(self.y + self.height / 2 + 4 - (len(self.lines) - 1) * LINE_HEIGHT / 2, 1)

    @property
    def anchor(self):
        return "end" if self.side == "provider" else "start"


@dataclass
class Band:
    """One flow drawn between a provider node and a learner node: `path` is the SVG path of its shape."""

    flow: Flow
    provider: Node
    learner: Node
    weight: int
    thickness: float
    y0: float = 0
    path: str = ""

    @property
    def title(self):
        """What its tooltip says: "Bangladesh → Türkiye: 3"."""
        return f"{self.provider.label} → {self.learner.label}: {self.weight}"


@dataclass
class FlowDiagram:
    width: int
    height: float
    providers: list = field(default_factory=list)
    learners: list = field(default_factory=list)
    bands: list = field(default_factory=list)

    @property
    def nodes(self):
        return self.providers + self.learners

    def shapes(self):
        """The markup of its bands (each with its tooltip), nodes and labels (a line per <tspan>)."""
        parts = [
            f'<path d="{band.path}" fill="{ACCENT}" fill-opacity=".35"><title>{escape(band.title)}</title></path>'
            for band in self.bands
        ]
        shift = f' dy="{LINE_HEIGHT}"'  # each line after the first, one line lower
        for node in self.nodes:
            x = node.label_x
            lines = "".join(
                f'<tspan x="{x}"{shift if n else ""}>{escape(line)}</tspan>' for n, line in enumerate(node.lines)
            )
            parts.append(
                f'<rect x="{node.x}" y="{node.y}" width="{NODE_WIDTH}" height="{node.height}" fill="{ACCENT_DARK}"/>'
                f'<text x="{x}" y="{node.label_y}" text-anchor="{node.anchor}" fill="{INK}">{lines}</text>'
            )
        return mark_safe("".join(parts))  # numbers, and text escaped above


def _kept(weights, limit):
    """The keys drawn on their own: the `limit` heaviest, or all of them when grouping would leave one alone."""
    ranked = sorted(weights, key=lambda key: (-weights[key], key))
    return set(ranked if len(ranked) <= limit + 1 else ranked[:limit])


def flow_diagram(pairs, label, weight="total", providers=5, learners=7):
    """The flow diagram of `pairs`, {(provider, learner): (exchanges, adoptions)} between countries, drawn by their
    `weight` ("exchanges", "adoptions" or "total"): the `providers` and `learners` countries with the largest flows
    on their own, the others grouped on each side. `label(key, countries)` names a node (key OTHERS for the group
    of `countries`). Its bands, largest first, are the flows it draws."""
    # Plain sums over the pairs (there may be a thousand or more): Flow objects are made for the bands only.
    of_exchanges, of_adoptions = {"exchanges": (1, 0), "adoptions": (0, 1), "total": (1, 1)}[weight]
    weighed = []
    provider_weights, learner_weights = defaultdict(int), defaultdict(int)
    for (provider, learner), (exchanges, adoptions) in pairs.items():
        if amount := exchanges * of_exchanges + adoptions * of_adoptions:
            weighed.append((provider, learner, exchanges, adoptions))
            provider_weights[provider] += amount
            learner_weights[learner] += amount
    kept_providers, kept_learners = _kept(provider_weights, providers), _kept(learner_weights, learners)
    grouped = defaultdict(lambda: [0, 0])
    for provider, learner, exchanges, adoptions in weighed:
        numbers = grouped[
            provider if provider in kept_providers else OTHERS, learner if learner in kept_learners else OTHERS
        ]
        numbers[0] += exchanges
        numbers[1] += adoptions
    drawn = [flow for flow in flows_from(grouped, weight) if flow.weight(weight)]
    diagram = FlowDiagram(width=WIDTH, height=0)
    if not drawn:
        return diagram

    def side_nodes(name, kept, weights):
        nodes = {}
        for key in kept:
            nodes[key] = Node(key, name, weights[key])
        others = [key for key in weights if key not in kept]
        if others:
            nodes[OTHERS] = Node(OTHERS, name, sum(weights[key] for key in others), countries=len(others))
        ordered = sorted(nodes.values(), key=lambda node: (node.key is OTHERS, -node.weight, node.key or ""))
        for node in ordered:
            node.label = label(node.key, node.countries)
        return ordered

    diagram.providers = side_nodes("provider", kept_providers, provider_weights)
    diagram.learners = side_nodes("learner", kept_learners, learner_weights)
    by_key = {("provider", node.key): node for node in diagram.providers}
    by_key |= {("learner", node.key): node for node in diagram.learners}
    # Few nodes get less height: one band drawn 240 units thick says nothing more than one 50 thick.
    bands_height = min(BANDS_HEIGHT, NODE_HEIGHT * max(len(diagram.providers), len(diagram.learners)))
    scale = bands_height / sum(flow.weight(weight) for flow in drawn)
    diagram.bands = [
        Band(
            flow,
            by_key["provider", flow.provider],
            by_key["learner", flow.learner],
            flow.weight(weight),
            max(flow.weight(weight) * scale, 1.0),
        )
        for flow in drawn
    ]
    # A node is as tall as its bands together (a thin band is drawn 1 unit thick, so not always weight * scale).
    for band in diagram.bands:
        band.provider.height += band.thickness
        band.learner.height += band.thickness
    heights = [_stack(diagram.providers), _stack(diagram.learners)]
    diagram.height = round(max(heights) + 2 * MARGIN, 1)
    for nodes, height, x in (
        (diagram.providers, heights[0], LABEL_WIDTH),
        (diagram.learners, heights[1], WIDTH - LABEL_WIDTH - NODE_WIDTH),
    ):
        shift = MARGIN + (max(heights) - height) / 2  # the shorter side is centred
        for node in nodes:
            node.x, node.y = x, node.y + shift
    _draw_bands(diagram)
    for node in diagram.nodes:
        node.y, node.height = round(node.y, 1), round(node.height, 1)
    return diagram


def _stack(nodes):
    """Place `nodes` one under the other (y from 0), each in its slot (Node.slot): the height they take."""
    cursor = 0.0
    for node in nodes:
        # A node shorter than its label sits in the middle of the room the label takes.
        node.y = cursor + (node.slot - node.height) / 2
        cursor += node.slot + GAP
    return cursor - GAP


def _draw_bands(diagram):
    """Each band's path: it leaves its provider node and reaches its learner node stacked in the order of the
    nodes on the other side, so that bands cross as little as they can."""
    order = {id(node): index for index, node in enumerate(diagram.nodes)}
    leaving = defaultdict(float)
    arriving = defaultdict(float)
    x0 = LABEL_WIDTH + NODE_WIDTH
    x1 = WIDTH - LABEL_WIDTH - NODE_WIDTH
    middle = (x0 + x1) / 2
    for band in sorted(diagram.bands, key=lambda band: (order[id(band.provider)], order[id(band.learner)])):
        y0 = band.provider.y + leaving[id(band.provider)]
        leaving[id(band.provider)] += band.thickness
        band.y0 = y0
    for band in sorted(diagram.bands, key=lambda band: (order[id(band.learner)], order[id(band.provider)])):
        y1 = band.learner.y + arriving[id(band.learner)]
        arriving[id(band.learner)] += band.thickness
        t = band.thickness
        band.path = (
            f"M{x0} {_r(band.y0)}C{middle} {_r(band.y0)} {middle} {_r(y1)} {x1} {_r(y1)}"
            f"L{x1} {_r(y1 + t)}C{middle} {_r(y1 + t)} {middle} {_r(band.y0 + t)} {x0} {_r(band.y0 + t)}Z"
        )


def _r(value):
    """A coordinate with one decimal, as short as it can be written: the page's weight is mostly numbers."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# -- the bar chart ---------------------------------------------------------------------------------------------

BAR_WIDTH = 360
BAR_HEIGHT = 170
#: Room under the bars for the years, above them for their values, and to the left of the axis.
BAR_BOTTOM = 20
BAR_TOP = 16
BAR_LEFT = 8
#: Years in a row drawn with the empty years between them; a longer span draws only the years that have some.
LONGEST_SPAN = 30


@dataclass
class Bar:
    year: int
    series: str  # "exchanges" or "adoptions"
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self):
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self):
        return round(self.y - 3, 1)


@dataclass
class YearTick:
    year: int
    x: float
    shown: bool


@dataclass
class BarChart:
    width: int
    height: int
    bars: list = field(default_factory=list)
    years: list = field(default_factory=list)
    baseline: float = 0

    def shapes(self):
        """The markup of its axis, bars (exchanges solid, adoptions outlined: told apart without colour) with their
        values above them, and the years under them."""
        parts = [f'<line x1="0" x2="{self.width}" y1="{self.baseline}" y2="{self.baseline}" stroke="{MUTED}"/>']
        for bar in self.bars:
            paint = (
                f'fill="{ACCENT}"'
                if bar.series == "exchanges"
                else f'fill="#fff" stroke="{ACCENT_DARK}" stroke-width="1.5"'
            )
            parts.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" {paint}/>'
                f'<text x="{bar.label_x}" y="{bar.label_y}" text-anchor="middle" fill="{INK}">{bar.value}</text>'
            )
        for tick in self.years:
            if tick.shown:
                y = self.height - 5
                parts.append(f'<text x="{tick.x}" y="{y}" text-anchor="middle" fill="{MUTED}">{tick.year}</text>')
        return mark_safe("".join(parts))  # numbers only


def bar_chart(years):
    """Bars of exchanges and adoptions for `years`, [(year, exchanges, adoptions)], side by side for each year."""
    counts = {year: (exchanges, adoptions) for year, exchanges, adoptions in years if exchanges or adoptions}
    chart = BarChart(width=BAR_WIDTH, height=BAR_HEIGHT, baseline=BAR_HEIGHT - BAR_BOTTOM)
    if not counts:
        return chart
    first, last = min(counts), max(counts)
    shown_years = list(range(first, last + 1)) if last - first < LONGEST_SPAN else sorted(counts)
    group = (BAR_WIDTH - 2 * BAR_LEFT) / len(shown_years)
    width = min(group * 0.4, 28)
    tallest = max(max(pair) for pair in counts.values())
    scale = (chart.baseline - BAR_TOP) / tallest
    # Every year labelled while they fit, else one in `step` (about 36 units a label).
    step = max(1, round(36 / group))
    for index, year in enumerate(shown_years):
        centre = BAR_LEFT + group * (index + 0.5)
        chart.years.append(YearTick(year, round(centre, 1), index % step == 0 or index == len(shown_years) - 1))
        for series, value, x in zip(
            ("exchanges", "adoptions"), counts.get(year, (0, 0)), (centre - width - 1, centre + 1), strict=True
        ):
            if value:
                height = max(value * scale, 1.0)
                chart.bars.append(
                    Bar(
                        year,
                        series,
                        value,
                        round(x, 1),
                        round(chart.baseline - height, 1),
                        round(width, 1),
                        round(height, 1),
                    )
                )
    return chart
