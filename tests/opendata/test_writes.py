"""Writes through the API with a token: a member's focal point creates and updates its own member's needs and
solutions, the Secretariat any record (a whole catalogue document); each write goes through the catalogue
importer's validation and is published in the writer's name; anything else is refused (401 without a token, 403
for what the user may not write, 400 naming the field)."""

import pytest
from rest_framework.authtoken.models import Token

from members.models import MemberPage, Need
from network.catalogue import FORMAT
from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def put(client, url, body, user=None, token=None):
    headers = {}
    if user is not None or token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {token or Token.objects.get_or_create(user=user)[0].key}"
    return client.put(url, body, content_type="application/json", **headers)


PORTAL = {
    "name": "Guichet unique",
    "owner": "cod",
    "summary": "Every public service of DR Congo in one place.",
    "sdg_targets": ["16.6"],
    "themes": ["e-services"],
    "maturity": "pilot",
}


def test_a_focal_point_publishes_a_solution_of_its_member(client, focal_point):
    response = put(client, "/api/solutions/cod-portal/", PORTAL, focal_point)
    assert response.status_code == 201, response.content
    assert response.json()["key"] == "cod-portal" and response.json()["owner"] == "cod"
    page = SolutionPage.objects.get(key="cod-portal")
    assert page.live and page.get_parent().specific.key == "cod"
    assert page.latest_revision.user == focal_point
    assert response["Cache-Control"] == "private, no-store"
    listed = client.get("/api/solutions/", {"owner": "cod"}).json()
    assert [item["key"] for item in listed["results"]] == ["cod-portal"]

    updated = put(client, "/api/solutions/cod-portal/", {**PORTAL, "maturity": "scaled"}, focal_point)
    assert updated.status_code == 200 and updated.json()["maturity"] == "scaled"


def test_a_focal_point_writes_nothing_of_another_member(client, focal_point):
    refused = put(client, "/api/solutions/cod-portal/", {**PORTAL, "owner": "bgd-a2i"}, focal_point)
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("You may not write the solutions of Aspire to Innovate (a2i)")
    taken = put(client, "/api/solutions/mygov/", {**PORTAL, "name": "myGov"}, focal_point)  # a2i's, to DR Congo
    assert taken.status_code == 403
    assert not SolutionPage.objects.filter(key="cod-portal").exists()
    assert SolutionPage.objects.get(key="mygov").member.key == "bgd-a2i"


def test_a_bad_record_is_a_400_naming_the_field_and_writes_nothing(client, focal_point):
    response = put(client, "/api/solutions/cod-portal/", {**PORTAL, "maturity": "great", "colour": "red"}, focal_point)
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert "solutions[0] 'cod-portal': colour: unknown field" in problems
    assert any(problem.startswith("solutions[0] 'cod-portal': maturity: 'great' is not one of") for problem in problems)
    assert not SolutionPage.objects.filter(key="cod-portal").exists()
    assert put(client, "/api/solutions/cod-portal/", ["not", "an", "object"], focal_point).status_code == 400


def test_without_a_valid_token_nothing_is_written(client, focal_point):
    assert put(client, "/api/solutions/cod-portal/", PORTAL).status_code == 401
    assert put(client, "/api/solutions/cod-portal/", PORTAL, token="0" * 40).status_code == 401
    assert client.post("/api/catalogue/", {}, content_type="application/json").status_code == 401
    token = Token.objects.create(user=focal_point).key
    not_allowed = client.post(
        "/api/solutions/", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert not_allowed.status_code == 405  # a list is read only
    assert not SolutionPage.objects.filter(key="cod-portal").exists()


def test_a_focal_point_adds_and_updates_its_members_needs(client, focal_point):
    need = {"member": "cod", "title": "Digital identity for every citizen", "sdg_targets": ["16.9"], "priority": "high"}
    created = put(client, "/api/needs/cod-identity/", need, focal_point)
    assert created.status_code == 201, created.content
    assert created.json()["member"] == "cod" and created.json()["sdg_targets"] == ["16.9"]
    assert sorted(Need.objects.filter(member__key="cod").values_list("key", flat=True)) == [
        "cod-identity",
        "cod-one-stop",
    ]
    updated = put(
        client, "/api/needs/cod-one-stop/", {"member": "cod", "title": "One-stop shop", "priority": "low"}, focal_point
    )
    assert updated.status_code == 200 and updated.json()["priority"] == "low"
    assert Need.objects.get(key="cod-identity").title == "Digital identity for every citizen"  # left alone


def test_a_focal_point_writes_no_need_of_another_member(client, focal_point):
    assert put(client, "/api/needs/tur-x/", {"member": "tur", "title": "Anything"}, focal_point).status_code == 403
    moved = put(client, "/api/needs/cod-one-stop/", {"member": "phl-barmm", "title": "Moved"}, focal_point)
    assert moved.status_code == 403
    assert Need.objects.get(key="cod-one-stop").member.key == "cod"


def test_the_secretariat_imports_any_record_and_nobody_else(client, secretary, focal_point):
    document = {
        "format": FORMAT,
        "exchanges": [{"key": "tur-cod", "provider": "tur", "learner": "cod", "status": "proposed"}],
    }
    token = Token.objects.create(user=secretary).key
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    tried = client.post("/api/catalogue/?dry_run=true", document, content_type="application/json", **headers)
    assert tried.status_code == 200 and tried.json()["counts"]["exchanges"]["created"] == 1
    assert client.get("/api/exchanges/tur-cod/").status_code == 404  # the dry run wrote nothing
    done = client.post("/api/catalogue/", document, content_type="application/json", **headers)
    assert done.status_code == 200 and done.json() == {
        "dry_run": False,
        "counts": {
            "members": {},
            "needs": {},
            "solutions": {},
            "exchanges": {"created": 1},
            "workshops": {},
        },
    }
    assert client.get("/api/exchanges/tur-cod/").json()["status"] == "proposed"
    focal = Token.objects.create(user=focal_point).key
    refused = client.post(
        "/api/catalogue/", document, content_type="application/json", HTTP_AUTHORIZATION=f"Token {focal}"
    )
    assert refused.status_code == 403
    assert put(client, "/api/solutions/cod-portal/", {**PORTAL, "owner": "tur"}, secretary).status_code == 201
    assert MemberPage.objects.get(key="tur").get_children().count() == 1


def test_tokens_are_created_in_the_admin_by_administrators_only(client, focal_point, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@ssn4psi.org", "a-long-test-password")
    client.force_login(admin)
    assert client.get("/admin/api_tokens/").status_code == 200
    created = client.post("/admin/api_tokens/new/", {"user": focal_point.pk})
    assert created.status_code == 302
    token = Token.objects.get(user=focal_point)
    assert token.key in client.get("/admin/api_tokens/").content.decode()
    client.force_login(focal_point)
    assert client.get("/admin/api_tokens/").status_code in (302, 403)
    assert client.post("/admin/api_tokens/new/", {"user": focal_point.pk}).status_code in (302, 403)
    assert Token.objects.count() == 1
