"""One visibility rule: what the catalogue shows anonymous visitors (listings, counts, sections, adoptions, similar
solutions) holds only pages that are live and public, and their published state.

Each test hides one page five ways: unpublished, restricted to logged-in people, restricted to a group, under a
restricted page, or changed in a draft (which must not show: the published title does)."""

import re

import pytest

from members.models import MemberPage
from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue
from solutions.models import SolutionPage
from solutions.services import refresh_similar_solutions
from tests import visibility

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

WAYS = ["unpublished", "login", "groups", "restricted_parent", "draft"]
DRAFT_TITLE = "Draft title nobody may see"


@pytest.fixture
def quiet_world(small_world):
    """The small world and Kenya > Quiet Agency, which owns Quiet Portal (like myGov: 16.6, e-services, national),
    adopts myGov and whose portal BARMM adopts."""
    import_catalogue(
        {
            "format": FORMAT,
            "members": [
                {"key": "ken", "name": "Government of Kenya", "kind": "national_government", "country": "KEN"},
                {
                    "key": "ken-quiet",
                    "name": "Quiet Agency",
                    "kind": "government_agency",
                    "country": "KEN",
                    "parent": "ken",
                },
            ],
            "solutions": [
                {
                    "key": "quiet",
                    "name": "Quiet Portal",
                    "owner": "ken-quiet",
                    "summary": "A portal like myGov.",
                    "sdg_targets": ["16.6"],
                    "themes": ["e-services"],
                    "maturity": "national",
                    "adoptions": [{"member": "phl-barmm", "year": 2022, "status": "piloting"}],
                },
                {
                    "key": "mygov",
                    "name": "myGov",
                    "owner": "bgd-a2i",
                    "adoptions": [
                        {"member": "phl-barmm", "status": "exploring"},
                        {"member": "ken-quiet", "year": 2023, "status": "adopted"},
                    ],
                },
            ],
        }
    )
    refresh_similar_solutions()  # as after the import's commit: the hiding below is not ranked yet
    return small_world


def hide(page, way):
    """Hide `page` from anonymous visitors in `way` (tests/visibility.py), or, for "draft", change its title in a
    draft only."""
    if way == "draft":
        visibility.draft_change(page, DRAFT_TITLE)
    else:
        visibility.hide(page, way.replace("_", " "))


def shown(html, title, way):
    """Whether the page listed `title`; with a draft, the published title must show and the draft's never."""
    assert DRAFT_TITLE not in html
    return title in html


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def count(html, pattern):
    found = re.search(pattern, html, re.DOTALL)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("way", WAYS)
def test_the_catalogue_and_its_counts(quiet_world, client, way):
    before = page(client, "/solutions/")
    assert "3 solutions" in before and "Quiet Portal" in before
    hide(SolutionPage.objects.get(key="quiet"), way)

    html = page(client, "/solutions/")
    visible = way == "draft"
    assert shown(html, "Quiet Portal", way) is visible
    assert (f"{3 if visible else 2} solutions") in html
    assert count(html, r'value="16"> 16\. [^<]+ <span class="count">\((\d+)\)') == (2 if visible else 1)
    assert count(html, r'E-services <span class="count">\((\d+)\)') == (2 if visible else 1)
    assert count(html, r"National <span class=\"count\">\((\d+)\)") == (2 if visible else 1)
    assert ('value="KEN"' in html) is visible
    filtered = page(client, "/solutions/?country=KEN&goal=16")
    assert shown(filtered, "Quiet Portal", way) is visible
    assert ("1 solution" if visible else "0 solutions") in filtered


@pytest.mark.parametrize("way", WAYS)
def test_the_sdg_pages_and_the_home_page(quiet_world, client, way):
    hide(SolutionPage.objects.get(key="quiet"), way)
    visible = way == "draft"

    framework = page(client, "/sdg/")
    expected = 2 if visible else 1
    assert count(framework, r'goal-16">.*?<span class="goal-count">(\d+) solution') == expected
    goal = page(client, "/sdg/16/")
    assert shown(goal, "Quiet Portal", way) is visible
    assert (f"{expected} solution{'s serve' if expected > 1 else ' serves'} this goal") in goal
    home = page(client, "/")
    assert shown(home, "Quiet Portal", way) is visible
    assert f"<dt>Solutions</dt><dd>{3 if visible else 2}</dd>" in home


@pytest.mark.parametrize("way", WAYS)
def test_the_solutions_a_member_offers_and_takes_up(quiet_world, client, way):
    hide(SolutionPage.objects.get(key="quiet"), way)
    visible = way == "draft"

    kenya = page(client, MemberPage.objects.get(key="ken").url)  # Quiet Agency's solutions count for Kenya
    assert shown(kenya, "Quiet Portal", way) is visible
    assert ("No solution has been catalogued yet." in kenya) is not visible
    barmm = page(client, MemberPage.objects.get(key="phl-barmm").url)
    assert "Learned from" in barmm and "myGov" in barmm
    assert shown(barmm, "Quiet Portal", way) is visible


@pytest.mark.parametrize("way", WAYS)
def test_a_solutions_similar_solutions(quiet_world, client, way):
    mygov = SolutionPage.objects.get(key="mygov")
    assert "Quiet Portal" in page(client, mygov.url)
    hide(SolutionPage.objects.get(key="quiet"), way)

    # At once, before the similar solutions are ranked again...
    assert shown(page(client, mygov.url), "Quiet Portal", way) is (way == "draft")
    # ...and after.
    refresh_similar_solutions()
    assert shown(page(client, mygov.url), "Quiet Portal", way) is (way == "draft")


@pytest.mark.parametrize("way", WAYS)
def test_a_solutions_adopters(quiet_world, client, way):
    mygov = SolutionPage.objects.get(key="mygov")
    assert "Quiet Agency" in page(client, mygov.url)
    hide(MemberPage.objects.get(key="ken-quiet"), way)

    html = page(client, mygov.url)
    assert shown(html, "Quiet Agency", way) is (way == "draft")
    assert "Bangsamoro Autonomous Region in Muslim Mindanao" in html


@pytest.mark.parametrize("way", ["unpublished", "login", "groups", "restricted_parent"])
def test_a_hidden_member_is_not_named_in_the_catalogues_filter(quiet_world, client, way):
    assert "Remove filter Quiet Agency" in page(client, "/solutions/?member=ken-quiet")
    hide(MemberPage.objects.get(key="ken-quiet"), way)
    assert "Remove filter ken-quiet" in page(client, "/solutions/?member=ken-quiet")


def test_a_solution_whose_owner_is_unpublished_names_it_without_a_link(quiet_world, client):
    """The documented rule: a solution is listed when it is live and public itself (a restriction on its owner
    covers it too); its owner's name is shown, and linked only while the owner's page is live."""
    quiet_agency = MemberPage.objects.get(key="ken-quiet")
    quiet_agency.unpublish()
    assert "Quiet Agency · National" in page(client, "/solutions/")
    html = page(client, SolutionPage.objects.get(key="quiet").url)
    assert "By Quiet Agency ·" in html and f'href="{quiet_agency.url}"' not in html
