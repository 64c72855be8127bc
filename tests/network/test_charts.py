"""The network page's pictures as shapes (network.charts): plain data in, coordinates out, no database."""

import re

from network.charts import (
    BANDS_HEIGHT,
    LINE_CHARACTERS,
    NODE_HEIGHT,
    OTHERS,
    WIDTH,
    bar_chart,
    flow_diagram,
    flows_from,
    label_lines,
)


def label(key, countries):
    return f"{countries} others" if key is OTHERS else key


def test_every_country_is_drawn_when_few():
    diagram = flow_diagram({("BGD", "COD"): (2, 1), ("BGD", "PHL"): (0, 3), ("KEN", "COD"): (1, 0)}, label)
    assert [node.key for node in diagram.providers] == ["BGD", "KEN"]  # the heaviest first
    assert [node.key for node in diagram.learners] == ["COD", "PHL"]  # COD 3 + 1 = 4, PHL 3
    assert [(band.provider.key, band.learner.key, band.weight) for band in diagram.bands] == [
        ("BGD", "COD", 3),
        ("BGD", "PHL", 3),
        ("KEN", "COD", 1),
    ]
    # Bands as thick as their weight, on one scale; a node as tall as its bands together.
    thickness = {(band.provider.key, band.learner.key): band.thickness for band in diagram.bands}
    assert thickness["BGD", "COD"] == thickness["BGD", "PHL"] == 3 * thickness["KEN", "COD"]
    assert sum(thickness.values()) == min(BANDS_HEIGHT, 2 * NODE_HEIGHT)  # few nodes, less height
    bgd = diagram.providers[0]
    assert bgd.height == round(thickness["BGD", "COD"] + thickness["BGD", "PHL"], 1)


def test_one_kind_is_drawn_by_its_own_weight():
    pairs = {("BGD", "COD"): (2, 0), ("USA", "IND"): (0, 50)}
    exchanges = flow_diagram(pairs, label, weight="exchanges")
    adoptions = flow_diagram(pairs, label, weight="adoptions")
    assert [(band.provider.key, band.weight) for band in exchanges.bands] == [("BGD", 2)]
    assert [(band.provider.key, band.weight) for band in adoptions.bands] == [("USA", 50)]
    assert flow_diagram({("BGD", "COD"): (0, 4)}, label, weight="exchanges").bands == []


def test_the_smallest_countries_are_grouped_on_each_side():
    pairs = {(f"P{i}", f"L{j}"): (0, i + j + 1) for i in range(8) for j in range(10)}
    diagram = flow_diagram(pairs, label, weight="adoptions", providers=5, learners=7)
    assert [node.key for node in diagram.providers] == ["P7", "P6", "P5", "P4", "P3", OTHERS]
    assert diagram.providers[-1].label == "3 others" and diagram.providers[-1].countries == 3
    assert [node.key for node in diagram.learners][-1] is OTHERS and diagram.learners[-1].countries == 3
    assert len(diagram.bands) == 6 * 8
    # Grouping keeps every adoption: the bands add up to the pairs.
    assert sum(band.weight for band in diagram.bands) == sum(n for _e, n in pairs.values())
    others = next(band for band in diagram.bands if band.provider.key is OTHERS and band.learner.key is OTHERS)
    assert others.weight == sum(i + j + 1 for i in range(3) for j in range(3))
    assert abs(sum(band.thickness for band in diagram.bands) - BANDS_HEIGHT) < 1  # many nodes: the full height


def test_a_group_of_one_is_not_made():
    pairs = {(f"P{i}", "COD"): (0, 10 - i) for i in range(6)}
    diagram = flow_diagram(pairs, label, weight="adoptions", providers=5)
    assert OTHERS not in [node.key for node in diagram.providers]
    assert len(diagram.providers) == 6


def test_nodes_and_labels_stay_inside_the_picture_and_never_overlap():
    pairs = {(f"P{i}", f"L{j}"): (1, 0) for i in range(3) for j in range(12)}
    diagram = flow_diagram(pairs, label, weight="exchanges", learners=12)
    for side in (diagram.providers, diagram.learners):
        for above, below in zip(side, side[1:], strict=False):
            assert below.y >= above.y + above.height
            assert below.label_y - above.label_y >= 12  # a line of text apart at least
        assert side[0].y >= 0 and side[-1].y + side[-1].height <= diagram.height
    for band in diagram.bands:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", band.path)]
        assert all(0 <= n <= max(WIDTH, diagram.height) for n in numbers)
        assert band.path.startswith("M") and band.path.endswith("Z")


def test_no_flow_draws_nothing():
    assert flow_diagram({}, label).bands == [] and flow_diagram({}, label).nodes == []


def test_flows_are_ordered_largest_first_then_by_country():
    flows = flows_from({("KEN", "COD"): (1, 0), ("BGD", "TUR"): (0, 1), ("BGD", "COD"): (2, 3), ("X", "Y"): (0, 0)})
    assert [(flow.provider, flow.learner, flow.total) for flow in flows] == [
        ("BGD", "COD", 5),
        ("BGD", "TUR", 1),
        ("KEN", "COD", 1),
    ]


def test_long_labels_are_wrapped_then_cut():
    assert label_lines("Bangladesh") == ["Bangladesh"]
    assert label_lines("Democratic Republic of the Congo") == ["Democratic Republic", "of the Congo"]
    lines = label_lines("United Kingdom of Great Britain and Northern Ireland")
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= LINE_CHARACTERS for line in lines)
    assert all(len(line) <= LINE_CHARACTERS for line in label_lines("Llanfairpwllgwyngyllgogerychwyrndrobwll"))


def test_the_bar_chart_shows_every_year_between_the_first_and_the_last():
    chart = bar_chart([(2019, 1, 0), (2022, 2, 4)])
    assert [tick.year for tick in chart.years] == [2019, 2020, 2021, 2022]
    assert [(bar.year, bar.series, bar.value) for bar in chart.bars] == [
        (2019, "exchanges", 1),
        (2022, "exchanges", 2),
        (2022, "adoptions", 4),
    ]
    tallest = next(bar for bar in chart.bars if bar.value == 4)
    half = next(bar for bar in chart.bars if bar.value == 2)
    assert abs(tallest.height - 2 * half.height) < 0.2
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)


def test_a_long_span_shows_only_the_years_that_have_some():
    chart = bar_chart([(1960, 1, 0), (2020, 0, 1)])
    assert [tick.year for tick in chart.years] == [1960, 2020]
    assert bar_chart([]).bars == [] and bar_chart([(2020, 0, 0)]).years == []
