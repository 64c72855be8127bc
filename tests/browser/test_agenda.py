"""Staff turn exchanges into a matchmaking workshop and see its meeting agenda."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_browsing import _artifact

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_and_exchanges(browser_world):
    """A member of the Secretariat and three exchanges with DR Congo and BARMM, made before the browser
    starts (the ORM must not run while Playwright's event loop does)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from network.catalogue import FORMAT
    from network.catalogue.importer import import_catalogue
    from ssn4psi.services import SECRETARIAT_GROUP

    import_catalogue(
        {
            "format": FORMAT,
            "members": [
                {"key": "ken-ict", "name": "Kenya ICT Authority", "kind": "government_agency", "country": "KEN"}
            ],
            "exchanges": [
                {"key": "cod-ken", "provider": "ken-ict", "learner": "cod", "status": "agreed"},
                {"key": "barmm-a2i", "provider": "bgd-a2i", "learner": "phl-barmm", "status": "proposed"},
            ],
        }
    )
    person = get_user_model().objects.create_user("amina", "amina@ssn4psi.org", "a-long-test-password")
    person.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return browser_world


def test_staff_create_a_matchmaking_workshop_and_see_its_agenda(staff_and_exchanges, page):
    page.goto(staff_and_exchanges.url + "/admin/login/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    page.get_by_role("link", name="Exchanges").first.click()
    page.get_by_role("link", name="Create matchmaking workshop").click()

    page.get_by_label("Title").fill("Matchmaking in Kinshasa")
    page.get_by_label("Start (venue's local time)").fill("2031-05-12T09:00")
    page.get_by_label("End (venue's local time)").fill("2031-05-12T11:00")
    page.get_by_label("Time zone").select_option("Africa/Kinshasa")
    page.get_by_label("Venue", exact=True).fill("Palais du Peuple")
    page.get_by_label("Number of tables").fill("2")
    for name in (
        "Kenya ICT Authority → Government of the Democratic Republic of the Congo",
        "Aspire to Innovate (a2i) → Government of the Democratic Republic of the Congo",
        "Aspire to Innovate (a2i) → Bangsamoro Autonomous Region in Muslim Mindanao",
    ):
        page.get_by_role("checkbox", name=re.compile(re.escape(name))).check()
    page.screenshot(path=_artifact("admin-matchmaking-create.png"), full_page=True)
    page.get_by_role("button", name="Create the workshop and propose its agenda").click()

    page.wait_for_url(re.compile(r"/admin/agendas/\d+/$"))
    expect(
        page.get_by_text("Draft workshop “Matchmaking in Kinshasa” created with 3 meetings proposed.")
    ).to_be_visible()
    grid = page.get_by_role("table", name="Meetings by slot and table")
    expect(grid).to_be_visible()
    expect(grid.get_by_role("columnheader", name="Table 2")).to_be_visible()
    expect(grid.get_by_role("rowheader", name="1 · 09:00–09:30")).to_be_visible()
    expect(grid.get_by_text("Kenya ICT Authority")).to_be_visible()
    # DR Congo meets two providers: never in the same slot.
    assert grid.get_by_role("row").filter(has_text="Democratic Republic of the Congo").count() == 2
    page.screenshot(path=_artifact("admin-meeting-agenda.png"), full_page=True)

    page.get_by_role("link", name="Printable agenda").click()
    expect(page.get_by_role("heading", name="Matchmaking in Kinshasa")).to_be_visible()
    page.screenshot(path=_artifact("agenda-print.png"), full_page=True)
    page.go_back()
    page.get_by_role("link", name="Delegation schedules").click()
    expect(page.get_by_role("heading", name="Schedule of Kenya ICT Authority")).to_be_visible()
    page.screenshot(path=_artifact("agenda-schedules.png"), full_page=True)
