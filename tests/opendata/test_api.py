"""The open-data API read as a client reads it: lists in a stable order with their pages, details by key, the
catalogue's filters, labels in the chosen language, and a JSON 400 or 404 for what a client gets wrong."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def get(client, url, expect=200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, (url, params, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def keys(payload, field="key"):
    return [item[field] for item in payload["results"]]


def test_the_index_links_every_list_and_the_documentation(client):
    index = get(client, "/api/")
    for name in ("solutions", "members", "needs", "adoptions", "exchanges", "outcomes", "workshops", "themes"):
        assert index[name] == f"http://testserver/api/{name}/"
    assert index["goals"] == "http://testserver/api/sdg/goals/"
    assert index["schema"] == "http://testserver/api/openapi.json"
    assert index["documentation"] == "http://testserver/api/docs/"


def test_solutions_in_key_order_with_their_catalogue_fields(client):
    listed = get(client, "/api/solutions/")
    assert listed["count"] == 2 and listed["next"] is None and listed["previous"] is None
    assert keys(listed) == ["ekshop", "mygov"]
    ekshop = listed["results"][0]
    assert ekshop | {"updated": None} == {
        "key": "ekshop",
        "name": "ekShop",
        "owner": "bgd-a2i",
        "country": "BGD",
        "region": "asia",
        "summary": "Assisted rural e-commerce.",
        "sdg_targets": ["17", "5.b", "8.3"],
        "themes": ["digital-payments", "e-commerce"],  # in the vocabulary's order
        "maturity": "replicated",
        "launched": 2019,
        "dpg": True,
        "url": "http://testserver/members/government-of-bangladesh/aspire-to-innovate-a2i/ekshop/",
        "updated": None,
        "labels": {
            "owner": "Aspire to Innovate (a2i)",
            "country": "Bangladesh",
            "maturity": "Replicated abroad",
            "themes": {"digital-payments": "Digital payments", "e-commerce": "E-commerce"},
        },
    }
    assert ekshop["updated"].startswith("20")


def test_a_solution_in_full_is_its_catalogue_record(client):
    mygov = get(client, "/api/solutions/mygov/")
    assert mygov["key"] == "mygov" and mygov["owner"] == "bgd-a2i"
    assert mygov["problem"] == "Citizens went from office to office."
    assert mygov["description"] == "One portal and app for **2,500+** services."
    assert mygov["key_figures"] == [{"value": "2,500+", "label": "government-to-citizen services"}]
    assert mygov["adoptions"] == [{"member": "phl-barmm", "status": "exploring"}]
    assert mygov["url"].endswith("/aspire-to-innovate-a2i/mygov/")


def test_pages_of_a_list_link_to_each_other_and_cover_every_row_once(client):
    first = get(client, "/api/members/", per_page=4)
    assert first["count"] == 6 and len(first["results"]) == 4
    assert first["next"] == "http://testserver/api/members/?per_page=4&page=2"
    second = client.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/members/?per_page=4&page=1" and second["next"] is None
    assert keys(first) + keys(second) == sorted(["bgd", "bgd-a2i", "cod", "phl-barmm", "tur", "undp"])
    assert get(client, "/api/members/", expect=404, page=3) == {"detail": "There is no page 3."}


def test_members_with_parent_kind_country_region_and_languages(client):
    a2i = next(m for m in get(client, "/api/members/")["results"] if m["key"] == "bgd-a2i")
    assert {field: a2i[field] for field in ("parent", "kind", "country", "region", "languages")} == {
        "parent": "bgd",
        "kind": "government_agency",
        "country": "BGD",
        "region": "asia",
        "languages": ["bn", "en"],
    }
    assert keys(get(client, "/api/members/", parent="bgd")) == ["bgd-a2i"]
    cod = get(client, "/api/members/cod/")
    assert cod["needs"][0]["key"] == "cod-one-stop" and cod["needs"][0]["sdg_targets"] == ["16.6"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"goal": "16"}, ["mygov"]),
        ({"goal": "16,17"}, ["ekshop", "mygov"]),
        ({"target": "8.3"}, ["ekshop"]),
        ({"theme": "e-services"}, ["mygov"]),
        ({"maturity": "replicated"}, ["ekshop"]),
        ({"dpg": "true"}, ["ekshop"]),
        ({"dpg": "false"}, ["mygov"]),
        ({"country": "BGD"}, ["ekshop", "mygov"]),
        ({"country": "COD"}, []),
        ({"region": "asia"}, ["ekshop", "mygov"]),
        ({"region": "africa"}, []),
        ({"owner": "bgd"}, ["ekshop", "mygov"]),
        ({"updated_since": "2999-01-01"}, []),
        ({"updated_since": "2000-01-01T00:00:00Z"}, ["ekshop", "mygov"]),
    ],
)
def test_the_catalogue_filters(client, query, expected):
    assert keys(get(client, "/api/solutions/", **query)) == expected


@pytest.mark.parametrize(
    ("url", "query", "parameter", "message"),
    [
        ("/api/solutions/", {"goal": "99"}, "goal", "99: Ensure this value is less than or equal to 17."),
        ("/api/solutions/", {"theme": "space"}, "theme", '"space" is not a valid choice.'),
        ("/api/solutions/", {"country": "bgd"}, "country", 'bgd: "bgd" is not an ISO 3166-1 alpha-3 country code'),
        ("/api/solutions/", {"owner": ""}, "owner", "Give a value, or leave the parameter out."),
        ("/api/solutions/", {"updated_since": "yesterday"}, "updated_since", "Datetime has wrong format."),
        ("/api/solutions/", {"page": "0"}, "page", "Ensure this value is greater than or equal to 1."),
        ("/api/solutions/", {"per_page": "1000"}, "per_page", "Ensure this value is less than or equal to 100."),
        ("/api/solutions/", {"lang": "xx"}, "lang", '"xx" is not a valid choice.'),
        ("/api/solutions/", {"gaol": "16"}, "gaol", "Unknown parameter. This endpoint takes: country, dpg"),
        ("/api/members/", {"kind": "kingdom"}, "kind", '"kingdom" is not a valid choice.'),
        ("/api/exchanges/", {"status": "won"}, "status", '"won" is not a valid choice.'),
        ("/api/solutions/", {"q": "portal"}, "q", "Unknown parameter."),
        ("/api/search/solutions/", {"target": "16.6"}, "q", "This field is required."),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, url, query, parameter, message):
    errors = get(client, url, expect=400, **query)
    assert list(errors) == [parameter]
    assert message in errors[parameter][0]


def test_an_unknown_key_or_address_is_a_json_404(client):
    assert get(client, "/api/solutions/nothing/", expect=404) == {
        "detail": "Nothing has this key, or it is not public."
    }
    assert get(client, "/api/sdg/goals/18/", expect=404)["detail"]
    assert get(client, "/api/sdg/goals/99999999999999999999999/", expect=404)["detail"]
    assert get(client, "/api/no/such/thing", expect=404) == {
        "detail": "No endpoint at this address; the list is at /api/."
    }


def test_labels_in_the_language_asked_for(client):
    ekshop = get(client, "/api/solutions/", lang="fr")["results"][0]
    assert ekshop["maturity"] == "replicated"  # codes never change
    assert ekshop["labels"]["maturity"] != "Replicated abroad"
    assert ekshop["labels"]["themes"]["e-commerce"] == "Commerce en ligne"
    goal = get(client, "/api/sdg/goals/16/", lang="fr")
    assert goal["title"] == goal["titles"]["fr"] and goal["titles"]["en"].startswith("Promote peaceful")
    assert {target["code"] for target in goal["targets"]} >= {"16.6", "16.9"}
    assert get(client, "/api/sdg/goals/16/", lang="zh-Hans")["title"] == goal["titles"]["zh-Hans"]
    assert get(client, "/api/themes/e-services/", lang="es")["label"] != "E-services"


def test_needs_adoptions_exchanges(client):
    needs = get(client, "/api/needs/", member="cod")
    assert keys(needs) == ["cod-one-stop"]
    assert needs["results"][0]["labels"]["priority"] == "High"
    assert keys(get(client, "/api/needs/", goal="16")) == ["cod-one-stop"]
    assert keys(get(client, "/api/needs/", goal="3")) == []
    adoptions = get(client, "/api/adoptions/")
    assert [(a["solution"], a["member"]) for a in adoptions["results"]] == [("ekshop", "tur"), ("mygov", "phl-barmm")]
    assert get(client, "/api/adoptions/ekshop/tur/")["year"] == 2021
    assert get(client, "/api/adoptions/", country="TUR")["count"] == 1
    exchange = get(client, "/api/exchanges/cod-a2i/")
    assert {k: exchange[k] for k in ("provider", "learner", "facilitator", "solutions", "status")} == {
        "provider": "bgd-a2i",
        "learner": "cod",
        "facilitator": "undp",
        "solutions": ["mygov"],
        "status": "knowledge_shared",
    }
    assert keys(get(client, "/api/exchanges/", member="undp")) == ["cod-a2i"]
    assert keys(get(client, "/api/exchanges/", solution="ekshop")) == []


def test_workshops_by_kind_format_and_member(client, make_workshop):
    from members.models import MemberPage

    workshop = make_workshop(key="cod-session")
    workshop.organisers.set([MemberPage.objects.get(key="cod")])
    workshop.save_revision().publish()
    assert keys(get(client, "/api/workshops/", format="virtual")) == ["cod-session"]
    assert keys(get(client, "/api/workshops/", format="in_person")) == []
    assert keys(get(client, "/api/workshops/", kind="knowledge_sharing", member="cod")) == ["cod-session"]
    assert keys(get(client, "/api/workshops/", member="tur")) == []
    session = get(client, "/api/workshops/cod-session/")
    assert session["kind"] == "knowledge_sharing" and session["organisers"] == ["cod"]
    assert session["labels"]["format"] == "Virtual"


def test_the_sdg_framework_and_the_themes(client):
    assert get(client, "/api/sdg/goals/")["count"] == 17
    assert get(client, "/api/sdg/targets/", goal="16")["count"] == 12
    indicator = get(client, "/api/sdg/indicators/16.9.1/")
    assert indicator["target"] == "16.9" and indicator["title"].startswith("Proportion of children")
    themes = get(client, "/api/themes/")
    assert themes["count"] == 17 and keys(themes)[0] == "e-services"
