"""What the solutions app adds to a member page: the solutions it offers; and the adoptions that tie a member to
others, both ways, which matchmaking shows with its exchanges (tests/matchmaking/test_partner_ties.py)."""

import re

import pytest
from django.db.models import Q

from members.models import MemberPage
from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue
from solutions.models import Adoption, SolutionPage
from tests.visibility import HIDDEN, KENYA, hide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def card_titles(html):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_a_member_offers_its_solutions_and_those_of_the_members_under_it(small_world, many_solutions, client):
    many_solutions(20)
    SolutionPage.objects.get(key="generated-3").unpublish()
    for key in ("bgd", "bgd-a2i", "cod", "tur"):
        member = MemberPage.objects.get(key=key)
        offered = list(SolutionPage.objects.for_catalogue().offered_by(member))
        expected = [
            s
            for s in SolutionPage.objects.live().order_by("title")
            if s.path.startswith(member.path) and s.locale.language_code == "en"
        ]
        assert sorted(s.pk for s in offered) == sorted(s.pk for s in expected), key
        html = client.get(member.url).content.decode()
        assert card_titles(html) == [s.title for s in offered[: member.SOLUTIONS_SHOWN]], key
        if len(offered) > member.SOLUTIONS_SHOWN:
            assert f"See all {len(offered)} solutions in the catalogue" in html
        else:
            assert "See all" not in html
    assert "Generated solution 0003" not in client.get(MemberPage.objects.get(key="bgd").url).content.decode()


def test_the_cards_show_their_themes_in_the_vocabularys_order(small_world, many_solutions):
    from ssn4psi.models import Theme

    many_solutions(12)
    SolutionPage.objects.get(key="ekshop").themes.set(Theme.objects.filter(key__in=["health", "e-commerce"]))
    solutions = list(SolutionPage.objects.for_catalogue())
    assert any(len(s.card_themes) > 1 for s in solutions)
    assert [s.card_themes for s in solutions] == [list(s.themes.order_by("position")) for s in solutions]


def test_the_adoptions_tying_a_member_to_others_go_both_ways(small_world, many_solutions):
    """a2i's solutions taken up by others (whom it shared with), a2i's own adoptions (whom it learned from); each
    with its solution, the solution's owner and the adopter loaded in the same query."""
    many_solutions(3)  # generated-1 is a2i's, generated-0 and -2 DR Congo's: all adopted by Türkiye in 2020
    a2i, cod, tur = (MemberPage.objects.get(key=key) for key in ("bgd-a2i", "cod", "tur"))
    Adoption.objects.create(solution=SolutionPage.objects.get(key="generated-0"), member=a2i, year=2024)
    Adoption.objects.create(solution=SolutionPage.objects.get(key="generated-2"), member=a2i)

    ties = list(Adoption.objects.ties_of(a2i))

    assert sorted((a.solution.title, a.solution.member.title, a.member.title, a.year) for a in ties) == [
        ("Generated solution 0000", cod.title, a2i.title, 2024),
        ("Generated solution 0001", a2i.title, tur.title, 2020),
        ("Generated solution 0002", cod.title, a2i.title, None),
        ("ekShop", a2i.title, tur.title, 2021),
        ("myGov", a2i.title, "Bangsamoro Autonomous Region in Muslim Mindanao", None),
    ]
    # Türkiye's adoptions of DR Congo's solutions tie neither to a2i.
    assert {a.pk for a in ties} == set(
        Adoption.objects.filter(Q(member=a2i) | Q(solution__member=a2i)).values_list("pk", flat=True)
    )


def test_the_adoptions_tying_a_member_to_others_are_read_in_one_query(small_world, django_assert_num_queries):
    a2i = MemberPage.objects.get(key="bgd-a2i")
    members, solutions = MemberPage.objects.live().public(), SolutionPage.objects.live().public()
    list(members[:1])  # Wagtail's public() reads the view restrictions once, when built

    with django_assert_num_queries(1):
        ties = list(Adoption.objects.ties_of(a2i, members, solutions))
        [(a.solution.title, a.solution.url, a.solution.member.url, a.member.title, a.member.url) for a in ties]


@pytest.fixture
def kenya(small_world):
    """The small world and Kenya > its ICT Authority (eCitizen), Türkiye's e-Devlet (tests.visibility.KENYA); a2i
    took up eCitizen and e-Devlet, the Kenya ICT Authority took up ekShop."""
    import_catalogue({"format": FORMAT, **KENYA})
    a2i, ken_ict = MemberPage.objects.get(key="bgd-a2i"), MemberPage.objects.get(key="ken-ict")
    for key in ("ecitizen", "tur-portal"):
        Adoption.objects.create(solution=SolutionPage.objects.get(key=key), member=a2i, year=2024)
    Adoption.objects.create(solution=SolutionPage.objects.get(key="ekshop"), member=ken_ict, year=2023)
    return a2i


def ties(member):
    return sorted((a.solution.key, a.member.key) for a in Adoption.objects.ties_of(member))


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_partner_is_tied_neither_way(kenya, how):
    everything = [
        ("ecitizen", "bgd-a2i"),
        ("ekshop", "ken-ict"),
        ("ekshop", "tur"),
        ("mygov", "phl-barmm"),
        ("tur-portal", "bgd-a2i"),
    ]
    assert ties(kenya) == everything

    hide(MemberPage.objects.get(key="ken-ict"), how)

    assert ties(kenya) == [tie for tie in everything if tie not in {("ecitizen", "bgd-a2i"), ("ekshop", "ken-ict")}]


# A restriction on a solution's parent is one on its owner: the test above.
@pytest.mark.parametrize("how", [how for how in HIDDEN if how != "restricted parent"])
def test_a_hidden_solution_ties_nobody(kenya, how):
    hide(SolutionPage.objects.get(key="tur-portal"), how)
    hide(SolutionPage.objects.get(key="mygov"), how)

    assert ties(kenya) == [("ecitizen", "bgd-a2i"), ("ekshop", "ken-ict"), ("ekshop", "tur")]
