"""The catalogue format's records as pydantic models (network/catalogue/records.py): the JSON Schema published in
docs/catalogue.schema.json, which the demo file follows and bad documents fail as validate() refuses them; the
problems named in the format's order; the exporter's records."""

import copy
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from network.catalogue import FORMAT, records
from network.catalogue.schema import validate
from workshops.models import WorkshopFormat, WorkshopKind
from workshops.records import MaterialKind, OutcomeKind

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "catalogue.schema.json"
DEMO = ROOT / "network" / "demo" / "catalogue.json"

WORKSHOP = {
    "key": "dhaka-2018",
    "title": "Second National Workshop, Dhaka",
    "kind": "national_workshop",
    "format": "in_person",
    "start": "2018-06-26",
    "end": "2018-06-27",
    "time_zone": "Asia/Dhaka",
    "organisers": ["bgd-a2i"],
    "sessions": [{"title": "Opening", "start": "2018-06-26T09:00", "end": "2018-06-26T10:30"}],
    "materials": [{"kind": "report", "title": "Workshop report", "language": "en", "date": "2018-06-28"}],
    "outcomes": [{"kind": "agreement_signed", "text": "An agreement was signed.", "members": ["undp"]}],
}


@pytest.fixture(scope="module")
def json_schema():
    return records.document_json_schema()


@pytest.fixture
def document(small_world_document):
    """The small world with one workshop: valid."""
    return small_world_document | {"workshops": [copy.deepcopy(WORKSHOP)]}


def schema_errors(json_schema, document):
    return [error.message for error in Draft202012Validator(json_schema).iter_errors(document)]


def test_the_committed_schema_is_the_generated_one():
    output = io.StringIO()
    call_command("catalogue_schema", stdout=output)

    assert SCHEMA_FILE.read_text(encoding="utf-8") == output.getvalue(), (
        "docs/catalogue.schema.json is out of date: run `python manage.py catalogue_schema > "
        "docs/catalogue.schema.json`"
    )


def test_the_schema_is_a_draft_2020_12_schema_of_the_current_format(json_schema):
    Draft202012Validator.check_schema(json_schema)

    assert json_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert json_schema["$id"] == "https://ssn4psi.org/schemas/ssn4psi-catalogue-2.schema.json"
    assert json_schema["properties"]["format"]["const"] == FORMAT
    assert set(json_schema["properties"]) == {"format", "members", "solutions", "exchanges", "workshops"}


def test_every_field_is_described(json_schema):
    for name, definition in json_schema["$defs"].items():
        if definition.get("type") != "object":
            continue
        assert definition["additionalProperties"] is False, name
        undescribed = [field for field, spec in definition["properties"].items() if not spec.get("description")]
        assert not undescribed, f"{name}: {undescribed}"


def test_the_vocabularies_are_the_sites(json_schema):
    definitions = json_schema["$defs"]

    assert definitions["WorkshopKind"]["enum"] == list(WorkshopKind.values)
    assert definitions["WorkshopFormat"]["enum"] == list(WorkshopFormat.values)
    assert definitions["MaterialKind"]["enum"] == list(MaterialKind.values)
    assert definitions["OutcomeKind"]["enum"] == list(OutcomeKind.values)
    assert definitions["MemberKind"]["enum"][0] == "national_government"
    assert {"e-services", "innovation-capacity"} <= set(definitions["Theme"]["enum"])
    assert {"16", "16.6", "5.b"} <= set(definitions["SdgCode"]["enum"]) and "16.99" not in definitions["SdgCode"][
        "enum"
    ]
    assert {"bn", "fil"} <= set(definitions["Language"]["enum"]) and "fra" not in definitions["Language"]["enum"]
    assert "BGD" in definitions["Country"]["enum"]


def test_the_demo_file_follows_the_schema(json_schema):
    demo = json.loads(DEMO.read_text(encoding="utf-8"))

    assert schema_errors(json_schema, demo) == []
    assert validate(demo) == []


def test_a_valid_document_passes_both(json_schema, document):
    assert schema_errors(json_schema, document) == []
    assert validate(document) == []


