"""Recommendations from the database: computed after commits, stored, shown on member pages, and printed
by the recommend and evaluate_matcher commands."""

import json
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from matchmaking.listings import partners_for, solutions_for
from matchmaking.models import PartnerRecommendation, SolutionRecommendation
from matchmaking.recommendations import load_network, refresh_recommendations
from members.models import MemberPage
from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

KENYA = {
    "format": FORMAT,
    "members": [
        {
            "key": "ken",
            "name": "Government of Kenya",
            "kind": "national_government",
            "country": "KEN",
            "languages": ["en", "sw"],
        },
        {
            "key": "ken-ict",
            "name": "Kenya ICT Authority",
            "kind": "government_agency",
            "country": "KEN",
            "parent": "ken",
            "languages": ["en", "fr"],
        },
        {
            "key": "phl-barmm",
            "name": "Bangsamoro Autonomous Region in Muslim Mindanao",
            "kind": "subnational_government",
            "country": "PHL",
            "subdivision": "PH-14",
            "languages": ["en", "tl"],
            "needs": [
                {
                    "key": "barmm-one-stop",
                    "title": "One-stop public services",
                    "sdg_targets": ["16.6"],
                    "themes": ["e-services"],
                    "priority": "high",
                }
            ],
        },
    ],
    "solutions": [
        {
            "key": "ecitizen",
            "name": "eCitizen",
            "owner": "ken-ict",
            "summary": "Government services online.",
            "sdg_targets": ["16.6"],
            "themes": ["e-services"],
            "maturity": "national",
            "key_figures": [{"value": "5,000+", "label": "services"}],
            "adoptions": [{"member": "tur", "status": "piloting"}],
        },
    ],
}


@pytest.fixture
def network_world(small_world):
    import_catalogue(KENYA)
    return small_world


