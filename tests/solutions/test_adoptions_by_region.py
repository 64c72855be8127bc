"""Where a solution has been adopted, by UN M49 region: the grouping (pure), its chart, and the page that shows
both without an extra query."""

import re
from types import SimpleNamespace

import pytest

from solutions.adoptions import CHART_WIDTH, by_region, region_chart

# The pure tests share the module's world too (it is built once, whichever test asks first).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def adoption(name, region, year=None, status="adopted"):
    return SimpleNamespace(member=SimpleNamespace(title=name, region=region), year=year, status=status)


def test_adoptions_are_grouped_by_region_in_the_m49_order_with_no_region_last():
    adoptions = [
        adoption("BARMM", "asia", 2023),
        adoption("Nowhere", ""),
        adoption("DR Congo", "africa", 2022),
        adoption("Türkiye", "asia", 2021),
        adoption("Unknown key", "atlantis"),
        adoption("Yemen", "asia", 2022),
    ]

    groups = by_region(adoptions)

    assert [(group.key, str(group.label)) for group in groups] == [
        ("africa", "Africa"),
        ("asia", "Asia"),
        ("", "No UN region"),
    ]
    # Each group keeps the order it was given (the page reads them by year, then member).
    assert [[a.member.title for a in group.adoptions] for group in groups] == [
        ["DR Congo"],
        ["BARMM", "Türkiye", "Yemen"],
        ["Nowhere", "Unknown key"],
    ]
    assert [group.years for group in groups] == [(2022, 2022), (2021, 2023), None]
    assert [group.summary for group in groups] == [
        "Africa: 1 adoption, 2022",
        "Asia: 3 adoptions, 2021–2023",
        "No UN region: 2 adoptions",
    ]
    assert by_region([]) == []


def test_the_chart_draws_a_bar_a_region_as_long_as_its_share_of_the_most():
    groups = by_region(
        [adoption(f"Asia {i}", "asia") for i in range(4)]
        + [adoption("Africa", "africa")]
        + [adoption(f"Europe {i}", "europe") for i in range(2)]
    )

    chart = region_chart(groups)

    assert [(row.group.key, row.width) for row in chart.rows] == [
        ("africa", CHART_WIDTH // 4),
        ("asia", CHART_WIDTH),
        ("europe", CHART_WIDTH // 2),
    ]
    assert [row.y for row in chart.rows] == [0, 40, 80] and chart.height == 120
    assert [row.rtl_x for row in chart.rows] == [CHART_WIDTH - row.width for row in chart.rows]
    # One region: the table's heading says it all.
    assert region_chart(by_region([adoption("A", "asia"), adoption("B", "asia")])) is None
    assert region_chart([]) is None
    # A region far below the most still shows a bar.
    many = by_region([adoption(f"Asia {i}", "asia") for i in range(500)] + [adoption("Africa", "africa")])
    assert region_chart(many).rows[0].width == 4


def test_the_page_lists_the_adoptions_by_region_with_a_chart_and_its_text_equivalent(small_world, client):
    from members.models import MemberPage
    from solutions.models import Adoption, SolutionPage

    mygov = SolutionPage.objects.get(key="mygov")
    Adoption.objects.create(solution=mygov, member=MemberPage.objects.get(key="cod"), year=2022, status="piloting")
    Adoption.objects.create(solution=mygov, member=MemberPage.objects.get(key="tur"), year=2020)

    html = client.get(mygov.url).content.decode()

    section = re.search(r'<section aria-labelledby="adoptions-heading">.*?</section>', html, re.S).group(0)
    assert re.findall(r'<th scope="rowgroup" colspan="3">([^<]+)</th>', section) == ["Africa", "Asia"]
    rows = re.findall(r"<tr><td><a [^>]+>([^<]+)</a></td><td>([^<]+)</td><td>([^<]+)</td></tr>", section)
    # Africa, then Asia; in each, the order Adoption.objects.of_solution() reads them in (year, then member).
    read = list(Adoption.objects.of_solution(mygov))
    expected = [a for a in read if a.member.region == "africa"] + [a for a in read if a.member.region == "asia"]
    assert rows == [(a.member.title, str(a.year or "—"), a.get_status_display()) for a in expected]
    assert {row[0] for row in rows} == {
        "Government of the Democratic Republic of the Congo",
        "Government of Türkiye",
        "Bangsamoro Autonomous Region in Muslim Mindanao",
    }
    svg = re.search(r"<svg .*?</svg>", section, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="adoption-chart-title adoption-chart-desc"' in svg
    assert '<title id="adoption-chart-title">Adoptions by UN region</title>' in svg
    assert '<desc id="adoption-chart-desc">Africa: 1 adoption, 2022; Asia: 2 adoptions, 2020.</desc>' in svg
    assert re.findall(r'<rect x="0" y="\d+" width="(\d+)" height="12" rx="2" fill="#0b5cad"/>', svg) == [
        str(CHART_WIDTH // 2),
        str(CHART_WIDTH),
    ]
    assert "style=" not in section and "<script" not in section


def test_a_hidden_adopter_is_neither_listed_nor_counted(small_world, client):
    from members.models import MemberPage
    from solutions.models import Adoption, SolutionPage
    from tests.visibility import hide

    mygov = SolutionPage.objects.get(key="mygov")
    cod, tur = MemberPage.objects.get(key="cod"), MemberPage.objects.get(key="tur")
    Adoption.objects.create(solution=mygov, member=cod, year=2022)
    Adoption.objects.create(solution=mygov, member=tur, year=2020)
    hide(tur, "login")

    html = client.get(mygov.url).content.decode()

    assert "Türkiye" not in html
    assert "Africa: 1 adoption, 2022; Asia: 1 adoption." in html


def test_in_a_right_to_left_language_the_bars_grow_from_the_right(small_world, client):
    from members.models import MemberPage
    from solutions.models import Adoption, SolutionPage

    mygov = SolutionPage.objects.get(key="mygov")
    Adoption.objects.create(solution=mygov, member=MemberPage.objects.get(key="cod"), year=2022)
    Adoption.objects.create(solution=mygov, member=MemberPage.objects.get(key="tur"), year=2020)
    client.cookies["ssn4psi_language"] = "ar"

    html = client.get(mygov.url).content.decode()

    assert 'dir="rtl"' in html
    assert f'<text x="{CHART_WIDTH}"' in html
    assert re.findall(r'<rect x="(\d+)" y="\d+" width="\d+" height="12" rx="2" fill="#0b5cad"/>', html) == [
        str(CHART_WIDTH // 2),
        "0",
    ]
