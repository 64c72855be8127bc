"""A digital public good of the catalogue downloaded in the DPG registry's nominee format, valid against the
registry's own schema, so that its owner can nominate it; what the format cannot describe is refused with why."""

import json
from pathlib import Path

import jsonschema
import pytest

from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "ssn4psi/data/dpg-registry/nominee-schema.json").read_text("utf-8")
)


def test_a_digital_public_good_as_a_valid_nominee(client):
    response = client.get("/api/solutions/ekshop/dpg-nominee.json")
    assert response.status_code == 200 and 'filename="ekshop.json"' in response["Content-Disposition"]
    nominee = response.json()
    jsonschema.validate(nominee, SCHEMA)
    assert nominee["name"] == "ekShop" and nominee["stage"] == "nominee"
    assert nominee["license"] == [{"spdx": "Apache-2.0", "licenseURL": "https://spdx.org/licenses/Apache-2.0.html"}]
    assert [sdg["SDGNumber"] for sdg in nominee["SDGs"]] == [5, 8, 17]
    assert "5.b" in nominee["SDGs"][0]["evidenceText"]
    assert nominee["organizations"] == [{"name": "Aspire to Innovate (a2i)", "org_type": "owner"}]
    assert nominee["repositories"] == [{"name": "ekShop", "url": "https://github.com/a2i-dpg/ekShop"}]


def test_what_the_format_cannot_describe_is_refused_with_why(client):
    not_a_dpg = client.get("/api/solutions/mygov/dpg-nominee.json")
    assert not_a_dpg.status_code == 404 and not_a_dpg.json() == {
        "detail": "myGov is not marked as a digital public good."
    }
    ekshop = SolutionPage.objects.get(key="ekshop")
    ekshop.licence = "Proprietary"
    ekshop.save_revision().publish()
    refused = client.get("/api/solutions/ekshop/dpg-nominee.json")
    assert refused.status_code == 404
    assert refused.json()["detail"] == (
        "Proprietary is not one of the open licences the registry accepts (an SPDX identifier)"
    )
    assert client.get("/api/solutions/nothing/dpg-nominee.json").status_code == 404