def test_the_network_is_loaded_as_plain_records(network_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        network = load_network()
    members = {m.key: m for m in network.members}
    assert members["bgd-a2i"].parent == "bgd" and members["cod"].languages == ("fr",)
    assert members["phl-barmm"].subregion == "south-eastern-asia"
    solutions = {s.key: s for s in network.solutions}
    assert solutions["mygov"].targets == ("16.6",) and solutions["mygov"].figures[0][0] == "2,500+"
    assert "office to office" in solutions["mygov"].text  # the problem, as plain text
    assert {(a.member, a.solution) for a in network.adoptions} >= {("tur", "ekshop"), ("phl-barmm", "mygov")}
    assert [e.key for e in network.exchanges] == ["cod-a2i"]


def test_refresh_stores_partners_and_solutions_for_governments(network_world):
    counts = refresh_recommendations()
    assert (
        counts["learners"]
        == MemberPage.objects.filter(
            kind__in=["national_government", "subnational_government", "government_agency"]
        ).count()
    )
    cod = MemberPage.objects.get(key="cod")
    partners = partners_for(cod)
    # a2i already has an exchange with DR Congo: Kenya's ICT Authority comes first, for eCitizen.
    assert partners[0].provider.key == "ken-ict"
    assert [page.key for page in partners[0].solution_pages] == ["ecitizen"]
    assert "bgd-a2i" not in [p.provider.key for p in partners]
    assert any("One-stop access to public services" in sentence for sentence in partners[0].sentences)
    assert any("both use French" in sentence for sentence in partners[0].sentences)
    assert not PartnerRecommendation.objects.filter(learner__key="undp").exists()  # not a learner
    # A second refresh replaces the set rather than adding to it.
    before = PartnerRecommendation.objects.count(), SolutionRecommendation.objects.count()
    refresh_recommendations()
    assert (PartnerRecommendation.objects.count(), SolutionRecommendation.objects.count()) == before


def test_publishing_content_recomputes_after_the_commit(
    network_world, django_capture_on_commit_callbacks, monkeypatch, eager_tasks
):
    from matchmaking import tasks

    sent = []
    real_delay = tasks.refresh_recommendations.delay
    monkeypatch.setattr(tasks.refresh_recommendations, "delay", lambda: sent.append(1) or real_delay())
    assert not PartnerRecommendation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        import_catalogue(
            {
                "format": FORMAT,
                "members": [
                    {
                        "key": "som",
                        "name": "Government of Somalia",
                        "kind": "national_government",
                        "country": "SOM",
                        "needs": [{"key": "som-services", "title": "Online services", "sdg_targets": ["16.6"]}],
                    }
                ],
            }
        )
    assert len(sent) == 1  # one refresh for the whole import, not one per record
    assert PartnerRecommendation.objects.filter(learner__key="som").exists()


def test_member_page_shows_recommended_partners_with_reasons(network_world, client):
    refresh_recommendations()
    response = client.get(MemberPage.objects.get(key="phl-barmm").url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Recommended partners" in html and "Kenya ICT Authority" in html
    assert "One-stop public services" in html  # the need, quoted in the reason
    assert 'href="/members/' in html


def test_member_page_without_stored_recommendations_says_so(network_world, client):
    html = client.get(MemberPage.objects.get(key="cod").url).content.decode()
    assert "No partner is recommended yet" in html


def test_organisations_get_no_recommendation_section(network_world, client):
    html = client.get(MemberPage.objects.get(key="undp").url).content.decode()
    assert "Recommended partners" not in html


def test_member_page_queries_do_not_grow_with_recommendations(
    network_world, client, many_solutions, django_assert_max_num_queries
):
    refresh_recommendations()
    url = MemberPage.objects.get(key="phl-barmm").url
    client.get(url)  # Wagtail keeps the site's root paths in the cache after the first request
    # Wagtail's routing (a query a level), the page and its own parts, the sections' reads, and the view
    # restrictions read by each live().public().
    with django_assert_max_num_queries(32) as small:
        client.get(url)
    many_solutions(30)
    refresh_recommendations()
    assert PartnerRecommendation.objects.filter(learner__key="phl-barmm").count() >= 2
    with django_assert_max_num_queries(32) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_recommend_command_prints_json(network_world):
    out = StringIO()
    call_command("recommend", "cod", "--json", "--top", "2", stdout=out)
    data = json.loads(out.getvalue())
    assert data["learner"] == "cod" and data["by"] == "provider"
    first = data["results"][0]
    assert first["key"] == "ken-ict" and first["solutions"] == ["ecitizen"]
    assert isinstance(first["score"], float) and first["reasons"] and isinstance(first["facilitators"], list)
    out = StringIO()
    call_command("recommend", "phl-barmm", "--json", "--by", "solution", stdout=out)
    results = json.loads(out.getvalue())["results"]
    assert set(results[0]) == {"key", "provider", "score", "reasons"}
    assert "mygov" not in [r["key"] for r in results]  # BARMM is exploring it already


def test_recommend_command_text_and_errors(network_world):
    out = StringIO()
    call_command("recommend", "cod", stdout=out)
    assert out.getvalue().startswith("1. ken-ict")
    with pytest.raises(CommandError, match="No member with the key 'nobody'"):
        call_command("recommend", "nobody")
    with pytest.raises(CommandError, match="--top must be 1 or more"):
        call_command("recommend", "cod", "--top", "0")


def test_evaluate_matcher_reports_both_methods(network_world):
    import_catalogue(
        {
            "format": FORMAT,
            "solutions": [
                {
                    "key": "ecitizen",
                    "name": "eCitizen",
                    "owner": "ken-ict",
                    "sdg_targets": ["16.6"],
                    "adoptions": [{"member": "tur"}, {"member": "phl-barmm"}],
                }
            ],
        }
    )
    out = StringIO()
    call_command("evaluate_matcher", "--json", "--k", "1,3", stdout=out)
    report = json.loads(out.getvalue())
    run = report["runs"][0]
    assert run["cases"] >= 3 and set(run["matcher"]) == {"mrr", "hit@1", "hit@3"}
    assert set(run["popularity"]) == {"mrr", "hit@1", "hit@3"}
    out = StringIO()
    call_command("evaluate_matcher", "--ablation", stdout=out)
    assert "popularity baseline" in out.getvalue() and "without neighbours" in out.getvalue()
    with pytest.raises(CommandError, match="--k takes whole numbers"):
        call_command("evaluate_matcher", "--k", "one")
    with pytest.raises(CommandError, match="unknown matcher weight"):
        call_command("evaluate_matcher", "--weights", '{"speed": 1}')


def test_solutions_like_the_ones_adopted(network_world, client):
    import_catalogue(
        {
            "format": FORMAT,
            "members": [
                {"key": "som", "name": "Government of Somalia", "kind": "national_government", "country": "SOM"}
            ],
            "solutions": [
                {
                    "key": "ekshop",
                    "name": "ekShop",
                    "owner": "bgd-a2i",
                    "adoptions": [{"member": "tur", "year": 2021}, {"member": "som"}],
                },
                {
                    "key": "mygov",
                    "name": "myGov",
                    "owner": "bgd-a2i",
                    "sdg_targets": ["16.6"],
                    "adoptions": [{"member": "phl-barmm", "status": "exploring"}, {"member": "som"}],
                },
            ],
        }
    )
    refresh_recommendations()
    turkey = MemberPage.objects.get(key="tur")
    found = solutions_for(turkey, "adopters")
    assert found[0].solution.key == "mygov"
    assert found[0].sentences[0] == "taken up by Government of Somalia, which also use ekShop like you"
    html = client.get(turkey.url).content.decode()
    assert "Solutions like the ones you adopted" in html and "Government of Somalia" in html


def test_generate_network_writes_an_importable_catalogue(site, tmp_path):
    from network.catalogue.schema import validate

    target = tmp_path / "network.json"
    call_command(
        "generate_network",
        "--members",
        "12",
        "--needs",
        "20",
        "--solutions",
        "15",
        "--adoptions",
        "40",
        "--output",
        str(target),
        stderr=StringIO(),
    )
    document = json.loads(target.read_text())
    assert len(document["members"]) == 12 and len(document["solutions"]) == 15
    assert sum(len(m["needs"]) for m in document["members"]) == 20
    assert validate(document) == []
    summary = import_catalogue(document)
    assert summary.counts["solutions"]["created"] == 15
    again = StringIO()
    call_command(
        "generate_network", "--members", "12", "--needs", "20", "--solutions", "15", "--adoptions", "40", stdout=again
    )
    assert json.loads(again.getvalue()) == document  # seeded: the same arguments give the same network
    with pytest.raises(CommandError, match="--members must be 2 or more"):
        call_command("generate_network", "--members", "1")


def test_bad_weights_in_settings_are_reported_by_the_system_checks(settings):
    from matchmaking.checks import check_matcher_weights

    settings.MATCHMAKING_WEIGHTS = {"need": 2}
    assert check_matcher_weights(None) == []
    settings.MATCHMAKING_WEIGHTS = {"neeed": 2}
    [error] = check_matcher_weights(None)
    assert error.id == "matchmaking.E001" and "unknown matcher weight(s): neeed" in error.msg
    settings.MATCHMAKING_WEIGHTS = ["need"]
    assert "JSON object" in check_matcher_weights(None)[0].msg


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="CELERY_BROKER_URL is not set: no worker to reach")
def test_a_worker_recomputes_the_recommendations():
    """The task is registered, runs in a real worker on the worker's own database, and reports its counts."""
    from django.conf import settings

    from matchmaking.tasks import refresh_recommendations as task

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    counts = task.apply_async(kwargs={"ask": True}, ignore_result=False).get(timeout=120)
    assert set(counts) == {"learners", "partners", "solutions"}
    assert all(isinstance(value, int) and value >= 0 for value in counts.values())