def _set(*path, value):
    def change(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _pop(*path):
    def change(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set("meetings", value=[]), "document: meetings: unknown field"),
        (_set("members", 0, "nmae", value="x"), "members[0] 'bgd': nmae: unknown field"),
        (
            _set("workshops", 0, "materials", 0, "author", value="x"),
            "workshops[0] 'dhaka-2018' materials[0]: author: unknown field",
        ),
        (_set("members", 0, "key", value="Bad Key"), "members[0] 'Bad Key': key: must be lowercase letters"),
        (_set("exchanges", 0, "solutions", value=["myGov"]), "exchanges[0] 'cod-a2i': solutions: 'myGov': must be"),
        (_set("members", 0, "kind", value="kingdom"), "members[0] 'bgd': kind: 'kingdom' is not one of"),
        (_set("workshops", 0, "kind", value="party"), "workshops[0] 'dhaka-2018': kind: 'party' is not one of"),
        (
            _set("workshops", 0, "outcomes", 0, "kind", value="party"),
            "workshops[0] 'dhaka-2018' outcomes[0]: kind: 'party' is not one of",
        ),
        (
            _set("members", 2, "needs", 0, "themes", value=["space"]),
            "members[2] 'cod' needs[0] 'cod-one-stop': themes: 'space'",
        ),
        (_set("solutions", 0, "sdg_targets", value=["16.99"]), "solutions[0] 'mygov': sdg_targets: '16.99'"),
        (_set("members", 0, "country", value="XXX"), "members[0] 'bgd': country: 'XXX' is not an ISO 3166-1"),
        (_set("members", 0, "languages", value=["fra"]), "members[0] 'bgd': languages: 'fra': is not one of"),
        (_set("members", 0, "languages", value=["bn", "bn"]), "members[0] 'bgd': languages: lists a value twice"),
        (_set("members", 0, "website", value="ftp://x.org"), "members[0] 'bgd': website: 'ftp://x.org' is not"),
        (_set("exchanges", 0, "date", value="13 June"), "exchanges[0] 'cod-a2i': date: '13 June' is not a date"),
        (
            _set("workshops", 0, "sessions", 0, "start", value="2018-06-26"),
            "workshops[0] 'dhaka-2018' sessions[0]: start: '2018-06-26' needs a time too",
        ),
        (_set("solutions", 0, "launched", value="2019"), "solutions[0] 'mygov': launched: must be a year"),
        (_set("workshops", 0, "capacity", value=0), "workshops[0] 'dhaka-2018': capacity: must be a whole number"),
        (_set("members", 0, "name", value=" "), "members[0] 'bgd': name: must not be empty"),
        (_set("members", 0, "summary", value="x" * 2001), "members[0] 'bgd': summary: must be at most 2000"),
        (_set("solutions", 0, "key_figures", value=[{"value": "1"}]), "solutions[0] 'mygov': key_figures: {'value'"),
        (_pop("members", 0, "name"), "members[0] 'bgd': name: is required"),
        (_pop("workshops", 0, "format"), "workshops[0] 'dhaka-2018': format: is required"),
        (_pop("solutions", 0, "adoptions", 0, "member"), "solutions[0] 'mygov' adoptions[0]: member: is required"),
        (_pop("format"), "document: format: must be"),
    ],
)
def test_a_bad_document_fails_both(json_schema, document, change, problem):
    change(document)

    assert schema_errors(json_schema, document)
    problems = [str(p) for p in validate(document)]
    assert any(p.startswith(problem) for p in problems), problems


def test_a_records_problems_come_in_the_formats_order(document):
    """Unknown fields first, in the record's order; then the fields in the format's order; then the nested
    records, one after the other."""
    member = document["members"][2]  # DR Congo, with a need
    member.update(zz=1, country="XX", kind="kingdom", aa=2)
    del member["name"]
    member["needs"][0].update(priority="urgent", extra=True)
    member["needs"].append("a need")

    assert [str(p) for p in validate({"format": FORMAT, "members": [member]})] == [
        "members[0] 'cod': zz: unknown field",
        "members[0] 'cod': aa: unknown field",
        "members[0] 'cod': name: is required",
        "members[0] 'cod': kind: 'kingdom' is not one of: academia, civil_society, government_agency, "
        "international_organisation, national_government, private_sector, subnational_government",
        "members[0] 'cod': country: 'XX' is not an ISO 3166-1 alpha-3 country code",
        "members[0] 'cod' needs[0] 'cod-one-stop': extra: unknown field",
        "members[0] 'cod' needs[0] 'cod-one-stop': priority: 'urgent' is not one of: high, low, medium",
        "members[0] 'cod' needs[1]: must be an object",
    ]


def test_a_workshops_own_fields_come_before_its_sessions(document):
    workshop = document["workshops"][0]
    workshop["sessions"][0]["capacity"] = -1
    workshop["requires_approval"] = "yes"

    assert [str(p) for p in validate(document)] == [
        "workshops[0] 'dhaka-2018': requires_approval: must be true or false",
        "workshops[0] 'dhaka-2018' sessions[0]: capacity: must be a whole number of places, 1 or more",
    ]


@pytest.mark.parametrize("value", [["a", "b"], {"a": 1}])
def test_a_theme_that_is_no_text_is_a_problem(document, value):
    document["solutions"][0]["themes"] = [value]

    (problem,) = validate(document)
    assert str(problem).startswith(f"solutions[0] 'mygov': themes: {value!r}: is not a theme")


def test_the_models_are_importable_before_djangos_apps_are_ready():
    """Reading the format needs no app registry: the workshops app's vocabularies are read when first used."""
    code = "import network.catalogue.schema, network.catalogue.records; print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env={"PATH": ""}, check=False
    )
    assert result.stdout == "ok\n", result.stderr


def test_a_record_is_built_with_its_fields_only():
    need = records.Need.of(key="cod-one-stop", title="One-stop access", description="", themes=[], priority="high")

    assert need.as_data() == {"key": "cod-one-stop", "title": "One-stop access", "priority": "high"}
    with pytest.raises(TypeError, match="Need has no field tilte"):
        records.Need.of(key="cod-one-stop", tilte="One-stop access")


def test_the_exporters_records_follow_the_schema(site, json_schema, document):
    from network.catalogue.exporter import export_catalogue
    from network.catalogue.importer import import_catalogue

    import_catalogue(document)

    exported = export_catalogue()
    assert schema_errors(json_schema, exported) == []
    assert exported["workshops"][0]["sessions"] == [
        {"title": "Opening", "start": "2018-06-26T09:00:00+06:00", "end": "2018-06-26T10:30:00+06:00"}
    ]
