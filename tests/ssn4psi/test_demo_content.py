"""The demo content (network/demo/catalogue.json): valid, and true to the seed documents."""

import datetime
import json
from pathlib import Path

import pytest

from network.catalogue.schema import validate

DEMO = Path(__file__).resolve().parents[2] / "network" / "demo" / "catalogue.json"


@pytest.fixture(scope="module")
def demo():
    return json.loads(DEMO.read_text(encoding="utf-8"))


def by_key(records):
    return {record["key"]: record for record in records}


def test_the_demo_file_is_valid(demo):
    assert validate(demo) == []


def test_required_members(demo):
    members = by_key(demo["members"])
    required = {
        "bgd",
        "bgd-a2i",
        "cod",
        "phl-barmm",
        "phl",
        "som",
        "jor",
        "tur",
        "yem",
        "sle",
        "nor",
        "undp",
        "unossc",
        "apcict-escap",
    }
    assert required <= set(members)
    webinar = {
        "ARM",
        "BGD",
        "BTN",
        "IDN",
        "KAZ",
        "KIR",
        "LAO",
        "MDV",
        "MNG",
        "PAK",
        "PLW",
        "PHL",
        "KOR",
        "LKA",
        "THA",
        "UZB",
    }
    governments = {m["country"] for m in members.values() if m["kind"] == "national_government"}
    assert webinar <= governments
    assert members["bgd-a2i"]["parent"] == "bgd"
    assert members["phl-barmm"]["subdivision"] == "PH-14"


def test_required_solutions_with_the_seeds_figures(demo):
    solutions = by_key(demo["solutions"])
    assert {
        "mygov",
        "ekshop",
        "nise",
        "sdg-tracker",
        "union-digital-centres",
        "village-courts",
        "open-government-data-platform",
    } <= set(solutions)
    figures = {key: {f["value"] for f in s.get("key_figures", [])} for key, s in solutions.items()}
    assert {"2,500+", "51,000"} <= figures["mygov"]
    assert "8,100+" in figures["union-digital-centres"]
    assert "77%" in figures["ekshop"]
    assert solutions["ekshop"]["launched"] == 2019 and solutions["nise"]["launched"] == 2021


def test_adoptions_and_exchanges_from_the_seeds(demo):
    solutions = by_key(demo["solutions"])
    adopters = {key: {(a["member"], a.get("year")) for a in s.get("adoptions", [])} for key, s in solutions.items()}
    assert {("tur", 2021), ("yem", 2022)} <= adopters["ekshop"]
    assert {("som", None), ("jor", None)} <= adopters["nise"]
    exchanges = by_key(demo["exchanges"])
    session = exchanges["cod-a2i-knowledge-session"]
    assert (session["provider"], session["learner"]) == ("bgd-a2i", "cod")
    assert set(session["solutions"]) == {"mygov", "sdg-tracker"}
    assert "date" not in session  # the seed gives June 13 without a year
    visit = exchanges["barmm-a2i-learning-visit"]
    assert set(visit["solutions"]) == {"mygov", "union-digital-centres", "village-courts"}


def test_needs_of_dr_congo_and_barmm(demo):
    members = by_key(demo["members"])
    assert members["cod"]["needs"] and members["phl-barmm"]["needs"]


def test_workshops_from_the_seeds(demo):
    workshops = by_key(demo["workshops"])
    assert demo["format"] == "ssn4psi-catalogue/2"
    congo = workshops["cod-a2i-knowledge-sharing-session"]
    assert "start" not in congo  # June 13, without a year
    assert congo["exchanges"] == ["cod-a2i-knowledge-session"] and congo["format"] == "virtual"
    visit = workshops["barmm-a2i-learning-visit"]
    assert "start" not in visit and visit["exchanges"] == ["barmm-a2i-learning-visit"]
    assert visit["outcomes"][0]["kind"] == "agreement_signed"
    assert set(visit["outcomes"][0]["members"]) == {"undp-bgd", "undp-phl"}
    dates = {key: (w.get("start"), w.get("end")) for key, w in workshops.items()}
    assert dates["dhaka-first-national-workshop-2017"] == ("2017-06-06", "2017-06-07")
    assert dates["dhaka-second-national-workshop-2018"] == ("2018-06-26", "2018-06-27")
    assert dates["dhaka-neet-policy-consultation-2019"] == ("2019-01-22", "2019-01-22")
    assert dates["digital-government-webinar-2021"] == ("2021-11-02", "2021-11-05")
    tracks = {s.get("track") for s in workshops["dhaka-second-national-workshop-2018"]["sessions"]} - {None}
    assert len(tracks) == 7
    # The seeds give no address for any material: none is made up.
    assert all("url" not in m for w in workshops.values() for m in w.get("materials", []))


