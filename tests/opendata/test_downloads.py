"""Bulk downloads: the whole public catalogue in the catalogue format (imported into an empty database, it gives
the same public catalogue back), CSV tables, each with its ETag and built again only when content changes; the
/data/ page that lists them with their size and licence."""

import csv
import io
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from members.models import MemberPage
from network.catalogue.importer import import_catalogue
from opendata import downloads
from tests import visibility

pytestmark = pytest.mark.django_db


def download(client, name, **headers):
    response = client.get(f"/api/{name}", **headers)
    assert response.status_code in (200, 304), response.content[:300]
    return response


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_catalogue_download_imports_into_an_empty_database_and_back(client, site, small_world_document):
    with transaction.atomic():
        import_catalogue(small_world_document)
        visibility.hide(MemberPage.objects.get(key="undp"), "login")  # cod-a2i's facilitator: left out
        downloaded = json.loads(download(client, "catalogue.json").content)
        transaction.set_rollback(True)  # back to a site without content
    assert not MemberPage.objects.exists()
    assert {m["key"] for m in downloaded["members"]} == {"bgd", "bgd-a2i", "cod", "phl-barmm", "tur"}
    assert downloaded["exchanges"][0]["key"] == "cod-a2i" and "facilitator" not in downloaded["exchanges"][0]

    import_catalogue(downloaded)

    again = download(client, "catalogue.json")
    assert json.loads(again.content) == downloaded
    assert again["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="ssn4psi-catalogue.json"' in again["Content-Disposition"]


def test_csv_tables_one_row_per_record(client, small_world):
    solutions = rows(download(client, "solutions.csv"))
    assert [row["key"] for row in solutions] == ["ekshop", "mygov"]
    assert solutions[0]["owner_name"] == "Aspire to Innovate (a2i)" and solutions[0]["dpg"] == "yes"
    assert solutions[0]["sdg_targets"] == "17 5.b 8.3"
    members = rows(download(client, "members.csv"))
    assert {row["key"]: row["parent"] for row in members}["bgd-a2i"] == "bgd"
    adoptions = rows(download(client, "adoptions.csv"))
    assert [(row["solution"], row["member"], row["status"]) for row in adoptions] == [
        ("ekshop", "tur", "adopted"),
        ("mygov", "phl-barmm", "exploring"),
    ]
    exchanges = rows(download(client, "exchanges.csv"))
    assert exchanges == [
        {
            "key": "cod-a2i",
            "provider": "bgd-a2i",
            "provider_name": "Aspire to Innovate (a2i)",
            "learner": "cod",
            "learner_name": "Government of the Democratic Republic of the Congo",
            "facilitator": "undp",
            "facilitator_name": "UNDP",
            "solutions": "mygov",
            "status": "knowledge_shared",
            "date": "",
            "summary": "",
        }
    ]
    response = download(client, "solutions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and response["Access-Control-Allow-Origin"] == "*"


def test_a_download_is_built_once_per_content_change(client, small_world):
    first = download(client, "members.csv")
    assert download(client, "members.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with CaptureQueriesContext(connection) as queries:
        kept = downloads.build("members.csv")
    assert len(queries) == 0 and kept.etag == first["ETag"]
    member = MemberPage.objects.get(key="tur")
    member.title = "Republic of Türkiye"
    member.save_revision().publish()
    changed = download(client, "members.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Republic of Türkiye" in changed.content.decode("utf-8-sig")


def test_the_data_page_lists_each_file_with_its_size_and_licence(client, small_world):
    page = client.get("/data/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("catalogue.json", "solutions.csv", "members.csv", "adoptions.csv", "exchanges.csv"):
        assert f'href="/api/{name}"' in html
    assert "CC BY 4.0" in html and 'rel="license"' in html
    assert "bytes" in html or "KB" in html
    assert 'href="/api/docs/"' in html and 'href="/api/openapi.json"' in html
