"""What the importer refuses before it writes anything: a key given twice in one object (JSON or YAML), a member
placed under one of its own descendants through the members already in the database, nesting deeper than the
format, a file over the size limit, text over its length limit. Each named, through the command, with nothing
written."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import MemberPage
from network.catalogue import importer
from network.catalogue.importer import CatalogueError, import_catalogue, load_document
from network.catalogue.schema import LONG_TEXT_MAX, SUMMARY_MAX

pytestmark = pytest.mark.django_db

NORWAY = '{"key": "nor", "name": "Government of Norway", "kind": "national_government", "country": "NOR"}'


def refused(tmp_path, name, text, capsys):
    """Import `text` as file `name` through the command: the error output; asserts nothing was written."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    members = MemberPage.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalogue", str(path))
    assert MemberPage.objects.count() == members
    return capsys.readouterr().err


def test_a_key_twice_in_one_json_object(site, tmp_path, capsys):
    text = '{"format": "ssn4psi-catalogue/2", "members": [' + NORWAY[:-1] + ', "name": "Kingdom of Norway"}]}'
    assert json.loads(text)["members"][0]["name"] == "Kingdom of Norway"  # what a plain parser would keep
    err = refused(tmp_path, "twice.json", text, capsys)
    assert "the key 'name' appears twice in one object" in err


def test_a_key_twice_in_one_yaml_mapping(site, tmp_path, capsys):
    text = (
        "format: ssn4psi-catalogue/2\n"
        "members:\n"
        "  - key: nor\n"
        "    name: Government of Norway\n"
        "    kind: national_government\n"
        "    country: NOR\n"
        "    country: SWE\n"
    )
    err = refused(tmp_path, "twice.yaml", text, capsys)
    assert "the key 'country' appears twice in one object (line 7)" in err


def test_a_cycle_through_the_members_in_the_database(site, small_world_document, capsys):
    import_catalogue(small_world_document)  # Bangladesh > a2i in the database
    bangladesh = next(record for record in small_world_document["members"] if record["key"] == "bgd")
    document = {"format": "ssn4psi-catalogue/2", "members": [{**bangladesh, "parent": "bgd-a2i"}]}
    with pytest.raises(CatalogueError) as error:
        import_catalogue(document)
    assert [str(problem) for problem in error.value.problems] == [
        "members 'bgd': parent: makes a cycle: bgd > bgd-a2i > bgd"
    ]
    assert MemberPage.objects.get(key="bgd-a2i").get_parent().specific.key == "bgd"  # unchanged


def test_a_move_that_is_no_cycle_is_allowed(site, small_world_document):
    import_catalogue(small_world_document)
    barmm = next(record for record in small_world_document["members"] if record["key"] == "phl-barmm")
    import_catalogue({"format": "ssn4psi-catalogue/2", "members": [{**barmm, "parent": "bgd-a2i"}]})
    assert MemberPage.objects.get(key="phl-barmm").get_parent().specific.key == "bgd-a2i"


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_nesting_deeper_than_the_format(site, tmp_path, capsys, suffix):
    deep = "[" * 100_000 + "]" * 100_000  # a parser's recursion would end in a traceback
    text = '{"format": "ssn4psi-catalogue/2", "members": ' + deep + "}"
    err = refused(tmp_path, f"deep.{suffix}", text, capsys)
    assert f"nests deeper than the format does (at most {importer.MAX_DEPTH})" in err


def test_nesting_a_little_too_deep_is_named_too(site, tmp_path, capsys):
    text = '{"format": "ssn4psi-catalogue/2", "members": [[[[[[[[["x"]]]]]]]]]}'
    err = refused(tmp_path, "nine.json", text, capsys)
    assert "nests deeper than the format does" in err


def test_a_file_over_the_size_limit_is_not_read(site, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1000)
    text = '{"format": "ssn4psi-catalogue/2", "members": [' + ", ".join([NORWAY] * 20) + "]}"
    err = refused(tmp_path, "big.json", text, capsys)
    assert "a catalogue file may be at most 1000\xa0bytes (split it into several files)" in err


def test_the_size_limit_is_documented_and_the_demo_is_far_under_it():
    from network.demo import DEMO_CATALOGUE

    assert importer.MAX_FILE_BYTES == 20 * 1024 * 1024
    assert load_document(DEMO_CATALOGUE)["format"].startswith("ssn4psi-catalogue/")


def test_text_over_its_length_limit(site, tmp_path, capsys):
    norway = json.loads(NORWAY)
    long_summary = {**norway, "summary": "x" * (SUMMARY_MAX + 1)}
    long_description = {**norway, "key": "swe", "country": "SWE", "description": "y" * (LONG_TEXT_MAX + 1)}
    text = json.dumps({"format": "ssn4psi-catalogue/2", "members": [long_summary, long_description]})
    err = refused(tmp_path, "long.json", text, capsys)
    assert f"members[0] 'nor': summary: must be at most {SUMMARY_MAX} characters" in err
    assert f"members[1] 'swe': description: must be at most {LONG_TEXT_MAX} characters" in err
