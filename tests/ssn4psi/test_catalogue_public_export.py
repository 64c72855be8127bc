"""export_catalogue(public=True): only what an anonymous visitor may see (live and public pages, their published
fields, exchanges between two of those members, no workshop's online link), with the references to what is left
out dropped, so that the file imports into an empty database and exports back the same."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

from members.models import MemberPage
from network.catalogue import FORMAT
from network.catalogue.exporter import export_catalogue
from network.catalogue.importer import import_catalogue
from solutions.models import SolutionPage
from tests import visibility
from tests.conftest import SMALL_WORLD
from workshops.models import WorkshopPage

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Draft title nobody may see"
ONLINE_LINK = "https://meet.example.org/a2i-secret-room"


def world_document():
    """The small world, Kenya > its ICT Authority (eCitizen), Türkiye's e-Devlet, a cloud owned by Bangladesh,
    adoptions and exchanges reaching the hidden members, and three workshops."""
    document = copy.deepcopy(SMALL_WORLD) | {"workshops": []}
    document["members"] += copy.deepcopy(visibility.KENYA["members"])
    document["members"][-2]["needs"] = [{"key": "ken-payments", "title": "Digital payments for counties"}]
    document["solutions"] += copy.deepcopy(visibility.KENYA["solutions"])
    document["solutions"].append({"key": "bgd-cloud", "name": "Bangladesh Cloud", "owner": "bgd"})
    mygov, ekshop = document["solutions"][:2]
    mygov["adoptions"].append({"member": "undp", "status": "piloting"})
    ekshop["adoptions"].append({"member": "ken-ict", "year": 2023, "status": "exploring"})
    document["exchanges"] += [
        {
            "key": "tur-barmm",
            "provider": "tur",
            "learner": "phl-barmm",
            "facilitator": "ken-ict",
            "solutions": ["tur-portal", "ecitizen", "mygov"],
            "status": "agreed",
        },
        {"key": "a2i-ken", "provider": "bgd-a2i", "learner": "ken", "status": "proposed"},
    ]
    document["workshops"] = [
        {
            "key": "open-workshop",
            "title": "Open workshop",
            "kind": "knowledge_sharing",
            "format": "hybrid",
            "start": "2024-03-05T09:00",
            "end": "2024-03-05T12:00",
            "time_zone": "Asia/Dhaka",
            "online_link": ONLINE_LINK,
            "organisers": ["bgd-a2i", "undp"],
            "exchanges": ["cod-a2i", "a2i-ken"],
            "sessions": [{"title": "Opening", "start": "2024-03-05T09:00", "end": "2024-03-05T09:30"}],
            "materials": [{"kind": "report", "title": "Report", "url": "https://example.org/report.pdf"}],
            "outcomes": [
                {"kind": "follow_up_exchange", "text": "Kenya will visit.", "exchange": "a2i-ken"},
                {"kind": "other", "text": "Türkiye and the agency met.", "members": ["tur", "undp"]},
            ],
        },
        {"key": "insiders-workshop", "title": "Insiders' workshop", "kind": "webinar", "format": "virtual"},
        {"key": "unpublished-workshop", "title": "Unpublished workshop", "kind": "webinar", "format": "virtual"},
    ]
    return document


def build_world():
    """Import world_document() and hide some of it in every way a page can be hidden, and change some of it in
    drafts only."""
    import_catalogue(world_document())
    pages = {page.key: page for model in (MemberPage, SolutionPage, WorkshopPage) for page in model.objects.all()}
    visibility.hide(pages["bgd"], "unpublished")  # a2i, under it, stays live: its export names no parent
    visibility.hide(pages["ken-ict"], "restricted parent")  # Kenya, its ICT Authority and eCitizen
    visibility.hide(pages["undp"], "groups")
    visibility.hide(pages["tur-portal"], "unpublished")
    visibility.hide(pages["insiders-workshop"], "login")
    visibility.hide(pages["unpublished-workshop"], "unpublished")
    visibility.draft_change(pages["bgd-a2i"], DRAFT_TITLE)
    visibility.draft_change(pages["open-workshop"], DRAFT_TITLE)


def keys(records):
    return [record["key"] for record in records]


def test_the_public_export_holds_only_what_visitors_see(site, django_assert_max_num_queries):
    build_world()

    with django_assert_max_num_queries(23):
        exported = export_catalogue(public=True)

    assert keys(exported["members"]) == ["bgd-a2i", "cod", "phl-barmm", "tur"]
    assert keys(exported["solutions"]) == ["mygov", "ekshop"]  # bgd-cloud: live, but its owner is not
    assert keys(exported["exchanges"]) == ["cod-a2i", "tur-barmm"]
    assert keys(exported["workshops"]) == ["open-workshop"]
    members = {record["key"]: record for record in exported["members"]}
    assert members["bgd-a2i"]["name"] == "Aspire to Innovate (a2i)" and "parent" not in members["bgd-a2i"]
    assert [need["key"] for need in members["cod"]["needs"]] == ["cod-one-stop"]
    mygov, ekshop = exported["solutions"]
    assert mygov["adoptions"] == [{"member": "phl-barmm", "status": "exploring"}]
    assert ekshop["adoptions"] == [{"member": "tur", "year": 2021, "status": "adopted"}]
    cod_a2i, tur_barmm = exported["exchanges"]
    assert "facilitator" not in cod_a2i and cod_a2i["solutions"] == ["mygov"]
    assert "facilitator" not in tur_barmm and tur_barmm["solutions"] == ["mygov"]
    (workshop,) = exported["workshops"]
    assert workshop["title"] == "Open workshop" and "online_link" not in workshop
    assert workshop["organisers"] == ["bgd-a2i"] and workshop["exchanges"] == ["cod-a2i"]
    assert workshop["outcomes"] == [
        {"kind": "follow_up_exchange", "text": "Kenya will visit."},
        {"kind": "other", "text": "Türkiye and the agency met.", "members": ["tur"]},
    ]
    text = json.dumps(exported, ensure_ascii=False)
    for hidden in (DRAFT_TITLE, ONLINE_LINK, "Kenya ICT", "UNDP", "ken-payments", "e-Devlet", "Insiders"):
        assert hidden not in text


def test_the_full_export_still_holds_everything(site):
    build_world()

    exported = export_catalogue()

    assert len(exported["members"]) == 8 and len(exported["solutions"]) == 5
    assert keys(exported["exchanges"]) == ["a2i-ken", "cod-a2i", "tur-barmm"]
    assert len(exported["workshops"]) == 3 and exported["workshops"][0]["online_link"] == ONLINE_LINK


def test_the_public_export_imports_into_an_empty_database_and_back(site):
    with transaction.atomic():
        build_world()
        exported = export_catalogue(public=True)
        transaction.set_rollback(True)  # back to a site without content
    assert not MemberPage.objects.exists() and not WorkshopPage.objects.exists()

    summary = import_catalogue(exported)

    assert summary.counts["members"]["created"] == 4 and summary.counts["workshops"]["created"] == 1
    assert export_catalogue(public=True) == exported
    assert export_catalogue() == exported  # everything imported is live and public


def test_the_command_writes_the_public_export(site):
    build_world()
    output = io.StringIO()

    call_command("export_catalogue", "--public", stdout=output)

    exported = json.loads(output.getvalue())
    assert exported["format"] == FORMAT and exported == export_catalogue(public=True)
