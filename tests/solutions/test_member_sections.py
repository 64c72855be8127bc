"""What the solutions app adds to a member page: the solutions it offers and those it took up."""

import re

import pytest

from members.models import MemberPage
from solutions.models import Adoption, SolutionPage

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


def test_a_member_lists_what_it_took_up_latest_first_with_the_owners_name(small_world, many_solutions, client):
    many_solutions(3)
    turkiye = MemberPage.objects.get(key="tur")

    adoptions = list(Adoption.objects.by_member(turkiye))

    expected = Adoption.objects.filter(member=turkiye).order_by("-year", "solution__title")
    assert [(a.pk, a.solution.title, a.owner_title, a.year, a.status) for a in adoptions] == [
        (a.pk, a.solution.title, a.solution.member.title, a.year, a.status) for a in expected
    ]
    html = client.get(turkiye.url).content.decode()
    assert "Solutions taken up" in html
    ekshop = SolutionPage.objects.get(key="ekshop")
    assert f'<li><a href="{ekshop.url}">ekShop</a> (Aspire to Innovate (a2i)) — Adopted, 2021</li>' in html


def test_a_member_that_took_up_nothing_has_no_such_section(small_world, client):
    assert "Solutions taken up" not in client.get(MemberPage.objects.get(key="undp").url).content.decode()
