"""One visibility rule in the open-data API: every list, detail, count and download holds only pages that are live
and public, and the published version of them; a row that links pages (an adoption, an exchange, an outcome, a
recommendation) shows a hidden page nowhere.

The world (tests/visibility.py's, around BARMM) gains a workshop organised by the Kenya ICT Authority and BARMM,
serving Türkiye -> BARMM (facilitated by the Kenya ICT Authority), with an outcome naming the Authority and UNDP,
and BARMM's adoption of eCitizen. Each test hides the Kenya ICT Authority (a member) or eCitizen (a solution) in one
of five ways: unpublished, restricted to logged-in people, to a group, under a restricted parent, or changed in a
draft only (the published name must show, never the draft's)."""

import pytest

from solutions.models import Adoption
from tests import visibility
from workshops.models import WorkshopPage
from workshops.records import WorkshopOutcome

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

WAYS = ["unpublished", "login", "groups", "restricted parent", "draft"]
DRAFT = "Draft name nobody may see"


@pytest.fixture
def world(small_world, make_workshop):
    pages, exchanges = visibility.build_world()
    Adoption.objects.create(solution=pages["ecitizen"], member=pages["phl-barmm"], year=2024, status="piloting")
    workshop = make_workshop(key="nairobi-visit", title="Nairobi visit")
    workshop.organisers.set([pages["ken-ict"], pages["phl-barmm"]])
    workshop.exchanges.set([exchanges["tur-barmm"]])
    workshop.save_revision().publish()
    outcome = WorkshopOutcome.objects.create(
        workshop=workshop, kind="pilot_launched", text="A pilot started.", exchange=exchanges["tur-barmm"]
    )
    outcome.members.set([pages["ken-ict"], pages["undp"]])
    outcome.save()
    WorkshopPage.objects.filter(pk=workshop.pk).refresh_involvements()
    return pages


def hide(page, way):
    if way == "draft":
        visibility.draft_change(page, DRAFT)
    else:
        visibility.hide(page, way)


def read(client, url, **params):
    response = client.get(url, params)
    assert response.status_code in (200, 404), (url, response.content[:300])
    assert DRAFT not in response.content.decode()
    return response


def listed(client, url, field="key", **params):
    return [item[field] for item in read(client, url, per_page=100, **params).json()["results"]]


def test_the_world_shows_everything_before_anything_is_hidden(client, world):
    assert "ken-ict" in listed(client, "/api/members/")
    assert "ecitizen" in listed(client, "/api/solutions/")
    assert ("ecitizen", "phl-barmm") in {
        (a["solution"], a["member"]) for a in read(client, "/api/adoptions/").json()["results"]
    }
    assert read(client, "/api/exchanges/tur-barmm/").json()["facilitator"] == "ken-ict"
    assert "barmm-ken-ict" in listed(client, "/api/exchanges/")
    workshop = read(client, "/api/workshops/nairobi-visit/").json()
    assert workshop["organisers"] == ["ken-ict", "phl-barmm"]
    assert workshop["outcomes"][0]["members"] == ["ken-ict", "undp"]
    assert listed(client, "/api/outcomes/", field="members") == [["ken-ict", "undp"]]
    partners = read(client, "/api/members/phl-barmm/recommendations/").json()["partners"]
    assert partners[1]["solutions"] == ["ecitizen", "tur-portal"] and partners[1]["facilitators"] == ["ken-ict", "undp"]
    assert b"ken-ict" in read(client, "/api/members.csv").content
    assert b"ecitizen" in read(client, "/api/solutions.csv").content


