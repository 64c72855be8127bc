"""import_dpg: the Digital Public Goods registry as solutions, owners and adoptions."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import MemberPage
from network.dpg import convert, country_code, country_from_website, guess_kind, read_registry, summary_of
from network.services import import_dpg
from solutions.models import Adoption, SolutionPage

NOMINEES = {
    "dhis2": {
        "name": "DHIS2",
        "description": "DHIS2 is an open source health management information system. It is used in many countries.",
        "website": "https://www.dhis2.org/",
        "license": [{"spdx": "BSD-3-Clause", "licenseURL": "https://github.com/dhis2/dhis2-core/blob/master/LICENSE"}],
        "SDGs": [{"SDGNumber": 3, "evidenceText": "health"}, {"SDGNumber": 17, "evidenceText": "data"}],
        "repositories": [{"name": "main", "url": "https://github.com/dhis2/dhis2-core"}],
        "organizations": [
            {"name": "HISP, University of Oslo", "website": "https://www.mn.uio.no/", "org_type": "owner"},
            {"name": "Norad", "website": "https://norad.no", "org_type": "funder"},
        ],
        "stage": "DPG",
    },
    "ekshop": {
        "name": "ekShop",
        "description": "ekShop is a fully open-source eCommerce platform.",
        "website": "https://ekshop.gov.bd/",
        "license": [{"spdx": "Apache-2.0"}],
        "SDGs": [{"SDGNumber": 5}, {"SDGNumber": 9}],
        "repositories": [{"name": "main", "url": "https://github.com/a2i-dpg/ekShop"}],
        "organizations": [{"name": "Aspire to Innovate (a2i)", "website": "https://a2i.gov.bd/", "org_type": "owner"}],
        "stage": "DPG",
    },
    "tiny-tool": {
        "name": "Tiny Tool",
        "description": "A nominee whose owner is located by another product.",
        "license": [{"spdx": "MIT"}],
        "SDGs": [{"SDGNumber": 4}],
        "repositories": [{"name": "main", "url": "not a url"}],
        "organizations": [{"name": "HISP, University of Oslo", "org_type": "owner"}],
        "stage": "nominee",
    },
    "lost-tool": {
        "name": "Lost Tool",
        "description": "Nobody knows where its owner is.",
        "organizations": [{"name": "Nowhere Labs", "website": "https://nowhere.example.com", "org_type": "owner"}],
        "stage": "nominee",
    },
}
SCREENINGS = {
    "dhis2": {
        "name": "DHIS2",
        "locations": {
            "developmentCountries": ["Norway"],
            "deploymentCountries": ["Democratic Republic of the Congo", "Bangladesh", "Kosovo", "Bangladesh", "Laos"],
        },
    },
    "ekshop": {"name": "ekShop", "locations": {"deploymentCountries": ["Turkey", "Congo (Congo-Brazzaville)"]}},
}


@pytest.fixture
def registry(tmp_path):
    for folder, entries in (("nominees", NOMINEES), ("digitalpublicgoods", SCREENINGS)):
        (tmp_path / folder).mkdir()
        for key, entry in entries.items():
            (tmp_path / folder / f"{key}.json").write_text(json.dumps(entry), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bangladesh", "BGD"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo (Congo-Brazzaville)", "COG"),
        ("Palestine State", "PSE"),
        ("Turkey", "TUR"),
        ("Laos", "LAO"),
        ("Côte d'Ivoire", "CIV"),
        ("Kosovo", None),
        ("", None),
        ("Atlantis", None),
    ],
)
def test_country_names_are_mapped(name, code):
    assert country_code(name) == code


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("COD", "the Democratic Republic of the Congo"),
        ("KOR", "South Korea"),
        ("FSM", "Federated States of Micronesia"),
        ("BOL", "Bolivia"),
        ("TWN", "Taiwan"),
        ("BGD", "Bangladesh"),
        ("XXX", "XXX"),
    ],
)
def test_country_names_read_naturally(code, name):
    from members.models import country_name

    assert country_name(code) == name


def test_helpers():
    assert country_from_website("https://www.mn.uio.no/ifi/") == "NOR"
    assert country_from_website("https://example.ac.uk") == "GBR"
    assert country_from_website("https://dhis2.org/") is None
    assert guess_kind("University of Oslo") == "academia"
    assert guess_kind("UNICEF Innovation") == "international_organisation"
    assert guess_kind("Ministry of Health") == "government_agency"
    assert guess_kind("Open Knowledge Foundation") == "civil_society"
    assert guess_kind("Dimagi Inc.") == "private_sector"
    assert summary_of("One. " + "x" * 400).startswith("One.")
    assert len(summary_of("word " * 200)) <= 300


def test_conversion_is_pure_and_reports_what_it_cannot_use(registry):
    conversion = convert(read_registry(registry))
    solutions = {s["key"]: s for s in conversion.document["solutions"]}

    dhis2 = solutions["dhis2"]
    assert dhis2["name"] == "DHIS2" and dhis2["dpg"] is True
    assert dhis2["sdg_targets"] == ["3", "17"]
    assert dhis2["licence"] == "BSD-3-Clause" and dhis2["repository"] == "https://github.com/dhis2/dhis2-core"
    assert dhis2["maturity"] == "replicated"
    assert [a["member"] for a in dhis2["adoptions"]] == ["cod", "bgd", "lao"]  # de-duplicated, in order
    assert solutions["tiny-tool"]["owner"] == dhis2["owner"]  # located through the other product
    assert "repository" not in solutions["tiny-tool"] and solutions["tiny-tool"]["dpg"] is False
    assert conversion.unmapped_countries == {"Kosovo": ["dhis2"]}
    assert ("lost-tool", "no country is known for its owner 'Nowhere Labs'") in conversion.skipped
    members = {m["key"]: m for m in conversion.document["members"]}
    assert members[dhis2["owner"]]["country"] == "NOR" and members[dhis2["owner"]]["kind"] == "academia"
    assert members["cod"]["name"] == "Government of the Democratic Republic of the Congo"
    assert members["lao"]["name"] == "Government of Laos"


@pytest.mark.django_db
def test_import_creates_solutions_owners_and_adoptions(site, registry):
    report = import_dpg(registry)

    assert report.summary.counts["solutions"]["created"] == 3
    dhis2 = SolutionPage.objects.get(key="dhis2")
    assert dhis2.member.title == "HISP, University of Oslo" and dhis2.member.country == "NOR"
    assert dhis2.goal_index == ",3,17,"
    assert sorted(Adoption.objects.filter(solution=dhis2).values_list("member__key", flat=True)) == [
        "bgd",
        "cod",
        "lao",
    ]
    assert MemberPage.objects.get(key="bgd").kind == "national_government"
    assert any("Kosovo" in line for line in report.lines())


@pytest.mark.django_db
def test_running_it_twice_changes_nothing(site, registry):
    import_dpg(registry)
    second = import_dpg(registry)
    assert not second.summary.changed


@pytest.mark.django_db
def test_existing_solutions_are_enriched_not_overwritten(small_world, registry):
    before = SolutionPage.objects.get(key="ekshop")

    import_dpg(registry)

    ekshop = SolutionPage.objects.get(key="ekshop")
    assert ekshop.summary == before.summary == "Assisted rural e-commerce."
    assert ekshop.member.key == "bgd-a2i"
    assert ekshop.goal_index == before.goal_index  # it had tags already
    adopters = sorted(Adoption.objects.filter(solution=ekshop).values_list("member__key", "year"))
    assert adopters == [("cog", None), ("tur", 2021)]
    # the owner organisation was matched by name, not created again
    assert MemberPage.objects.filter(title="Aspire to Innovate (a2i)").count() == 1


@pytest.mark.django_db
def test_a_broken_file_is_reported_and_the_rest_imported(site, registry):
    (registry / "nominees" / "broken.json").write_text("{not json", encoding="utf-8")
    (registry / "nominees" / "nameless.json").write_text("{}", encoding="utf-8")

    report = import_dpg(registry)

    assert SolutionPage.objects.filter(key="dhis2").exists()
    assert any("broken.json: cannot be read" in line for line in report.lines())
    assert any("nameless.json: has no name" in line for line in report.lines())


@pytest.mark.django_db
def test_the_command(site, registry, capsys, tmp_path):
    call_command("import_dpg", str(registry))
    out = capsys.readouterr().out
    assert "solutions: 3 created" in out and "country not mapped: 'Kosovo' (in dhis2)" in out

    with pytest.raises(CommandError, match="holds neither"):
        call_command("import_dpg", str(tmp_path / "missing"))
