"""The API's OpenAPI schema: valid OpenAPI 3.1, every operation documented with its parameters, payloads and
errors, read from the code (drf-spectacular); the catalogue format's JSON Schema served beside it."""

import json
from pathlib import Path

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_schema_is_valid_openapi_and_documents_every_operation(client, site):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.1")
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert ("get", "/api/solutions/") in operations and ("put", "/api/solutions/{key}/") in operations
    assert ("post", "/api/catalogue/") in operations and ("get", "/api/catalogue.json") in operations
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), (method, path)
            assert "200" in operation["responses"] and "400" in operation["responses"], (method, path)
    goal = next(p for p in schema["paths"]["/api/solutions/"]["get"]["parameters"] if p["name"] == "goal")
    assert goal["schema"]["type"] == "array" and goal["schema"]["items"]["maximum"] == 17


def test_the_catalogue_format_schema_is_served_as_documented(client, site):
    response = client.get("/api/catalogue.schema.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    assert response.json() == json.loads((DOCS / "catalogue.schema.json").read_text("utf-8"))


def test_the_documentation_comes_from_the_sites_own_static_files(client, site):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "unpkg" not in html
    assert '<script src="/static/' in html or "/static/drf_spectacular_sidecar/" in html