@pytest.mark.parametrize("way", WAYS)
def test_a_hidden_member_shows_nowhere(client, world, way):
    hide(world["ken-ict"], way)
    shown = way == "draft"
    assert ("ken-ict" in listed(client, "/api/members/")) is shown
    assert read(client, "/api/members/ken-ict/").status_code == (200 if shown else 404)
    assert ("ken-ict" in listed(client, "/api/members/", country="KEN")) is shown
    adopters = {a["member"] for a in read(client, "/api/adoptions/").json()["results"]}
    assert adopters >= {"phl-barmm"}
    exchanges = listed(client, "/api/exchanges/")
    assert ("barmm-ken-ict" in exchanges) is shown and "tur-barmm" in exchanges
    assert (read(client, "/api/exchanges/tur-barmm/").json().get("facilitator") == "ken-ict") is shown
    assert ("barmm-ken-ict" in listed(client, "/api/exchanges/", member="ken-ict")) is shown
    workshop = read(client, "/api/workshops/nairobi-visit/").json()
    assert ("ken-ict" in workshop["organisers"]) is shown
    assert ("ken-ict" in workshop["outcomes"][0]["members"]) is shown
    assert ("ken-ict" in listed(client, "/api/outcomes/", field="members")[0]) is shown
    assert (listed(client, "/api/workshops/", member="ken-ict") == ["nairobi-visit"]) is shown
    partners = read(client, "/api/members/phl-barmm/recommendations/").json()["partners"]
    assert ("ken-ict" in partners[1]["facilitators"]) is shown
    assert (b"ken-ict" in read(client, "/api/members.csv").content) is shown
    assert (b"barmm-ken-ict" in read(client, "/api/exchanges.csv").content) is shown
    if shown:
        assert read(client, "/api/members/ken-ict/").json()["name"] == "Kenya ICT Authority"


@pytest.mark.parametrize("way", WAYS)
def test_a_hidden_solution_shows_nowhere(client, world, way):
    hide(world["ecitizen"], way)
    shown = way == "draft"
    assert ("ecitizen" in listed(client, "/api/solutions/")) is shown
    assert ("ecitizen" in listed(client, "/api/solutions/", country="KEN", maturity="pilot,scaled,national")) is shown
    assert read(client, "/api/solutions/ecitizen/").status_code == (200 if shown else 404)
    assert ("ecitizen" in listed(client, "/api/adoptions/", field="solution")) is shown
    assert read(client, "/api/adoptions/ecitizen/phl-barmm/").status_code == (200 if shown else 404)
    recommended = read(client, "/api/members/phl-barmm/recommendations/").json()
    assert ("ecitizen" in recommended["partners"][1]["solutions"]) is shown
    assert ("ecitizen" in [row["solution"] for row in recommended["solutions"]]) is shown
    assert (b"ecitizen" in read(client, "/api/solutions.csv").content) is shown
    assert (b"ecitizen" in read(client, "/api/adoptions.csv").content) is shown
    if shown:
        assert read(client, "/api/solutions/ecitizen/").json()["name"] == "eCitizen"


@pytest.mark.parametrize("way", ["unpublished", "login"])
def test_a_hidden_workshop_shows_nowhere(client, world, way):
    hide(WorkshopPage.objects.get(key="nairobi-visit"), way)
    assert listed(client, "/api/workshops/") == []
    assert read(client, "/api/workshops/nairobi-visit/").status_code == 404
    assert listed(client, "/api/outcomes/") == []


def test_a_workshop_never_shows_its_participants_or_its_online_link(client, world):
    text = read(client, "/api/workshops/nairobi-visit/").content.decode()
    assert "online_link" not in text and "meet.example.org" not in text
    assert "registrations" not in text and "@" not in text


@pytest.mark.parametrize("way", WAYS)
def test_a_hidden_members_needs_show_nowhere(client, world, way):
    hide(world["cod"], way)
    shown = way == "draft"
    assert ("cod-one-stop" in listed(client, "/api/needs/")) is shown
    assert (read(client, "/api/needs/", member="cod").json()["count"] == 1) is shown
    assert read(client, "/api/needs/cod-one-stop/").status_code == (200 if shown else 404)
    assert ("cod" in listed(client, "/api/exchanges/", field="learner")) is shown


@pytest.mark.parametrize("way", ["unpublished", "login", "groups"])
def test_a_hidden_digital_public_good_has_no_nominee(client, world, way):
    assert read(client, "/api/solutions/ekshop/dpg-nominee.json").status_code == 200
    hide(world["ekshop"], way)
    assert read(client, "/api/solutions/ekshop/dpg-nominee.json").status_code == 404
