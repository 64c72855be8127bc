"""What organisers and participants see after a workshop, on a phone (360 px wide): check-in at the door,
the feedback form, the participant's own data."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_browsing import _artifact

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def after_world(browser_world, live_server):
    """A workshop that started yesterday, three confirmed participants, a logged-in Secretariat session."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from network.site import ensure_site
    from ssn4psi.services import SECRETARIAT_GROUP
    from tests.workshops.conftest import details
    from tests.workshops.people import move
    from workshops import services
    from workshops.models import WorkshopPage
    from workshops.tokens import make_token

    start = timezone.now() + datetime.timedelta(days=3)
    workshop = ensure_site().workshops.add_child(
        instance=WorkshopPage(
            title="DR Congo and a2i: knowledge-sharing session",
            kind="knowledge_sharing",
            format="virtual",
            start=start,
            end=start + datetime.timedelta(hours=2),
            time_zone="Africa/Kinshasa",
        )
    )
    names = ["Nzé Mbuyi", "نور الهدى", "Ana Souza Pereira de Albuquerque"]
    people = [services.confirm(services.register(workshop, **details(n, name=name))) for n, name in enumerate(names)]
    move(workshop, started_days_ago=1)
    staff = get_user_model().objects.create_user("secretary", "secretary@ssn4psi.org", "a-long-test-password")
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    client = Client()
    client.force_login(staff)
    return {
        "workshop": workshop,
        "session": client.cookies["sessionid"].value,
        "manage": f"{live_server.url}/registrations/manage/{make_token(people[0], 'manage')}/",
    }


def test_check_in_on_a_phone(after_world, page, live_server):
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "sessionid", "value": after_world["session"], "url": live_server.url}])
    page.goto(f"{live_server.url}/workshops/{after_world['workshop'].pk}/check-in/")
    expect(page.get_by_text("0 of 3 participants checked in")).to_be_visible()
    page.get_by_label("Find a participant (name or organisation)").fill("nzé")  # filtered as one types
    expect(page.locator(".check-in-item:visible")).to_have_count(1)
    button = page.get_by_role("button", name="Check in Nzé Mbuyi")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360  # a big target, inside the screen
    button.click()
    expect(page.get_by_text("Nzé Mbuyi: Attended.")).to_be_visible()
    expect(page.get_by_text("1 of 3 participants checked in")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.goto(f"{live_server.url}/workshops/{after_world['workshop'].pk}/check-in/")
    page.screenshot(path=_artifact("check_in_360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/workshops/{after_world['workshop'].pk}/feedback/")
    expect(page.get_by_text("0 participants gave feedback")).to_be_visible()
    page.screenshot(path=_artifact("feedback_summary_admin.png"), full_page=True)


def test_feedback_and_own_data_on_a_phone(after_world, page):
    page.set_viewport_size(PHONE)
    page.goto(after_world["manage"])
    page.get_by_role("link", name="Give feedback on the workshop").click()
    page.get_by_label("4 – Very good").check()
    page.get_by_label("What was most useful?").fill("The myGov demonstration.")
    page.screenshot(path=_artifact("feedback_360.png"), full_page=True)
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_text("your feedback is saved")).to_be_visible()
    page.get_by_role("link", name="Your registration").click()
    page.get_by_role("link", name="Your data: see it, download it or delete it").click()
    expect(page.get_by_text("participant0@gouv.cd")).to_be_visible()
    expect(page.get_by_text("The myGov demonstration.", exact=False)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=_artifact("your_data_360.png"), full_page=True)
    page.get_by_role("link", name="Delete my data…").click()
    page.screenshot(path=_artifact("delete_data_360.png"), full_page=True)
    page.get_by_role("button", name="Yes, delete my data").click()
    expect(page.get_by_text("Your personal data has been deleted.")).to_be_visible()