@pytest.mark.django_db
def test_setup_site_demo_shows_the_network(site, demo, client, capsys, django_capture_on_commit_callbacks, eager_tasks):
    """What a fresh machine's `make run` shows: the seeds' network and the DPG registry, recommended partners with
    their reasons for DR Congo, BARMM and Sierra Leone, the seeded workshops (over), an upcoming session open for
    registration, an upcoming matchmaking workshop with its delegations and agenda. Loaded once."""
    from django.core.management import call_command

    from matchmaking.models import PartnerRecommendation
    from members.models import MemberPage
    from network.demo import MATCHMAKING_KEY, SESSION_KEY
    from solutions.models import SolutionPage
    from workshops.agenda_models import Meeting
    from workshops.models import RegistrationStatus, WorkshopPage

    # The recommendations are computed after the commit, in this process (eager_tasks: a worker would use its own
    # database, not the test's).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("setup_site", "--demo")
    members = MemberPage.objects.count()
    assert members > len(demo["members"]) + 300  # the registry's organisations
    assert SolutionPage.objects.get(key="mygov").member.key == "bgd-a2i"
    assert SolutionPage.objects.filter(dpg=True).count() > 150
    catalogue = client.get("/solutions/?dpg=yes")
    registry_titles = SolutionPage.objects.filter(dpg=True).exclude(key__in=[s["key"] for s in demo["solutions"]])
    shown = [title for title in registry_titles.values_list("title", flat=True) if title in catalogue.text]
    assert catalogue.status_code == 200 and len(shown) >= 10
    call_command("setup_site", "--demo")  # not empty any more: nothing is loaded again
    out = capsys.readouterr().out
    assert out.count("Demo content loaded.") == 1 and "Catalogue: http" in out
    assert MemberPage.objects.count() == members

    for key in ("cod", "phl-barmm", "sle"):
        assert PartnerRecommendation.objects.filter(learner__key=key).exists(), key
    congo = client.get(MemberPage.objects.get(key="cod").url).text
    assert "Recommended partners" in congo and '<ul class="reasons">' in congo

    pages = {page.key: page for page in WorkshopPage.objects.live()}
    assert set(pages) == {w["key"] for w in demo["workshops"]} | {SESSION_KEY, MATCHMAKING_KEY}
    index = client.get("/workshops/")
    assert index.status_code == 200
    for key, page in pages.items():
        assert page.url in index.text
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        if key in (SESSION_KEY, MATCHMAKING_KEY):
            assert page.registration_is_open() and page.start.date() > datetime.date.today()
        else:
            assert not page.registration_is_open()  # every seeded workshop is over, or undated
            assert "Registration is closed." in response.text
    session = client.get(pages[SESSION_KEY].url).text
    assert 'name="privacy_consent"' in session and "myGov: one portal" in session
    matchmaking = pages[MATCHMAKING_KEY]
    delegations = matchmaking.registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert sorted(delegations.values_list("member__key", flat=True)) == ["bgd-a2i", "cod", "jor", "phl-barmm", "som"]
    meetings = Meeting.objects.filter(workshop=matchmaking)
    assert meetings.count() == 4 and {m.learner.key for m in meetings} == {"cod", "phl-barmm", "som", "jor"}

    visit = client.get(pages["barmm-a2i-learning-visit"].url).text
    assert "Agreement signed" in visit and "UNDP Philippines" in visit
    assert "Date not recorded" in visit
    second = client.get(pages["dhaka-second-national-workshop-2018"].url).text
    assert "26 June 2018" in second and "27 June 2018" in second and "00:00" not in second
    assert "Group 4: NEET Population (SDG 8.6.1)" in second and "no copy online yet" in second
    member = client.get(pages["barmm-a2i-learning-visit"].organisers.get(key="undp-phl").url).text
    assert "Workshops: materials and outcomes" in member and "signed an agreement" in member
