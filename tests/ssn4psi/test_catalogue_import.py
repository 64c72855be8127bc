"""import_catalogue / export_catalogue: valid files, every kind of bad input, idempotency, atomicity."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from matchmaking.models import Exchange
from members.models import MemberPage, Need
from network.catalogue.exporter import export_catalogue
from network.catalogue.importer import CatalogueError, import_catalogue
from solutions.models import Adoption, SolutionPage
from ssn4psi.vocabulary import ExchangeStatus as S

pytestmark = pytest.mark.django_db


def test_valid_file_creates_the_tree_and_reports(site, small_world_document):
    summary = import_catalogue(small_world_document)

    assert summary.counts["members"]["created"] == 6
    assert summary.counts["solutions"]["created"] == 2
    assert summary.counts["needs"]["created"] == 1
    assert summary.counts["exchanges"]["created"] == 1
    a2i = MemberPage.objects.get(key="bgd-a2i")
    assert a2i.get_parent().specific.key == "bgd"
    assert a2i.region == "asia" and a2i.subregion == "southern-asia"
    assert "<strong>digital</strong>" in a2i.description
    mygov = SolutionPage.objects.get(key="mygov")
    assert mygov.get_parent().pk == a2i.pk and mygov.member == a2i
    assert mygov.goal_index == ",16,"
    assert [t.code for t in mygov.sdg_targets.all()] == ["16.6"]
    assert [f.value for f in mygov.key_figures.all()] == ["2,500+"]
    ekshop = SolutionPage.objects.get(key="ekshop")
    assert ekshop.goal_index == ",5,8,17,"
    assert [g.number for g in ekshop.sdg_goals.all()] == [17]
    assert Adoption.objects.get(solution=ekshop).member.key == "tur"
    need = Need.objects.get(key="cod-one-stop")
    assert need.member.key == "cod" and need.modalities == ["virtual_session"]
    assert [t.code for t in need.sdg_targets.all()] == ["16.6"]
    exchange = Exchange.objects.get(key="cod-a2i")
    assert (exchange.provider.key, exchange.learner.key, exchange.facilitator.key) == ("bgd-a2i", "cod", "undp")
    assert [s.key for s in exchange.solutions.all()] == ["mygov"]
    assert MemberPage.objects.get(key="bgd").live


def test_importing_twice_changes_nothing(site, small_world_document):
    import_catalogue(small_world_document)
    revisions = Revision.objects.count()
    snapshot = export_catalogue()

    summary = import_catalogue(small_world_document)

    assert not summary.changed
    assert summary.counts["members"]["unchanged"] == 6
    assert summary.counts["solutions"]["unchanged"] == 2
    assert summary.counts["needs"]["unchanged"] == 1
    assert summary.counts["exchanges"]["unchanged"] == 1
    assert Revision.objects.count() == revisions
    assert export_catalogue() == snapshot


def test_a_changed_record_is_updated_and_only_it(site, small_world_document):
    import_catalogue(small_world_document)
    small_world_document["solutions"][0]["summary"] = "Now with 2,600 services."
    small_world_document["solutions"][0]["adoptions"].append({"member": "cod", "status": "exploring"})

    summary = import_catalogue(small_world_document)

    assert summary.counts["solutions"]["updated"] == 1
    assert summary.counts["solutions"]["unchanged"] == 1
    assert summary.counts["members"]["unchanged"] == 6
    mygov = SolutionPage.objects.get(key="mygov")
    assert mygov.summary == "Now with 2,600 services."
    assert sorted(a.member.key for a in mygov.adoptions.all()) == ["cod", "phl-barmm"]


def test_a_new_owner_moves_the_solution(site, small_world_document):
    import_catalogue(small_world_document)
    small_world_document["solutions"][0]["owner"] = "bgd"

    import_catalogue(small_world_document)

    mygov = SolutionPage.objects.get(key="mygov")
    assert mygov.get_parent().specific.key == "bgd" and mygov.member.key == "bgd"


def test_a_file_with_one_error_writes_nothing(site, small_world_document):
    small_world_document["solutions"][1]["maturity"] = "legendary"

    with pytest.raises(CatalogueError):
        import_catalogue(small_world_document)

    assert not MemberPage.objects.exists()
    assert not SolutionPage.objects.exists()
    assert not Exchange.objects.exists()


def test_a_reference_error_found_late_writes_nothing(site, small_world_document):
    small_world_document["exchanges"][0]["solutions"] = ["mygov", "no-such-solution"]

    with pytest.raises(CatalogueError) as raised:
        import_catalogue(small_world_document)

    assert [str(p) for p in raised.value.problems] == [
        "exchanges[0] 'cod-a2i': solutions: no solution has the key 'no-such-solution'"
    ]
    assert not MemberPage.objects.exists()


def _problems(document):
    with pytest.raises(CatalogueError) as raised:
        import_catalogue(document)
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(format="other/2"), "document: format: must be 'ssn4psi-catalogue/2'"),
        (
            lambda d: d.update(format="ssn4psi-catalogue/1", workshops=[]),
            "document: workshops: is not part of ssn4psi-catalogue/1",
        ),
        (lambda d: d.update(meetings=[]), "document: meetings: unknown field"),
        (lambda d: d["members"][0].update(nmae="x"), "members[0] 'bgd': nmae: unknown field"),
        (lambda d: d["members"][0].pop("kind"), "members[0] 'bgd': kind: is required"),
        (lambda d: d["members"][0].pop("name"), "members[0] 'bgd': name: is required"),
        (lambda d: d["members"][0].update(kind="kingdom"), "members[0] 'bgd': kind: 'kingdom' is not one of"),
        (lambda d: d["members"][0].update(country="XXX"), "members[0] 'bgd': country: 'XXX' is not an ISO 3166-1"),
        (lambda d: d["members"][0].update(country="BD"), "members[0] 'bgd': country: 'BD' is not an ISO 3166-1"),
        (lambda d: d["members"][3].update(subdivision="PH-99"), "members[3] 'phl-barmm': subdivision: 'PH-99' is not"),
        (
            lambda d: d["members"][3].update(subdivision="BD-13"),
            "members[3] 'phl-barmm': subdivision: BD-13 is not in PHL",
        ),
        (
            lambda d: d["members"][0].update(languages=["xx"]),
            "members[0] 'bgd': languages: 'xx': is not one of the language codes",
        ),
        (lambda d: d["members"][0].update(languages="en"), "members[0] 'bgd': languages: must be a list"),
        (
            lambda d: d["members"][0].update(website="javascript:alert(1)"),
            "members[0] 'bgd': website: 'javascript:alert(1)'",
        ),
        (lambda d: d["members"][0].update(key="Bad Key"), "members[0] 'Bad Key': key: must be lowercase"),
        (
            lambda d: d["members"][1].update(parent="nowhere"),
            "members[1] 'bgd-a2i': parent: no member has the key 'nowhere'",
        ),
        (
            lambda d: d["members"][0].update(parent="bgd-a2i"),
            "members 'bgd': parent: makes a cycle: bgd > bgd-a2i > bgd",
        ),
        (
            lambda d: d["members"].append(dict(d["members"][0])),
            "members[6] 'bgd': key: is used by an earlier record too",
        ),
        (
            lambda d: d["members"][2]["needs"][0].update(priority="urgent"),
            "members[2] 'cod' needs[0] 'cod-one-stop': priority:",
        ),
        (
            lambda d: d["members"][2]["needs"][0].update(themes=["space"]),
            "members[2] 'cod' needs[0] 'cod-one-stop': themes: 'space'",
        ),
        (
            lambda d: d["members"][2]["needs"][0].update(sdg_targets=["16.99"]),
            "needs[0] 'cod-one-stop': sdg_targets: '16.99'",
        ),
        (
            lambda d: d["members"][2]["needs"][0].update(sdg_targets=["18"]),
            "needs[0] 'cod-one-stop': sdg_targets: '18'",
        ),
        (
            lambda d: d["members"][2]["needs"][0].pop("title"),
            "members[2] 'cod' needs[0] 'cod-one-stop': title: is required",
        ),
        (lambda d: d["solutions"][0].pop("owner"), "solutions[0] 'mygov': owner: is required"),
        (
            lambda d: d["solutions"][0].update(owner="nobody"),
            "solutions[0] 'mygov': owner: no member has the key 'nobody'",
        ),
        (lambda d: d["solutions"][0].update(launched="2019"), "solutions[0] 'mygov': launched: must be a year"),
        (lambda d: d["solutions"][0].update(launched=1200), "solutions[0] 'mygov': launched: must be a year"),
        (lambda d: d["solutions"][0].update(dpg="yes"), "solutions[0] 'mygov': dpg: must be true or false"),
        (
            lambda d: d["solutions"][0].update(repository="ftp://x"),
            "solutions[0] 'mygov': repository: 'ftp://x' is not",
        ),
        (lambda d: d["solutions"][0].update(key_figures=[{"value": "1"}]), "solutions[0] 'mygov': key_figures:"),
        (lambda d: d["solutions"][0]["adoptions"].append({"member": "cod", "status": "done"}), "adoptions[1]: status:"),
        (
            lambda d: d["solutions"][0]["adoptions"].append({"member": "ghost"}),
            "solutions[0] 'mygov': adoptions: no member",
        ),
        (
            lambda d: d["solutions"][0]["adoptions"].append({"member": "bgd-a2i"}),
            "the owner cannot adopt its own solution",
        ),
        (lambda d: d["solutions"][0]["adoptions"].append({"member": "phl-barmm"}), "adoptions: names a member twice"),
        (lambda d: d["exchanges"][0].update(learner="bgd-a2i"), "exchanges[0] 'cod-a2i': learner: is the provider too"),
        (lambda d: d["exchanges"][0].update(date="13 June"), "exchanges[0] 'cod-a2i': date: '13 June' is not a date"),
        (lambda d: d["exchanges"][0].update(status="happy"), "exchanges[0] 'cod-a2i': status: 'happy' is not one of"),
        (lambda d: d["exchanges"][0].pop("learner"), "exchanges[0] 'cod-a2i': learner: is required"),
        (lambda d: d.update(members={}), "members: must be a list"),
    ],
)
def test_every_problem_names_the_record_and_the_field(site, small_world_document, change, expected):
    change(small_world_document)

    problems = _problems(small_world_document)

    assert any(expected in problem for problem in problems), problems
    assert not MemberPage.objects.exists()


def test_a_need_key_cannot_jump_to_another_member(site, small_world_document):
    import_catalogue(small_world_document)
    need = small_world_document["members"][2].pop("needs")
    small_world_document["members"][3]["needs"] = need

    assert _problems(small_world_document) == ["needs 'cod-one-stop': key: belongs to a need of member 'cod'"]


def test_references_may_point_at_members_already_in_the_database(site, small_world_document):
    import_catalogue(small_world_document)
    document = {
        "format": "ssn4psi-catalogue/1",
        "solutions": [{"key": "village-courts", "name": "Village Courts", "owner": "bgd-a2i", "themes": ["justice"]}],
    }

    summary = import_catalogue(document)

    assert summary.counts["solutions"]["created"] == 1
    assert SolutionPage.objects.get(key="village-courts").member.key == "bgd-a2i"


def test_dry_run_reports_and_writes_nothing(site, small_world_document):
    summary = import_catalogue(small_world_document, dry_run=True)

    assert summary.counts["members"]["created"] == 6
    assert not MemberPage.objects.exists()


def test_export_imports_back_to_the_same_catalogue(site, small_world_document, tmp_path):
    import_catalogue(small_world_document)
    exported = export_catalogue()
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")

    call_command("import_catalogue", str(path))  # into the same database: nothing changes
    assert export_catalogue() == exported

    member = next(m for m in exported["members"] if m["key"] == "bgd-a2i")
    assert member["parent"] == "bgd"
    assert member["description"] == "a2i works on **digital** public services."
    ekshop = next(s for s in exported["solutions"] if s["key"] == "ekshop")
    assert ekshop["sdg_targets"] == ["17", "5.b", "8.3"]
    assert ekshop["dpg"] is True


def test_export_of_an_empty_catalogue_is_a_valid_document(site):
    assert export_catalogue() == {
        "format": "ssn4psi-catalogue/2",
        "members": [],
        "solutions": [],
        "exchanges": [],
        "workshops": [],
    }


def test_the_command_reports_problems_and_fails(site, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "ssn4psi-catalogue/1", "members": [{"key": "x", "name": "X"}]}', encoding="utf-8")

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_catalogue", str(path))

    err = capsys.readouterr().err
    assert "members[0] 'x': kind: is required" in err
    assert "members[0] 'x': country: is required" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [("{not json", "is not valid JSON"), ("", "is not valid JSON"), ('["a list"]', "document: must be an object")],
)
def test_the_command_rejects_unreadable_files(site, tmp_path, text, message, capsys):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path))

    assert message in capsys.readouterr().err


def test_the_command_reads_yaml_and_prints_a_summary(site, tmp_path, capsys):
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "format: ssn4psi-catalogue/1\n"
        "members:\n"
        "  - {key: nor, name: Government of Norway, kind: national_government, country: NOR}\n",
        encoding="utf-8",
    )

    call_command("import_catalogue", str(path))

    assert "members: 1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert MemberPage.objects.get(key="nor").region == "europe"


def test_a_missing_file_is_a_clear_error(site, capsys):
    with pytest.raises(CommandError):
        call_command("import_catalogue", "/nonexistent/catalogue.json")
    assert "cannot be read" in capsys.readouterr().err


# -- exchanges' status history -------------------------------------------------------------------------------


def test_importing_an_exchange_records_one_status_change(small_world, small_world_document):
    exchange = Exchange.objects.get(key="cod-a2i")
    (change,) = exchange.status_changes.all()
    assert (change.status, change.note, change.changed_by) == (S.KNOWLEDGE_SHARED, "Imported from the catalogue", None)

    summary = import_catalogue(small_world_document)
    assert not summary.changed
    assert exchange.status_changes.count() == 1

    small_world_document["exchanges"][0]["status"] = "agreement_signed"
    import_catalogue(small_world_document)
    exchange.refresh_from_db()
    assert exchange.status == S.AGREEMENT_SIGNED
    assert list(exchange.status_changes.values_list("status", flat=True)) == [S.KNOWLEDGE_SHARED, S.AGREEMENT_SIGNED]


def test_an_import_by_a_user_records_the_user(secretary, small_world_document):
    small_world_document["exchanges"][0]["status"] = "replicating"
    small_world_document["exchanges"][0]["summary"] = "Imported by the secretary."

    import_catalogue(small_world_document, user=secretary)

    change = Exchange.objects.get(key="cod-a2i").status_changes.latest("pk")
    assert (change.status, change.changed_by) == (S.REPLICATING, secretary)


def test_an_import_changing_other_fields_only_records_no_status_change(small_world, small_world_document):
    small_world_document["exchanges"][0]["summary"] = "New summary."
    summary = import_catalogue(small_world_document)

    assert summary.counts["exchanges"]["updated"] == 1
    assert Exchange.objects.get(key="cod-a2i").status_changes.count() == 1
