"""The world a module shares (conftest.module_world): every test of the module sees it whole, whatever the tests
before it wrote."""

import pytest

from matchmaking.models import Exchange
from members.models import MemberPage
from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def world():
    return (
        sorted(MemberPage.objects.values_list("key", "title")),
        sorted(SolutionPage.objects.values_list("key", "title", "member__key")),
        list(Exchange.objects.values_list("key", "status")),
    )


WHOLE = (
    [
        ("bgd", "Government of Bangladesh"),
        ("bgd-a2i", "Aspire to Innovate (a2i)"),
        ("cod", "Government of the Democratic Republic of the Congo"),
        ("phl-barmm", "Bangsamoro Autonomous Region in Muslim Mindanao"),
        ("tur", "Government of Türkiye"),
        ("undp", "UNDP"),
    ],
    [("ekshop", "ekShop", "bgd-a2i"), ("mygov", "myGov", "bgd-a2i")],
    [("cod-a2i", "knowledge_shared")],
)


@pytest.mark.parametrize("run", [1, 2])
def test_a_tests_writes_are_rolled_back_before_the_next(small_world, run):
    assert world() == WHOLE
    Exchange.objects.all().delete()
    SolutionPage.objects.get(key="ekshop").delete()
    MemberPage.objects.filter(key="undp").update(title="Changed")
    assert world() != WHOLE


def test_a_test_that_does_not_ask_for_it_sees_it_too(db):
    assert world() == WHOLE
